package io.mycel.content.bitswap;

import io.mycel.core.peer.PeerId;
import java.util.Objects;

/**
 * What this node and one peer have exchanged over Bitswap, since this node started: the basis
 * of metering and payment for served blocks.
 *
 * @param bytesSent block bytes sent to the peer
 * @param bytesReceived block bytes received from the peer (duplicates included)
 * @param blocksSent blocks sent to the peer
 * @param blocksReceived blocks received from the peer (duplicates included)
 * @param messagesSent messages written to the peer
 * @param messagesReceived messages read from the peer
 */
public record Ledger(
    PeerId peer,
    long bytesSent,
    long bytesReceived,
    long blocksSent,
    long blocksReceived,
    long messagesSent,
    long messagesReceived) {

  public Ledger {
    Objects.requireNonNull(peer, "peer");
  }

  /** The ledger of a peer nothing was exchanged with. */
  public static Ledger empty(PeerId peer) {
    return new Ledger(peer, 0, 0, 0, 0, 0, 0);
  }
}
