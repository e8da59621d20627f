package io.mycel.testkit.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NAT traversal between separate processes on a namespace Internet (see {@link Topology}): on the
 * public network a relay R (circuits capped at 256 KiB, two reservations), a second relay R2
 * (circuits capped at two seconds) and a plain public node P; one node in each of two homes
 * behind its own port-keeping NAT, configured with R as their relay. The scenarios build on each
 * other, in order. Skipped, with the reason, where namespaces cannot be created; {@code
 * RelayedUpgradeLoopbackTest} in mycel-net runs the same scenarios on loopback everywhere.
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatTopologyTest {

  private static final long CIRCUIT_BYTES = 256 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(NatTopologyTest.class);

  @TempDir static Path logs;

  private static Topology topology;
  private static final List<TestNode> nodes = new ArrayList<>();
  private static TestNode relay;
  private static TestNode relay2;
  private static TestNode publicPeer;
  private static TestNode homeA;
  private static TestNode homeB;

  @BeforeAll
  static void build() throws Exception {
    Assumptions.assumeTrue(Topology.unavailableReason().isEmpty(),
        () -> "skipping the namespace topology tests: " + Topology.unavailableReason().orElse(""));
    topology = Topology.create(2);
    String pub = topology.publicNamespace();
    var relayStart = starting(pub, "relay", "--listen", publicAddress(4001), "--relay",
        "--relay-bytes", Long.toString(CIRCUIT_BYTES), "--relay-reservations", "2");
    var relay2Start = starting(pub, "relay2", "--listen", publicAddress(4003), "--relay",
        "--relay-seconds", "2", "--relay-bytes", Long.toString(64L << 20));
    var publicStart = starting(pub, "public", "--listen", publicAddress(4002));
    relay = track(relayStart.get());
    String relayAddress = publicAddress(4001) + "/p2p/" + relay.peerId();
    var homeAStart = starting(topology.homes().get(0).hostNamespace(), "homeA",
        "--listen", "/ip4/0.0.0.0/tcp/4001", "--static-relay", relayAddress);
    var homeBStart = starting(topology.homes().get(1).hostNamespace(), "homeB",
        "--listen", "/ip4/0.0.0.0/tcp/4001", "--static-relay", relayAddress);
    relay2 = track(relay2Start.get());
    publicPeer = track(publicStart.get());
    homeA = track(homeAStart.get());
    homeB = track(homeBStart.get());
    for (TestNode home : List.of(homeA, homeB)) {
      home.call("connect " + relayAddress);
      home.call("connect " + publicAddress(4002) + "/p2p/" + publicPeer.peerId());
    }
  }

  private static String publicAddress(int port) {
    return "/ip4/" + Topology.PUBLIC_IP + "/tcp/" + port;
  }

  private static String circuit(TestNode via, int port, TestNode target) {
    return publicAddress(port) + "/p2p/" + via.peerId() + "/p2p-circuit/p2p/" + target.peerId();
  }

  /** Starts a node on its own thread: JVM start-up dominates, and the nodes overlap. */
  private static CompletableFuture<TestNode> starting(String namespace, String name, String... args) {
    CompletableFuture<TestNode> node = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        node.complete(TestNode.start(topology, namespace, name, logs.resolve(name + ".log"), List.of(args)));
      } catch (Throwable t) {
        node.completeExceptionally(t);
      }
    });
    return node;
  }

  private static TestNode track(TestNode node) {
    nodes.add(node);
    return node;
  }

  @AfterAll
  static void tearDown() {
    nodes.forEach(TestNode::close);
    if (topology != null) {
      topology.close();
    }
  }

  @Test
  @Order(1)
  void homeNodesSeeTheirRoutersAddressAsObserved() throws Exception {
    assertThat(homeA.call("observed")).contains("/ip4/" + topology.homes().get(0).routerWanIp() + "/tcp/");
    assertThat(homeB.call("observed")).contains("/ip4/" + topology.homes().get(1).routerWanIp() + "/tcp/");
  }

  @Test
  @Order(2)
  void autoNatFindsHomeNodesPrivateAndTheRelayPublic() throws Exception {
    long start = System.nanoTime();
    assertThat(awaitProbe(homeA)).matches("PRIVATE [1-9] -");
    LOG.info("AutoNAT: home A private after {} ms", Duration.ofNanos(System.nanoTime() - start).toMillis());
    assertThat(awaitProbe(homeB)).matches("PRIVATE [1-9] -");
    assertThat(awaitProbe(relay)).matches("PUBLIC [1-9] " + publicAddress(4001).replace(".", "\\."));
  }

  @Test
  @Order(3)
  void privateHomeNodesReserveOnTheirRelay() throws Exception {
    await("home A to reserve on R", () -> homeA.call("reservations").contains(relay.peerId()));
    await("home B to reserve on R", () -> homeB.call("reservations").contains(relay.peerId()));
  }

  @Test
  @Order(4)
  void peerPastTheRelaysReservationCapIsRefused() {
    assertThatThrownBy(() -> publicPeer.call("reserve " + publicAddress(4001) + "/p2p/" + relay.peerId()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("RelayRefusedException");
  }

  @Test
  @Order(5)
  void contentPublishedInHomeAIsFetchedFromHomeBThroughTheRelay() throws Exception {
    homeA.call("dcutr off");
    String cid = homeA.call("put 65536 42");
    long before = Long.parseLong(relay.call("relayed-bytes"));

    assertThat(homeB.call("dial " + circuit(relay, 4001, homeA))).endsWith(" relayed");
    assertThat(homeB.call("fetch " + cid + " " + homeA.peerId())).isEqualTo("65536 relayed");

    assertThat(Long.parseLong(relay.call("relayed-bytes")) - before).isGreaterThan(65536);
  }

  @Test
  @Order(6)
  void holePunchMovesTheHomesToADirectConnectionAndBytesLeaveTheRelay() throws Exception {
    homeA.call("dcutr on");

    long start = System.nanoTime();
    String direct = homeA.call("upgrade " + homeB.peerId());
    LOG.info("hole punch home A -> home B took {} ms (command round trip included)",
        Duration.ofNanos(System.nanoTime() - start).toMillis());

    assertThat(direct).isEqualTo("/ip4/" + topology.homes().get(1).routerWanIp() + "/tcp/4001");
    await("home B to see the direct connection", () -> homeB.call("connections " + homeA.peerId()).contains("direct"));
    await("the relayed connection to close after its grace period",
        () -> !homeB.call("connections " + homeA.peerId()).contains("relayed")
            && !homeA.call("connections " + homeB.peerId()).contains("relayed"));
    long before = Long.parseLong(relay.call("relayed-bytes"));
    assertThat(homeB.call("echo " + homeA.peerId() + " 1048576")).isEqualTo("direct");
    String cid = homeA.call("put 65536 43");
    assertThat(homeB.call("fetch " + cid + " " + homeA.peerId())).isEqualTo("65536 direct");
    // None of the 1 MiB echo nor the 64 KiB block crosses the relay; at most the last frames of
    // the closed circuit (a Yamux go-away, a Noise-sealed close) may still arrive there.
    assertThat(Long.parseLong(relay.call("relayed-bytes")) - before)
        .as("bytes through the relay while 1.06 MiB moved between the homes")
        .isLessThan(1024);
  }

  @Test
  @Order(7)
  void circuitPastItsByteCapIsClosed() throws Exception {
    homeB.call("dcutr off");
    assertThat(publicPeer.call("dial-relayed " + circuit(relay, 4001, homeB))).endsWith(" relayed");

    assertThatThrownBy(() -> publicPeer.call("echo " + homeB.peerId() + " " + 4 * CIRCUIT_BYTES + " relayed"))
        .isInstanceOf(IOException.class);
    await("the capped circuit to close",
        () -> !publicPeer.call("connections " + homeB.peerId()).contains("relayed"));
  }

  @Test
  @Order(8)
  void circuitPastItsTimeCapIsClosed() throws Exception {
    homeA.call("dcutr off");
    homeA.call("reserve " + publicAddress(4003) + "/p2p/" + relay2.peerId());
    assertThat(publicPeer.call("dial-relayed " + circuit(relay2, 4003, homeA))).endsWith(" relayed");
    long opened = System.nanoTime();
    assertThat(publicPeer.call("echo " + homeA.peerId() + " 1024 relayed")).isEqualTo("relayed");

    await("the circuit to close after its two seconds",
        () -> !publicPeer.call("connections " + homeA.peerId()).contains("relayed"));

    assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThan(Duration.ofMillis(1500));
  }

  /** Waits until identify has told the node about two AutoNAT servers, then probes once. */
  private static String awaitProbe(TestNode node) throws Exception {
    await(node + " to know two AutoNAT servers", () -> Integer.parseInt(node.call("servers")) >= 2);
    return node.call("probe");
  }

  interface Check {
    boolean holds() throws Exception;
  }

  static void await(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }
}
