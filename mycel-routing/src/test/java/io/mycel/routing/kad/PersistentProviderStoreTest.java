package io.mycel.routing.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.routing.kad.ProviderStore.Provider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistentProviderStoreTest {
  private static final Duration TTL = Duration.ofHours(48);

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();

  private ProviderStore open() {
    return new ProviderStore(clock, TTL, 20, new PersistentProviderStore(dir));
  }

  private static PeerId randomPeer() {
    return PeerId.fromPublicKey(Ed25519.generate().publicKey());
  }

  private static byte[] key(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  private long files() throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.count();
    }
  }

  @Test
  void providersSurviveAReopen() {
    PeerId peer = randomPeer();
    List<Multiaddr> addresses = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"),
        Multiaddr.parse("/ip6/::1/udp/4001/quic-v1"));
    PeerId other = randomPeer();
    ProviderStore store = open();
    store.add(key("a"), new Provider(peer, addresses));
    store.add(key("a"), new Provider(other, List.of()));
    store.add(key("b"), new Provider(other, List.of()));

    ProviderStore reopened = open();

    assertThat(reopened.get(key("a")))
        .containsExactly(new Provider(peer, addresses), new Provider(other, List.of()));
    assertThat(reopened.get(key("b"))).containsExactly(new Provider(other, List.of()));
    assertThat(reopened.get(key("c"))).isEmpty();
  }

  @Test
  void expiredProvidersAreDroppedOnReopen() throws IOException {
    PeerId old = randomPeer();
    PeerId fresh = randomPeer();
    ProviderStore store = open();
    store.add(key("a"), new Provider(old, List.of()));
    store.add(key("gone"), new Provider(old, List.of()));
    clock.now = clock.now.plus(Duration.ofHours(24));
    store.add(key("a"), new Provider(fresh, List.of()));
    assertThat(files()).isEqualTo(2);

    clock.now = clock.now.plus(Duration.ofHours(25));
    ProviderStore reopened = open();

    assertThat(reopened.get(key("a"))).containsExactly(new Provider(fresh, List.of()));
    assertThat(reopened.get(key("gone"))).isEmpty();
    assertThat(files()).isEqualTo(1);
    assertThat(new PersistentProviderStore(dir).load().values())
        .singleElement()
        .satisfies(entries -> assertThat(entries).extracting(e -> e.provider().peer())
            .containsExactly(fresh));
  }

  @Test
  void aRepeatedAnnouncementExtendsTheKeptExpiry() {
    PeerId peer = randomPeer();
    ProviderStore store = open();
    store.add(key("a"), new Provider(peer, List.of()));
    clock.now = clock.now.plus(Duration.ofHours(40));
    store.add(key("a"), new Provider(peer, List.of()));
    clock.now = clock.now.plus(Duration.ofHours(40));

    assertThat(open().get(key("a"))).containsExactly(new Provider(peer, List.of()));
  }

  @Test
  void aCorruptFileIsDeletedOnLoad() throws IOException {
    open().add(key("a"), new Provider(randomPeer(), List.of()));
    Path file;
    try (Stream<Path> list = Files.list(dir)) {
      file = list.findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));

    assertThat(open().get(key("a"))).isEmpty();
    assertThat(files()).isZero();
  }

  @Test
  void aLeftoverTemporaryFileIsDeletedOnLoad() throws IOException {
    Files.write(dir.resolve("0123.rec.tmp"), new byte[] {1, 2, 3});

    assertThat(new PersistentProviderStore(dir).load()).isEmpty();
    assertThat(files()).isZero();
  }
}
