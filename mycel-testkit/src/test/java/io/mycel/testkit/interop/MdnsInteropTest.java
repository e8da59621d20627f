package io.mycel.testkit.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.peer.PeerId;
import io.mycel.node.Node;
import io.mycel.node.NodeConfig;
import io.mycel.routing.mdns.MdnsConfig;
import io.mycel.testkit.js.MdnsPeer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Mycel's mDNS discovery and js-libp2p's {@code @libp2p/mdns} on one multicast group (a UDP port
 * of the test's own on 224.0.0.251, every interface that can multicast): two Mycel nodes and one
 * JS node, none with a bootstrap peer, find each other, and the Mycel nodes put all the others in
 * their DHT routing tables.
 */
@Tag("interop")
class MdnsInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration INTERVAL = Duration.ofMillis(500);

  private final List<Node> mycel = new ArrayList<>();
  private MdnsPeer js;
  private int port;

  @BeforeEach
  void start() throws IOException {
    MdnsPeer.requireAvailable();
    try (DatagramSocket socket = new DatagramSocket(0)) {
      port = socket.getLocalPort();
    }
    MdnsConfig config = MdnsConfig.DEFAULT.withPort(port).withInterval(INTERVAL);
    for (int i = 0; i < 2; i++) {
      Node node = Node.start(Ed25519.generate(),
          NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0")));
      mycel.add(node);
      try {
        node.startMdns(config);
      } catch (IOException e) {
        Assumptions.abort("mDNS cannot run here: " + e.getMessage());
      }
    }
    js = MdnsPeer.start(port, INTERVAL);
  }

  @AfterEach
  void stop() {
    if (js != null) {
      js.close();
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

  @Test
  void mycelAndJsLibp2pFindEachOtherByMdns() throws Exception {
    PeerId jsPeer = PeerId.parse(js.peerId());
    for (Node node : mycel) {
      String address = node.host().listenAddresses().getFirst().toString();
      awaitCondition("the JS node reports " + node.peerId() + " at " + address + " found by mDNS",
          () -> js.discovered().join().stream()
              .anyMatch(d -> d.peerId().equals(node.peerId().toBase58())
                  && d.addrs().contains(address)));

      awaitCondition(node.peerId() + " has the JS node in its routing table",
          () -> node.dht().routingTable().contains(jsPeer));
      assertThat(node.host().peerStore().get(jsPeer).orElseThrow().addresses().stream()
          .map(Object::toString)).contains(js.addr().substring(0, js.addr().indexOf("/p2p/")));
    }
    awaitCondition("the Mycel nodes have each other in their routing tables",
        () -> mycel.get(0).dht().routingTable().contains(mycel.get(1).peerId())
            && mycel.get(1).dht().routingTable().contains(mycel.get(0).peerId()));
    assertThat(js.connections().join())
        .contains(mycel.get(0).peerId().toBase58(), mycel.get(1).peerId().toBase58());
  }
}
