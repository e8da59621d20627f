package io.mycel.testkit.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.host.NettyHost;
import io.mycel.net.testing.TestHosts;
import io.mycel.routing.ipns.IpnsName;
import io.mycel.routing.ipns.IpnsRecord;
import io.mycel.routing.ipns.IpnsRecordValidator;
import io.mycel.routing.kad.KadConfig;
import io.mycel.routing.kad.KadDht;
import io.mycel.routing.kad.ProviderStore;
import io.mycel.testkit.js.KadPeer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kademlia DHT of Mycel and of js-libp2p ({@code @libp2p/kad-dht}) in one network: three
 * Mycel nodes and one JS node, all bootstrapped through the first Mycel node. Provider records
 * and IPNS records put by one implementation are found by the other.
 */
@Tag("interop")
class KadInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int MYCEL_NODES = 3;
  private static final String HELLO_CID =
      "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
  private static final String EMPTY_CID =
      "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

  @RegisterExtension final TestHosts hosts = new TestHosts();
  private final List<NettyHost> mycelHosts = new ArrayList<>();
  private final List<KadDht> mycel = new ArrayList<>();
  private KadPeer js;

  @BeforeEach
  void startNetwork() throws Exception {
    KadPeer.requireAvailable();
    Clock clock = Clock.systemUTC();
    for (int i = 0; i < MYCEL_NODES; i++) {
      NettyHost host = hosts.start();
      mycelHosts.add(host);
      mycel.add(new KadDht(host, KadConfig.DEFAULT, clock,
          Map.of(IpnsRecordValidator.NAMESPACE, new IpnsRecordValidator(clock))).start());
    }
    Multiaddr bootstrap = addressOf(mycelHosts.get(0));
    for (int i = 1; i < MYCEL_NODES; i++) {
      mycel.get(i).addBootstrapPeer(bootstrap).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    js = KadPeer.start();
    PeerId jsPeer = PeerId.parse(js.peerId());
    js.dial(bootstrap.toString()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    // both ends add the other once identify says it serves the DHT protocol
    awaitCondition("the JS node has the bootstrap node in its routing table",
        () -> js.routingTableSize().join() > 0);
    awaitCondition("the bootstrap node has the JS node in its routing table",
        () -> mycel.get(0).routingTable().contains(jsPeer));

    for (int i = 1; i < MYCEL_NODES; i++) {
      mycel.get(i).bootstrap().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    js.findClosestPeers(jsPeer.bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    if (js != null) {
      js.close();
    }
    mycel.forEach(KadDht::close);
  }

  private static Multiaddr addressOf(NettyHost host) {
    return host.listenAddresses().get(0).withPeerId(host.peerId());
  }

  private static void awaitCondition(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  @Test
  void theJsNodeLearnsEveryMycelNodeThroughTheBootstrapNode() throws Exception {
    List<String> closest =
        js.findClosestPeers(mycelHosts.get(2).peerId().bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(closest).contains(
        mycelHosts.get(1).peerId().toBase58(), mycelHosts.get(2).peerId().toBase58());
    List<String> addrs =
        js.findPeer(mycelHosts.get(2).peerId().toBase58()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(addrs).contains(mycelHosts.get(2).listenAddresses().get(0).toString());
  }

  @Test
  void theJsNodeFindsAProviderThatMycelAnnounced() throws Exception {
    NettyHost provider = mycelHosts.get(1);
    assertThat(mycel.get(1).provide(Cid.parse(HELLO_CID)).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isPositive();

    List<KadPeer.Provider> found =
        js.findProviders(HELLO_CID, 1).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(found).extracting(KadPeer.Provider::peerId)
        .containsExactly(provider.peerId().toBase58());
    assertThat(found.get(0).addrs()).contains(provider.listenAddresses().get(0).toString());
  }

  @Test
  void mycelFindsAProviderThatTheJsNodeAnnounced() throws Exception {
    js.provide(EMPTY_CID).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    List<ProviderStore.Provider> found =
        mycel.get(2).findProviders(Cid.parse(EMPTY_CID)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(found).extracting(ProviderStore.Provider::peer)
        .contains(PeerId.parse(js.peerId()));
    ProviderStore.Provider jsProvider = found.stream()
        .filter(p -> p.peer().equals(PeerId.parse(js.peerId()))).findFirst().orElseThrow();
    // js-libp2p sends its listen address with or without the /p2p/<id> suffix
    String jsTcp = js.addr().replace("/p2p/" + js.peerId(), "");
    assertThat(jsProvider.addresses()).extracting(Multiaddr::toString)
        .anySatisfy(a -> assertThat(a).isIn(jsTcp, js.addr()));
  }

  @Test
  void anIpnsRecordPublishedByMycelResolvesAndValidatesOnTheJsNode() throws Exception {
    PrivateKey siteKey = Ed25519.generate();
    IpnsName name = IpnsName.parse("/ipns/" + PeerId.fromPublicKey(siteKey.publicKey()));
    byte[] record = IpnsRecord.create(siteKey, "/ipfs/" + HELLO_CID, 7,
        Instant.now().plus(Duration.ofHours(24)), Duration.ofMinutes(5)).marshal();
    assertThat(mycel.get(2).putValue(name.routingKey(), record).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isPositive();

    KadPeer.Value resolved = js.getValue(name.routingKey()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(resolved.value()).isEqualTo(record);
    // set only after the ipns package's validator accepted the record for this name
    assertThat(resolved.ipnsValue()).contains("/ipfs/" + HELLO_CID);
    assertThat(resolved.ipnsSequence()).contains(7L);
  }

  @Test
  void anIpnsRecordPublishedByTheJsNodeResolvesAndValidatesOnMycel() throws Exception {
    KadPeer.IpnsRecordBytes published =
        js.createIpnsRecord("/ipfs/" + EMPTY_CID, 3, Duration.ofHours(24))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(IpnsName.fromRoutingKey(published.routingKey()).peerId())
        .isEqualTo(PeerId.parse(js.peerId()));
    js.putValue(published.routingKey(), published.record()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    byte[] resolved = mycel.get(1).getValue(published.routingKey())
        .get(WAIT.toSeconds(), TimeUnit.SECONDS).orElseThrow();

    assertThat(resolved).isEqualTo(published.record());
    // getValue keeps only records the IPNS validator accepted; check it once more here
    new IpnsRecordValidator(Clock.systemUTC()).validate(published.routingKey(), resolved);
    IpnsRecord decoded = IpnsRecord.unmarshal(resolved);
    assertThat(decoded.path()).isEqualTo("/ipfs/" + EMPTY_CID);
    assertThat(decoded.sequence()).isEqualTo(3);
  }
}
