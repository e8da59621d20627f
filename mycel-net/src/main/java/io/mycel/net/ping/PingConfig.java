package io.mycel.net.ping;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the ping responder, {@link PingService}.
 *
 * @param idleTimeout how long the responder waits for the next payload before resetting
 * @param maxInboundStreamsPerPeer concurrent inbound ping streams accepted from one peer; the
 *     spec asks for at most two
 */
public record PingConfig(Duration idleTimeout, int maxInboundStreamsPerPeer) {

  /** go-libp2p resets a ping stream idle for a minute. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  public static final int DEFAULT_MAX_INBOUND_STREAMS_PER_PEER = 2;

  public static final PingConfig DEFAULT =
      new PingConfig(DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_INBOUND_STREAMS_PER_PEER);

  public PingConfig {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
    }
    if (maxInboundStreamsPerPeer < 1) {
      throw new IllegalArgumentException(
          "maxInboundStreamsPerPeer must be positive: " + maxInboundStreamsPerPeer);
    }
  }
}
