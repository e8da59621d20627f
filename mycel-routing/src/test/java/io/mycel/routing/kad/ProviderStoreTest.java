package io.mycel.routing.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.peer.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderStoreTest {

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static PeerId randomPeer() {
    return PeerId.fromPublicKey(Ed25519.generate().publicKey());
  }

  @Test
  void providerRecordsExpireAfter48Hours() {
    MutableClock clock = new MutableClock();
    ProviderStore store = new ProviderStore(clock, KadConfig.DEFAULT_PROVIDER_TTL, 10);
    PeerId p = randomPeer();
    store.add(new byte[] {1}, new ProviderStore.Provider(p, List.of()));
    clock.now = clock.now.plus(Duration.ofHours(47));
    assertThat(store.get(new byte[] {1})).extracting(ProviderStore.Provider::peer).containsExactly(p);
    clock.now = clock.now.plus(Duration.ofHours(1));
    assertThat(store.get(new byte[] {1})).isEmpty();
  }

  @Test
  void reAddingRefreshesExpiry() {
    MutableClock clock = new MutableClock();
    ProviderStore store = new ProviderStore(clock, Duration.ofHours(48), 10);
    PeerId p = randomPeer();
    store.add(new byte[] {1}, new ProviderStore.Provider(p, List.of()));
    clock.now = clock.now.plus(Duration.ofHours(40));
    store.add(new byte[] {1}, new ProviderStore.Provider(p, List.of()));
    clock.now = clock.now.plus(Duration.ofHours(40));
    assertThat(store.get(new byte[] {1})).hasSize(1);
  }

  @Test
  void keepsAtMostTheLimitPerKeyDroppingTheOldest() {
    ProviderStore store = new ProviderStore(Clock.systemUTC(), Duration.ofHours(48), 2);
    PeerId a = randomPeer();
    PeerId b = randomPeer();
    PeerId c = randomPeer();
    for (PeerId p : List.of(a, b, c)) {
      store.add(new byte[] {7}, new ProviderStore.Provider(p, List.of()));
    }
    assertThat(store.get(new byte[] {7}))
        .extracting(ProviderStore.Provider::peer)
        .containsExactly(b, c);
  }
}
