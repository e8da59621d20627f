package io.mycel.net.dcutr;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of hole punching.
 *
 * @param auto start a hole punch on every inbound relayed connection (the spec's role of B)
 * @param maxAttempts CONNECT/SYNC rounds before giving up; the spec asks for 3
 * @param dialTimeout how long one simultaneous dial may take
 * @param streamTimeout how long to wait for the peer's next message
 * @param relayGracePeriod how long the relayed connection stays open after the upgrade, so that
 *     streams running on it can finish
 * @param allowPrivateAddresses dial private and loopback addresses the peer sends (tests and
 *     private networks); otherwise only public ones are tried
 */
public record DcutrConfig(
    boolean auto,
    int maxAttempts,
    Duration dialTimeout,
    Duration streamTimeout,
    Duration relayGracePeriod,
    boolean allowPrivateAddresses) {

  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_STREAM_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RELAY_GRACE_PERIOD = Duration.ofSeconds(10);

  public static final DcutrConfig DEFAULT = new DcutrConfig(true, DEFAULT_MAX_ATTEMPTS,
      DEFAULT_DIAL_TIMEOUT, DEFAULT_STREAM_TIMEOUT, DEFAULT_RELAY_GRACE_PERIOD, false);

  public DcutrConfig {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("DCUtR maxAttempts must be at least 1: " + maxAttempts);
    }
    requirePositive(dialTimeout, "dialTimeout");
    requirePositive(streamTimeout, "streamTimeout");
    Objects.requireNonNull(relayGracePeriod, "relayGracePeriod");
    if (relayGracePeriod.isNegative()) {
      throw new IllegalArgumentException("DCUtR relayGracePeriod must not be negative: " + relayGracePeriod);
    }
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("DCUtR " + name + " must be positive: " + d);
    }
  }

  public DcutrConfig withAuto(boolean on) {
    return new DcutrConfig(on, maxAttempts, dialTimeout, streamTimeout, relayGracePeriod, allowPrivateAddresses);
  }

  public DcutrConfig withPrivateAddresses(boolean allow) {
    return new DcutrConfig(auto, maxAttempts, dialTimeout, streamTimeout, relayGracePeriod, allow);
  }

  public DcutrConfig withTimeouts(Duration dial, Duration stream, Duration grace) {
    return new DcutrConfig(auto, maxAttempts, dial, stream, grace, allowPrivateAddresses);
  }
}
