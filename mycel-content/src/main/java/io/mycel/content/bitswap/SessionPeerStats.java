package io.mycel.content.bitswap;

import io.mycel.core.peer.PeerId;
import java.time.Duration;

/**
 * How one peer has served a session.
 *
 * @param blocks blocks received from the peer for the session
 * @param bytes their bytes
 * @param inFlight want-blocks outstanding at the peer now
 * @param serviceTime the smoothed time the peer takes per block, the measure by which demand
 *     goes to the faster peers; zero until measured
 * @param timeouts want-blocks the peer left unanswered past the want-block timeout
 * @param dontHaves dont-have answers from the peer
 * @param connected whether the peer is still usable by the session
 */
public record SessionPeerStats(
    PeerId peer,
    long blocks,
    long bytes,
    int inFlight,
    Duration serviceTime,
    long timeouts,
    long dontHaves,
    boolean connected) {}
