package io.mycel.routing.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.peer.PeerId;
import io.mycel.net.Host;
import io.mycel.net.Stream;
import io.mycel.net.testing.TestHosts;
import io.mycel.routing.kad.pb.KadProtos.Message;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lookups that meet peers which answer late or never ({@link KadConfig#lookupPeerTimeout()}). */
class KadDhtSlowPeerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final TestHosts hosts = new TestHosts();

  private final AtomicInteger requests = new AtomicInteger();

  private static KadConfig config(int k, Duration queryTimeout, Duration peerTimeout) {
    return new KadConfig(k, KadConfig.DEFAULT_ALPHA, KadConfig.DEFAULT_MAX_MESSAGE_SIZE, k,
        queryTimeout, KadConfig.DEFAULT_LOOKUP_TIMEOUT, KadConfig.DEFAULT_MAX_QUERIES_PER_LOOKUP,
        KadConfig.DEFAULT_PROVIDER_TTL, KadConfig.DEFAULT_MAX_PROVIDERS_PER_KEY,
        KadConfig.DEFAULT_MAX_RECORDS, false, peerTimeout);
  }

  /** A peer that takes kad requests and never answers them. */
  private Host silentPeer() throws Exception {
    Host host = hosts.start();
    host.protocols().register(KadDht.PROTOCOL, this::neverAnswer);
    return host;
  }

  private void neverAnswer(Stream stream) throws IOException {
    requests.incrementAndGet();
    while (stream.input().read() >= 0) {
      // hold the stream open until the asker gives up
    }
  }

  /** A peer that answers every request after {@code delay}, naming no closer peers. */
  private Host latePeer(Duration delay) throws Exception {
    Host host = hosts.start();
    host.protocols()
        .register(
            KadDht.PROTOCOL,
            stream -> {
              KadCodec codec = new KadCodec(KadConfig.DEFAULT_MAX_MESSAGE_SIZE);
              Optional<Message> request;
              while ((request = codec.read(stream.input())).isPresent()) {
                requests.incrementAndGet();
                try {
                  Thread.sleep(delay); // the peer's slowness under test, not a wait
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                codec.write(stream.output(),
                    Message.newBuilder()
                        .setType(request.get().getType())
                        .setKey(request.get().getKey())
                        .build());
              }
            });
    return host;
  }

  /** Peers running the DHT, all known to the first of them. */
  private List<Host> answeringPeers(int count) throws Exception {
    List<Host> peers = new ArrayList<>();
    KadDht first = null;
    for (int i = 0; i < count; i++) {
      Host host = hosts.start();
      KadDht dht = new KadDht(host, KadConfig.DEFAULT, Clock.systemUTC(), Map.of()).start();
      if (first == null) {
        first = dht;
      } else {
        know(dht, peers.getFirst());
      }
      peers.add(host);
    }
    KadDht hub = first;
    Await.until(WAIT, "the first peer to know the others",
        () -> hub.routingTable().size() == count - 1);
    return peers;
  }

  private static void know(KadDht origin, Host peer) throws Exception {
    origin
        .addBootstrapPeer(peer.listenAddresses().getFirst().withPeerId(peer.peerId()))
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void silentPeerAmongTheClosestDoesNotHoldUpTheLookup() throws Exception {
    List<Host> answering = answeringPeers(4);
    Host silent = silentPeer();
    KadDht origin =
        new KadDht(hosts.start(),
                config(3, Duration.ofSeconds(30), Duration.ofMillis(1000)),
                Clock.systemUTC(), Map.of())
            .start();
    // A table of k = 3 may hold no more than these two; the others are found by the lookup.
    know(origin, silent);
    know(origin, answering.getFirst());

    long start = System.nanoTime();
    // The silent peer's own id: it is the closest peer to the key.
    List<PeerId> found =
        origin.findClosestPeers(silent.peerId().bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    Await.until(WAIT, "the silent peer to be asked", () -> requests.get() == 1);
    assertThat(found).hasSize(3).doesNotContain(silent.peerId());
    assertThat(answering.stream().map(Host::peerId).toList()).containsAll(found);
    // Without the lookup's patience it would wait out the 30 s query timeout.
    assertThat(took).isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void latePeerIsStillUsedWhenTooFewOthersAnswered() throws Exception {
    List<Host> answering = answeringPeers(2);
    Host late = latePeer(Duration.ofMillis(1500));
    KadDht origin =
        new KadDht(hosts.start(),
                KadConfig.DEFAULT.withLookupPeerTimeout(Duration.ofMillis(300)),
                Clock.systemUTC(), Map.of())
            .start();
    for (Host peer : answering) {
      know(origin, peer);
    }
    know(origin, late);

    List<PeerId> found =
        origin.findClosestPeers(new byte[] {1, 2, 3}).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(found)
        .containsExactlyInAnyOrder(
            answering.get(0).peerId(), answering.get(1).peerId(), late.peerId());
  }

  @Test
  void peerWhoseRequestFailsAfterTheLookupLeavesTheRoutingTable() throws Exception {
    List<Host> answering = answeringPeers(4);
    Host silent = silentPeer();
    KadDht origin =
        new KadDht(hosts.start(),
                config(3, Duration.ofSeconds(3), Duration.ofMillis(1000)),
                Clock.systemUTC(), Map.of())
            .start();
    // A table of k = 3 may hold no more than these two; the others are found by the lookup.
    know(origin, silent);
    know(origin, answering.getFirst());

    List<PeerId> found =
        origin.findClosestPeers(silent.peerId().bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(found).hasSize(3).doesNotContain(silent.peerId());
    Await.until(WAIT, "the silent peer to leave the routing table",
        () -> !origin.routingTable().contains(silent.peerId()));
  }
}
