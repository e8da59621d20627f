package io.mycel.routing.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Host;
import io.mycel.net.testing.TestHosts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KadDhtNetworkTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension final TestHosts hosts = new TestHosts();

  private final List<Host> nodes = new ArrayList<>();
  private final List<KadDht> dhts = new ArrayList<>();

  private void startNetwork(int size) throws Exception {
    for (int i = 0; i < size; i++) {
      Host host = hosts.start();
      nodes.add(host);
      dhts.add(
          new KadDht(
                  host,
                  KadConfig.DEFAULT,
                  Clock.systemUTC(),
                  Map.of(TestValidators.NAMESPACE, TestValidators.VERSIONED))
              .start());
    }
    Host first = nodes.getFirst();
    var bootstrapAddress = first.listenAddresses().getFirst().withPeerId(first.peerId());
    for (int i = 1; i < size; i++) {
      dhts.get(i).addBootstrapPeer(bootstrapAddress).get(10, TimeUnit.SECONDS);
      dhts.get(i).bootstrap().get(20, TimeUnit.SECONDS);
    }
    Await.until(WAIT, "node 1 to know every node", () -> dhts.getFirst().routingTable().size() == size - 1);
  }

  private static Cid cidOf(String text) {
    return Cid.v1(Multicodec.RAW, Multihash.sha2_256(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void tenNodesBootstrappedThroughOneFindEachOther() throws Exception {
    startNetwork(10);
    for (int from = 1; from < 10; from++) {
      int target = (from + 4) % 10;
      PeerId wanted = nodes.get(target).peerId();
      List<PeerId> found = dhts.get(from).findClosestPeers(wanted.bytes()).get(20, TimeUnit.SECONDS);
      assertThat(found).as("lookup from node %d", from + 1).contains(wanted);
      assertThat(found.getFirst()).isEqualTo(wanted);
    }
    // Lookups teach each node more of the network than the bootstrap peer alone.
    assertThat(dhts.get(9).routingTable().size()).isGreaterThan(1);
  }

  @Test
  void providersAreFoundFromAnotherNode() throws Exception {
    startNetwork(10);
    Cid cid = cidOf("hello mycel");
    int reached = dhts.get(3).provide(cid).get(20, TimeUnit.SECONDS);
    assertThat(reached).isGreaterThan(0);
    List<ProviderStore.Provider> providers = dhts.get(8).findProviders(cid).get(20, TimeUnit.SECONDS);
    assertThat(providers).extracting(ProviderStore.Provider::peer).contains(nodes.get(3).peerId());
    assertThat(providers.stream().filter(p -> p.peer().equals(nodes.get(3).peerId())).findFirst().orElseThrow().addresses())
        .isNotEmpty();
    assertThat(dhts.get(5).findProviders(cidOf("nobody has this")).get(20, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void valuesArePutAndTheBestIsGot() throws Exception {
    startNetwork(6);
    byte[] key = TestValidators.key("thing");
    assertThat(dhts.get(1).putValue(key, "3".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS))
        .isGreaterThan(0);
    Optional<byte[]> got = dhts.get(4).getValue(key).get(20, TimeUnit.SECONDS);
    assertThat(got).isPresent();
    assertThat(new String(got.get(), StandardCharsets.UTF_8)).isEqualTo("3");
    dhts.get(2).putValue(key, "7".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
    got = dhts.get(5).getValue(key).get(20, TimeUnit.SECONDS);
    assertThat(new String(got.orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("7");
  }

  @Test
  void pingAnswers() throws Exception {
    startNetwork(2);
    dhts.get(1).ping(nodes.getFirst().peerId()).get(10, TimeUnit.SECONDS);
  }

  @Test
  void clientModePeersStayOutOfRoutingTables() throws Exception {
    startNetwork(3);
    Host clientHost = hosts.start();
    KadDht client =
        new KadDht(clientHost, KadConfig.DEFAULT.withClientMode(true), Clock.systemUTC(), Map.of())
            .start();
    Host first = nodes.getFirst();
    client
        .addBootstrapPeer(first.listenAddresses().getFirst().withPeerId(first.peerId()))
        .get(10, TimeUnit.SECONDS);
    List<PeerId> found = client.findClosestPeers(nodes.get(2).peerId().bytes()).get(20, TimeUnit.SECONDS);
    assertThat(found).contains(nodes.get(2).peerId());
    assertThat(clientHost.protocols().protocols()).doesNotContain(KadDht.PROTOCOL);
    // The servers identified the client (it spoke to them) and left it out.
    Await.until(WAIT, "identify of the client", () ->
        first.peerStore().get(clientHost.peerId()).map(i -> !i.protocols().isEmpty()).orElse(false));
    for (KadDht dht : dhts) {
      assertThat(dht.routingTable().contains(clientHost.peerId())).isFalse();
    }
  }
}
