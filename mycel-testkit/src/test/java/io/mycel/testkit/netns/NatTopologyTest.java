package io.mycel.testkit.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes in separate processes on a namespace Internet (see {@link Topology}): two public nodes,
 * and one node in each of two NATed homes. Skipped where namespaces cannot be created.
 */
@Timeout(180)
class NatTopologyTest {

  @TempDir static Path logs;

  private static Topology topology;
  private static final List<TestNode> nodes = new ArrayList<>();
  private static TestNode relay;
  private static TestNode publicPeer;
  private static TestNode homeA;
  private static TestNode homeB;

  @BeforeAll
  static void build() throws Exception {
    Assumptions.assumeTrue(Topology.unavailableReason().isEmpty(),
        () -> "skipping the namespace topology tests: " + Topology.unavailableReason().orElse(""));
    topology = Topology.create(2);
    String pub = topology.publicNamespace();
    String hostA = topology.homes().get(0).hostNamespace();
    String hostB = topology.homes().get(1).hostNamespace();
    var relayStart = starting(pub, "relay", "/ip4/" + Topology.PUBLIC_IP + "/tcp/4001");
    var publicStart = starting(pub, "public", "/ip4/" + Topology.PUBLIC_IP + "/tcp/4002");
    var homeAStart = starting(hostA, "homeA", "/ip4/0.0.0.0/tcp/4001");
    var homeBStart = starting(hostB, "homeB", "/ip4/0.0.0.0/tcp/4001");
    relay = track(relayStart.get());
    publicPeer = track(publicStart.get());
    homeA = track(homeAStart.get());
    homeB = track(homeBStart.get());
    for (TestNode home : List.of(homeA, homeB)) {
      home.call("connect /ip4/" + Topology.PUBLIC_IP + "/tcp/4001/p2p/" + relay.peerId());
      home.call("connect /ip4/" + Topology.PUBLIC_IP + "/tcp/4002/p2p/" + publicPeer.peerId());
    }
  }

  /** Starts a node on its own thread: JVM start-up dominates, and the four overlap. */
  private static CompletableFuture<TestNode> starting(String namespace, String name, String listen) {
    CompletableFuture<TestNode> node = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        node.complete(TestNode.start(topology, namespace, name, logs.resolve(name + ".log"), listen));
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
  void homeNodesSeeTheirRoutersAddressAsObserved() throws Exception {
    assertThat(homeA.call("observed")).contains("/ip4/" + topology.homes().get(0).routerWanIp() + "/tcp/");
    assertThat(homeB.call("observed")).contains("/ip4/" + topology.homes().get(1).routerWanIp() + "/tcp/");
  }

  @Test
  void homeNodesBehindNatAreFoundPrivate() throws Exception {
    // Two or more servers answered (more once the hole punch test connected the homes).
    assertThat(awaitProbe(homeA)).matches("PRIVATE [1-9] -");
    assertThat(awaitProbe(homeB)).matches("PRIVATE [1-9] -");
  }

  @Test
  void publicNodeIsFoundPublic() throws Exception {
    String status = awaitProbe(relay);

    assertThat(status).matches("PUBLIC [1-9] /ip4/" + Topology.PUBLIC_IP.replace(".", "\\.") + "/tcp/4001");
  }

  @Test
  void homeNodesBehindPortKeepingNatsOpenADirectConnectionBySimultaneousDials() throws Exception {
    String routerA = topology.homes().get(0).routerWanIp();
    String routerB = topology.homes().get(1).routerWanIp();
    CompletableFuture<String> aSide = calling(homeA,
        "punch /ip4/" + routerB + "/tcp/4001 " + homeB.peerId() + " responder");
    CompletableFuture<String> bSide = calling(homeB,
        "punch /ip4/" + routerA + "/tcp/4001 " + homeA.peerId() + " client");

    assertThat(bSide.get(30, TimeUnit.SECONDS)).isEqualTo("/ip4/" + routerA + "/tcp/4001 initiator");
    assertThat(aSide.get(30, TimeUnit.SECONDS)).isEqualTo("/ip4/" + routerB + "/tcp/4001 responder");
  }

  private static CompletableFuture<String> calling(TestNode node, String command) {
    CompletableFuture<String> reply = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        reply.complete(node.call(command));
      } catch (Throwable t) {
        reply.completeExceptionally(t);
      }
    });
    return reply;
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
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
