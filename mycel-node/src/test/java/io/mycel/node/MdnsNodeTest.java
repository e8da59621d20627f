package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.testing.LogCapture;
import io.mycel.routing.kad.ProviderStore.Provider;
import io.mycel.routing.mdns.MdnsConfig;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/** Nodes with no bootstrap peers find each other by multicast on the loopback interface. */
class MdnsNodeTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension final LogCapture logs = new LogCapture();
  private final List<Node> nodes = new ArrayList<>();
  private MdnsConfig mdns;

  @BeforeEach
  void loopbackMulticast() throws IOException {
    NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
    Assumptions.assumeTrue(loopback != null && loopback.isUp(),
        "no loopback interface is up, so there is nothing to multicast on");
    int port;
    try (DatagramSocket socket = new DatagramSocket(0)) {
      port = socket.getLocalPort();
    }
    mdns = MdnsConfig.DEFAULT.withPort(port).withInterfaces(List.of(loopback.getName()))
        .withInterval(Duration.ofMillis(500));
  }

  @AfterEach
  void stop() {
    nodes.forEach(Node::close);
  }

  private Node start() throws IOException {
    Node node = Node.start(Ed25519.generate(),
        NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0")));
    nodes.add(node);
    try {
      node.startMdns(mdns);
    } catch (IOException e) {
      Assumptions.abort("mDNS cannot run here: " + e.getMessage());
    }
    return node;
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  @Test
  void threeNodesWithoutBootstrapFindEachOtherAndShareTheDht() throws Exception {
    List<Node> three = List.of(start(), start(), start());
    for (Node node : three) {
      for (Node other : three) {
        if (other != node) {
          await(node.peerId() + " has " + other.peerId() + " in its routing table",
              () -> node.dht().routingTable().contains(other.peerId()));
          assertThat(node.host().peerStore().get(other.peerId()).orElseThrow().addresses())
              .contains(other.host().listenAddresses().getFirst());
        }
      }
    }
    Cid cid = Cid.v1(Multicodec.RAW, Multihash.sha2_256("found by mDNS".getBytes(StandardCharsets.UTF_8)));
    three.get(0).provide(List.of(cid)).get(10, TimeUnit.SECONDS);
    List<Provider> providers = three.get(2).dht().findProviders(cid).get(10, TimeUnit.SECONDS);
    assertThat(providers).extracting(Provider::peer).contains(three.get(0).peerId());
  }

  @Test
  void announcementOfAnotherIdAtAKnownAddressConnectsNoOne() throws Exception {
    Node node = start();
    Node victim = Node.start(Ed25519.generate(),
        NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0")));
    nodes.add(victim);
    PeerId claimed = io.mycel.core.peer.PeerId.fromPublicKey(Ed25519.generate().publicKey());
    Multiaddr lie = victim.host().listenAddresses().getFirst().withPeerId(claimed);
    Name service = Name.fromConstantString("_p2p._udp.local.");
    Name target = Name.fromString("liar._p2p._udp.local.");
    Message response = new Message(0);
    response.getHeader().setFlag(Flags.QR);
    response.addRecord(new PTRRecord(service, DClass.IN, 120, target), Section.ANSWER);
    response.addRecord(new TXTRecord(target, DClass.IN, 120, "dnsaddr=" + lie), Section.ADDITIONAL);
    try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
      channel.bind(new InetSocketAddress("127.0.0.1", 0));
      channel.setOption(StandardSocketOptions.IP_MULTICAST_IF,
          NetworkInterface.getByName(mdns.interfaces().getFirst()));
      channel.send(ByteBuffer.wrap(response.toWire()),
          new InetSocketAddress(mdns.group(), mdns.port()));
    }
    // The dial expecting the claimed id reaches the victim, whose handshake proves another id.
    logs.await(WAIT, "mDNS", claimed.toString(), "is another peer");
    assertThat(node.dht().routingTable().contains(claimed)).isFalse();
    assertThat(node.host().peerStore().get(claimed).map(i -> i.addresses()).orElse(List.of()))
        .isEmpty();
    assertThat(node.host().connections(claimed)).isEmpty();
  }
}
