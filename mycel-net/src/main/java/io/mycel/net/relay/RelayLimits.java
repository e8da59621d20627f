package io.mycel.net.relay;

import java.time.Duration;

/**
 * What a relay allows, set by the node's owner. Defaults follow go-libp2p's relay resources:
 * small circuits meant for hole punching and signalling. {@link #bandwidthSharing(long)} is for
 * owners who choose to relay bulk traffic: no byte or time cap per circuit, a rate limit
 * instead.
 *
 * @param reservationTtl how long a reservation lasts before the peer must renew it
 * @param maxReservations reservations held at once, all peers
 * @param maxReservationsPerIp reservations held by peers connecting from one IP address
 * @param maxCircuits circuits open at once, all peers
 * @param maxCircuitsPerPeer circuits open at once in which one peer is source or destination
 * @param circuitDuration how long one circuit may stay open; {@link Duration#ZERO} for no cap
 * @param circuitBytes bytes one circuit may carry in each direction; 0 for no cap
 * @param bandwidthSharing the owner relays bulk traffic: the byte and duration caps are off
 *     and {@code rateBytesPerSecond} paces each circuit
 * @param rateBytesPerSecond bytes per second one circuit may carry, both directions together;
 *     0 for no rate limit
 * @param totalRateBytesPerSecond bytes per second all circuits together may carry; 0 for no
 *     limit. Bandwidth sharing needs this or {@code rateBytesPerSecond}
 */
public record RelayLimits(
    Duration reservationTtl,
    int maxReservations,
    int maxReservationsPerIp,
    int maxCircuits,
    int maxCircuitsPerPeer,
    Duration circuitDuration,
    long circuitBytes,
    boolean bandwidthSharing,
    long rateBytesPerSecond,
    long totalRateBytesPerSecond) {

  public static final Duration DEFAULT_RESERVATION_TTL = Duration.ofHours(1);
  public static final int DEFAULT_MAX_RESERVATIONS = 128;
  public static final int DEFAULT_MAX_RESERVATIONS_PER_IP = 8;
  public static final int DEFAULT_MAX_CIRCUITS = 256;
  public static final int DEFAULT_MAX_CIRCUITS_PER_PEER = 16;
  public static final Duration DEFAULT_CIRCUIT_DURATION = Duration.ofMinutes(2);
  public static final long DEFAULT_CIRCUIT_BYTES = 128 * 1024;
  public static final long DEFAULT_SHARING_RATE = 4 * 1024 * 1024;

  public RelayLimits {
    if (reservationTtl == null || reservationTtl.toSeconds() < 1) {
      throw new IllegalArgumentException("relay reservationTtl must be at least one second");
    }
    if (maxReservations < 0 || maxReservationsPerIp < 0 || maxCircuits < 0 || maxCircuitsPerPeer < 0) {
      throw new IllegalArgumentException("relay reservation and circuit limits must not be negative");
    }
    if (circuitDuration == null || circuitDuration.isNegative()) {
      throw new IllegalArgumentException("relay circuitDuration must be zero (no cap) or positive");
    }
    if (circuitBytes < 0) {
      throw new IllegalArgumentException("relay circuitBytes must be zero (no cap) or positive");
    }
    if (rateBytesPerSecond < 0) {
      throw new IllegalArgumentException("relay rateBytesPerSecond must be zero (no limit) or positive");
    }
    if (totalRateBytesPerSecond < 0) {
      throw new IllegalArgumentException(
          "relay totalRateBytesPerSecond must be zero (no limit) or positive");
    }
    if (bandwidthSharing && rateBytesPerSecond == 0 && totalRateBytesPerSecond == 0) {
      throw new IllegalArgumentException("relay bandwidth sharing needs rateBytesPerSecond (per"
          + " circuit) or totalRateBytesPerSecond (all circuits together)");
    }
  }

  /** go-libp2p's defaults: small circuits for signalling and hole punching. */
  public static RelayLimits defaults() {
    return new RelayLimits(DEFAULT_RESERVATION_TTL, DEFAULT_MAX_RESERVATIONS,
        DEFAULT_MAX_RESERVATIONS_PER_IP, DEFAULT_MAX_CIRCUITS, DEFAULT_MAX_CIRCUITS_PER_PEER,
        DEFAULT_CIRCUIT_DURATION, DEFAULT_CIRCUIT_BYTES, false, 0, 0);
  }

  /** The defaults, but relaying bulk traffic at {@code rate} bytes per second per circuit. */
  public static RelayLimits bandwidthSharing(long rate) {
    return defaults().withBandwidthSharing(true, rate);
  }

  /** The byte cap per direction that applies to a circuit, 0 for none. */
  public long effectiveCircuitBytes() {
    return bandwidthSharing ? 0 : circuitBytes;
  }

  /** The duration cap that applies to a circuit, zero for none. */
  public Duration effectiveCircuitDuration() {
    return bandwidthSharing ? Duration.ZERO : circuitDuration;
  }

  public RelayLimits withReservations(int total, int perIp, Duration ttl) {
    return new RelayLimits(ttl, total, perIp, maxCircuits, maxCircuitsPerPeer, circuitDuration,
        circuitBytes, bandwidthSharing, rateBytesPerSecond, totalRateBytesPerSecond);
  }

  public RelayLimits withCircuits(int total, int perPeer) {
    return new RelayLimits(reservationTtl, maxReservations, maxReservationsPerIp, total, perPeer,
        circuitDuration, circuitBytes, bandwidthSharing, rateBytesPerSecond, totalRateBytesPerSecond);
  }

  public RelayLimits withCircuitCaps(Duration duration, long bytes) {
    return new RelayLimits(reservationTtl, maxReservations, maxReservationsPerIp, maxCircuits,
        maxCircuitsPerPeer, duration, bytes, bandwidthSharing, rateBytesPerSecond,
        totalRateBytesPerSecond);
  }

  public RelayLimits withBandwidthSharing(boolean sharing, long rate) {
    return new RelayLimits(reservationTtl, maxReservations, maxReservationsPerIp, maxCircuits,
        maxCircuitsPerPeer, circuitDuration, circuitBytes, sharing, rate, totalRateBytesPerSecond);
  }

  /** These limits with all circuits together paced to {@code rate} bytes per second (0: none). */
  public RelayLimits withTotalRate(long rate) {
    return new RelayLimits(reservationTtl, maxReservations, maxReservationsPerIp, maxCircuits,
        maxCircuitsPerPeer, circuitDuration, circuitBytes, bandwidthSharing, rateBytesPerSecond, rate);
  }
}
