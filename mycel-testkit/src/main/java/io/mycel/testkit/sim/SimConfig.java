package io.mycel.testkit.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * The links of a {@link SimNetwork}.
 *
 * @param seed decides the node identities and the link latencies
 * @param minLatency shortest one-way link latency
 * @param maxLatency longest one-way link latency; latencies are drawn uniformly in between
 * @param latencyModel whether a latency is drawn once per pair of nodes or once per node
 * @param lossRate chance that one flushed write (or one handshake round trip) is lost and sent
 *     again; links are reliable like TCP, so a loss costs a retransmission delay, not the data
 * @param minRetransmitTimeout the first retransmission waits this long or one round trip,
 *     whichever is longer; each further loss of the same write doubles it (as TCP does)
 * @param handshakeRoundTrips round trips a new connection costs before its first stream (TCP
 *     and Noise with multistream-select pipelined: 2)
 * @param unreachableDialTimeout after how long a dial to a node that has left fails; open
 *     connections to it stay silent (a crashed peer sends no reset)
 */
public record SimConfig(
    long seed,
    Duration minLatency,
    Duration maxLatency,
    LatencyModel latencyModel,
    double lossRate,
    Duration minRetransmitTimeout,
    int handshakeRoundTrips,
    Duration unreachableDialTimeout) {

  /** How link latencies are drawn. */
  public enum LatencyModel {
    /** Each pair of nodes has its own latency, drawn once. */
    PER_PAIR,
    /** Each node has a latency, drawn once; a link's latency is the mean of its two ends. */
    PER_NODE
  }

  public static final Duration DEFAULT_MIN_LATENCY = Duration.ofMillis(20);
  public static final Duration DEFAULT_MAX_LATENCY = Duration.ofMillis(200);
  /** Linux's minimum TCP retransmission timeout. */
  public static final Duration DEFAULT_MIN_RETRANSMIT_TIMEOUT = Duration.ofMillis(200);
  public static final int DEFAULT_HANDSHAKE_ROUND_TRIPS = 2;
  /** go-libp2p's TCP connect timeout. */
  public static final Duration DEFAULT_UNREACHABLE_DIAL_TIMEOUT = Duration.ofSeconds(5);

  /** Latencies of 20 to 200 ms per pair, no loss, seed 1. */
  public static final SimConfig DEFAULT =
      new SimConfig(
          1,
          DEFAULT_MIN_LATENCY,
          DEFAULT_MAX_LATENCY,
          LatencyModel.PER_PAIR,
          0,
          DEFAULT_MIN_RETRANSMIT_TIMEOUT,
          DEFAULT_HANDSHAKE_ROUND_TRIPS,
          DEFAULT_UNREACHABLE_DIAL_TIMEOUT);

  public SimConfig {
    Objects.requireNonNull(minLatency, "minLatency");
    Objects.requireNonNull(maxLatency, "maxLatency");
    Objects.requireNonNull(latencyModel, "latencyModel");
    Objects.requireNonNull(minRetransmitTimeout, "minRetransmitTimeout");
    Objects.requireNonNull(unreachableDialTimeout, "unreachableDialTimeout");
    if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
      throw new IllegalArgumentException(
          "latency range must satisfy 0 <= minLatency <= maxLatency: " + minLatency + ", "
              + maxLatency);
    }
    if (!(lossRate >= 0 && lossRate < 1)) {
      throw new IllegalArgumentException("lossRate must be in [0, 1): " + lossRate);
    }
    if (minRetransmitTimeout.isNegative() || minRetransmitTimeout.isZero()) {
      throw new IllegalArgumentException(
          "minRetransmitTimeout must be positive: " + minRetransmitTimeout);
    }
    if (handshakeRoundTrips < 0) {
      throw new IllegalArgumentException(
          "handshakeRoundTrips must not be negative: " + handshakeRoundTrips);
    }
    if (unreachableDialTimeout.isNegative() || unreachableDialTimeout.isZero()) {
      throw new IllegalArgumentException(
          "unreachableDialTimeout must be positive: " + unreachableDialTimeout);
    }
  }

  public SimConfig withSeed(long newSeed) {
    return new SimConfig(newSeed, minLatency, maxLatency, latencyModel, lossRate,
        minRetransmitTimeout, handshakeRoundTrips, unreachableDialTimeout);
  }

  public SimConfig withLatency(Duration min, Duration max, LatencyModel model) {
    return new SimConfig(seed, min, max, model, lossRate, minRetransmitTimeout,
        handshakeRoundTrips, unreachableDialTimeout);
  }

  public SimConfig withLossRate(double rate) {
    return new SimConfig(seed, minLatency, maxLatency, latencyModel, rate, minRetransmitTimeout,
        handshakeRoundTrips, unreachableDialTimeout);
  }

  public SimConfig withUnreachableDialTimeout(Duration timeout) {
    return new SimConfig(seed, minLatency, maxLatency, latencyModel, lossRate,
        minRetransmitTimeout, handshakeRoundTrips, timeout);
  }
}
