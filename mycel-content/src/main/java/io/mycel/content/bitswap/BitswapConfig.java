package io.mycel.content.bitswap;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link Bitswap} node serves and fetches. Every field has a named default; {@link
 * #DEFAULT} holds them all and the {@code with*} methods change one.
 *
 * @param limits message, block and wantlist limits enforced on peers
 * @param versions the protocol versions registered and spoken, preferred first
 * @param sendDontHave whether this node's wants ask peers to answer dont-have
 * @param sessionTimeout how long a session waits for a block after first asking for it; then
 *     the block fails with {@link io.mycel.content.blockstore.BlockNotFoundException}
 * @param wantBlockTimeout how long a want-block may stay unanswered before the block is asked
 *     of another peer
 * @param rebroadcastInterval how often a session asks its peers again for blocks that no peer
 *     has claimed to have
 * @param maxInFlightPerPeer want-blocks a session keeps outstanding at one peer
 * @param maxActiveWantsPerSession blocks a session asks for at once; more wait their turn
 * @param targetMessageSize block bytes in one response message before another is started
 * @param streamOpenTimeout dialing and negotiating an outbound Bitswap stream
 * @param outboundIdleTimeout an outbound stream without messages this long is closed (js
 *     peers drop inbound Bitswap streams that stay silent for 10 s)
 * @param violatorBan how long a peer disconnected for sending a block nobody asked of it is
 *     ignored: its Bitswap streams are reset and sessions do not ask it
 */
public record BitswapConfig(
    BitswapLimits limits,
    List<BitswapVersion> versions,
    boolean sendDontHave,
    Duration sessionTimeout,
    Duration wantBlockTimeout,
    Duration rebroadcastInterval,
    int maxInFlightPerPeer,
    int maxActiveWantsPerSession,
    int targetMessageSize,
    Duration streamOpenTimeout,
    Duration outboundIdleTimeout,
    Duration violatorBan) {

  public static final List<BitswapVersion> DEFAULT_VERSIONS = List.of(BitswapVersion.values());
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_WANT_BLOCK_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REBROADCAST_INTERVAL = Duration.ofSeconds(2);
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_PEER = 32;
  public static final int DEFAULT_MAX_ACTIVE_WANTS_PER_SESSION = 256;
  public static final Duration DEFAULT_STREAM_OPEN_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_OUTBOUND_IDLE_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_VIOLATOR_BAN = Duration.ofMinutes(10);

  public static final BitswapConfig DEFAULT =
      new BitswapConfig(
          BitswapLimits.DEFAULT,
          DEFAULT_VERSIONS,
          true,
          DEFAULT_SESSION_TIMEOUT,
          DEFAULT_WANT_BLOCK_TIMEOUT,
          DEFAULT_REBROADCAST_INTERVAL,
          DEFAULT_MAX_IN_FLIGHT_PER_PEER,
          DEFAULT_MAX_ACTIVE_WANTS_PER_SESSION,
          BitswapEngine.DEFAULT_TARGET_MESSAGE_SIZE,
          DEFAULT_STREAM_OPEN_TIMEOUT,
          DEFAULT_OUTBOUND_IDLE_TIMEOUT,
          DEFAULT_VIOLATOR_BAN);

  public BitswapConfig {
    Objects.requireNonNull(limits, "limits");
    versions = List.copyOf(versions);
    if (versions.isEmpty() || versions.stream().distinct().count() != versions.size()) {
      throw new IllegalArgumentException("versions must be distinct and not empty: " + versions);
    }
    requirePositive(sessionTimeout, "sessionTimeout");
    requirePositive(wantBlockTimeout, "wantBlockTimeout");
    requirePositive(rebroadcastInterval, "rebroadcastInterval");
    requirePositive(streamOpenTimeout, "streamOpenTimeout");
    requirePositive(outboundIdleTimeout, "outboundIdleTimeout");
    requirePositive(violatorBan, "violatorBan");
    if (maxInFlightPerPeer < 1 || maxActiveWantsPerSession < 1 || targetMessageSize < 1) {
      throw new IllegalArgumentException(
          "maxInFlightPerPeer, maxActiveWantsPerSession and targetMessageSize must be positive");
    }
    if (targetMessageSize > limits.maxMessageSize() / 2) {
      throw new IllegalArgumentException("targetMessageSize must be at most half of "
          + "maxMessageSize, leaving room for one block over the target");
    }
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  public BitswapConfig withLimits(BitswapLimits value) {
    return new BitswapConfig(value, versions, sendDontHave, sessionTimeout, wantBlockTimeout,
        rebroadcastInterval, maxInFlightPerPeer, maxActiveWantsPerSession, targetMessageSize,
        streamOpenTimeout, outboundIdleTimeout, violatorBan);
  }

  public BitswapConfig withVersions(List<BitswapVersion> value) {
    return new BitswapConfig(limits, value, sendDontHave, sessionTimeout, wantBlockTimeout,
        rebroadcastInterval, maxInFlightPerPeer, maxActiveWantsPerSession, targetMessageSize,
        streamOpenTimeout, outboundIdleTimeout, violatorBan);
  }

  public BitswapConfig withSessionTimeout(Duration value) {
    return new BitswapConfig(limits, versions, sendDontHave, value, wantBlockTimeout,
        rebroadcastInterval, maxInFlightPerPeer, maxActiveWantsPerSession, targetMessageSize,
        streamOpenTimeout, outboundIdleTimeout, violatorBan);
  }

  public BitswapConfig withWantBlockTimeout(Duration value) {
    return new BitswapConfig(limits, versions, sendDontHave, sessionTimeout, value,
        rebroadcastInterval, maxInFlightPerPeer, maxActiveWantsPerSession, targetMessageSize,
        streamOpenTimeout, outboundIdleTimeout, violatorBan);
  }

  public BitswapConfig withRebroadcastInterval(Duration value) {
    return new BitswapConfig(limits, versions, sendDontHave, sessionTimeout, wantBlockTimeout,
        value, maxInFlightPerPeer, maxActiveWantsPerSession, targetMessageSize,
        streamOpenTimeout, outboundIdleTimeout, violatorBan);
  }

  public BitswapConfig withMaxInFlightPerPeer(int value) {
    return new BitswapConfig(limits, versions, sendDontHave, sessionTimeout, wantBlockTimeout,
        rebroadcastInterval, value, maxActiveWantsPerSession, targetMessageSize,
        streamOpenTimeout, outboundIdleTimeout, violatorBan);
  }

  public BitswapConfig withMaxActiveWantsPerSession(int value) {
    return new BitswapConfig(limits, versions, sendDontHave, sessionTimeout, wantBlockTimeout,
        rebroadcastInterval, maxInFlightPerPeer, value, targetMessageSize,
        streamOpenTimeout, outboundIdleTimeout, violatorBan);
  }

  public BitswapConfig withTargetMessageSize(int value) {
    return new BitswapConfig(limits, versions, sendDontHave, sessionTimeout, wantBlockTimeout,
        rebroadcastInterval, maxInFlightPerPeer, maxActiveWantsPerSession, value,
        streamOpenTimeout, outboundIdleTimeout, violatorBan);
  }

  public BitswapConfig withOutboundIdleTimeout(Duration value) {
    return new BitswapConfig(limits, versions, sendDontHave, sessionTimeout, wantBlockTimeout,
        rebroadcastInterval, maxInFlightPerPeer, maxActiveWantsPerSession, targetMessageSize,
        streamOpenTimeout, value, violatorBan);
  }

  public BitswapConfig withViolatorBan(Duration value) {
    return new BitswapConfig(limits, versions, sendDontHave, sessionTimeout, wantBlockTimeout,
        rebroadcastInterval, maxInFlightPerPeer, maxActiveWantsPerSession, targetMessageSize,
        streamOpenTimeout, outboundIdleTimeout, value);
  }

  /** The protocol ids of {@link #versions()}, in order. */
  public List<String> protocolIds() {
    return versions.stream().map(BitswapVersion::protocolId).toList();
  }
}
