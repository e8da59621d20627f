package io.mycel.net.autorelay;

import io.mycel.core.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of {@link AutoRelay}.
 *
 * @param staticRelays relays to use first, each ending in {@code /p2p/<relay id>}
 * @param desiredRelays reservations to hold at once
 * @param onlyWhenPrivate reserve only while AutoNAT says {@code PRIVATE}; off reserves at once
 * @param checkInterval how often the reservations are counted and topped up
 * @param backoff how long a relay that refused or failed is left alone
 */
public record AutoRelayConfig(
    List<Multiaddr> staticRelays,
    int desiredRelays,
    boolean onlyWhenPrivate,
    Duration checkInterval,
    Duration backoff) {

  public static final int DEFAULT_DESIRED_RELAYS = 2;
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_BACKOFF = Duration.ofMinutes(5);

  public static final AutoRelayConfig DEFAULT = new AutoRelayConfig(
      List.of(), DEFAULT_DESIRED_RELAYS, true, DEFAULT_CHECK_INTERVAL, DEFAULT_BACKOFF);

  public AutoRelayConfig {
    staticRelays = List.copyOf(staticRelays);
    for (Multiaddr relay : staticRelays) {
      if (relay.peerId().isEmpty()) {
        throw new IllegalArgumentException("static relay " + relay + " must end with /p2p/<relay id>");
      }
    }
    if (desiredRelays < 1) {
      throw new IllegalArgumentException("desiredRelays must be at least 1: " + desiredRelays);
    }
    Objects.requireNonNull(checkInterval, "checkInterval");
    Objects.requireNonNull(backoff, "backoff");
    if (checkInterval.isNegative() || checkInterval.isZero()) {
      throw new IllegalArgumentException("checkInterval must be positive: " + checkInterval);
    }
  }

  public AutoRelayConfig withStaticRelays(List<Multiaddr> relays) {
    return new AutoRelayConfig(relays, desiredRelays, onlyWhenPrivate, checkInterval, backoff);
  }

  public AutoRelayConfig withOnlyWhenPrivate(boolean only) {
    return new AutoRelayConfig(staticRelays, desiredRelays, only, checkInterval, backoff);
  }

  public AutoRelayConfig withDesiredRelays(int count) {
    return new AutoRelayConfig(staticRelays, count, onlyWhenPrivate, checkInterval, backoff);
  }
}
