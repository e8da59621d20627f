package io.mycel.testkit.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.peer.PeerId;
import io.mycel.node.Names;
import io.mycel.node.Node;
import io.mycel.node.NodeConfig;
import io.mycel.routing.ipns.IpnsName;
import io.mycel.routing.ipns.IpnsRecord;
import io.mycel.testkit.js.HeliaIpnsPeer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPNS names between Mycel and Helia ({@code @helia/ipns}) over one Kademlia DHT: three Mycel
 * nodes and a Helia node, joined through the first Mycel node. A name Mycel publishes resolves in
 * Helia, and one Helia publishes resolves in Mycel, each after the other side's validator checked
 * the record.
 */
@Tag("interop")
class HeliaIpnsInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String V1 = "/ipfs/bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
  private static final String V2 = "/ipfs/bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

  @TempDir Path dir;
  private final List<Node> mycel = new ArrayList<>();
  private HeliaIpnsPeer helia;

  @BeforeEach
  void startNetwork() throws Exception {
    HeliaIpnsPeer.requireAvailable();
    for (int i = 0; i < 3; i++) {
      Node node = Node.start(Ed25519.generate(),
          NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0")));
      if (i > 0) {
        node.dht().addBootstrapPeer(mycel.getFirst().dialableAddresses().getFirst())
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      mycel.add(node);
    }
    helia = HeliaIpnsPeer.start();
    PeerId heliaPeer = PeerId.parse(helia.peerId());
    helia.dial(mycel.getFirst().dialableAddresses().getFirst().toString())
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    awaitCondition("Helia has the bootstrap node in its routing table",
        () -> helia.routingTableSize().join() > 0);
    awaitCondition("the bootstrap node has Helia in its routing table",
        () -> mycel.getFirst().dht().routingTable().contains(heliaPeer));
    for (int i = 1; i < mycel.size(); i++) {
      mycel.get(i).dht().bootstrap().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void stop() {
    if (helia != null) {
      helia.close();
    }
    mycel.forEach(Node::close);
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

  private Names names(String home) {
    return new Names(dir.resolve(home).resolve(Names.STATE_FILE), Clock.systemUTC(),
        Duration.ofSeconds(30));
  }

  @Test
  void aNameMycelPublishedResolvesInHelia() throws Exception {
    PrivateKey key = Ed25519.generate();
    Names publisher = names("publisher");
    Names.Publication first = publisher.publish(mycel.get(1), key, V1, Duration.ofHours(1),
        Duration.ofMinutes(5));
    assertThat(first.peers()).isPositive();

    HeliaIpnsPeer.Record resolved = helia.resolve(first.name().toBase36())
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(resolved.value()).isEqualTo(V1);
    assertThat(resolved.sequence()).isZero();

    publisher.publish(mycel.get(2), key, V2, Duration.ofHours(1), Duration.ofMinutes(5));
    HeliaIpnsPeer.Record again = helia.resolve(first.name().toString())
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(again.value()).isEqualTo(V2);
    assertThat(again.sequence()).isEqualTo(1);
  }

  @Test
  void aNameHeliaPublishedResolvesInMycel() throws Exception {
    HeliaIpnsPeer.Record published = helia.publish(V1, Duration.ofHours(1))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(published.value()).isEqualTo(V1);
    IpnsName name = IpnsName.parse(published.name());

    IpnsRecord resolved = names("resolver").resolveRecord(mycel.get(2), name);
    assertThat(resolved.path()).isEqualTo(V1);
    assertThat(resolved.sequence()).isEqualTo(published.sequence());

    HeliaIpnsPeer.Record republished = helia.publish(V2, Duration.ofHours(1))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(republished.sequence()).isEqualTo(published.sequence() + 1);
    assertThat(names("resolver").resolve(mycel.get(1), published.name())).isEqualTo(V2);
  }
}
