package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Nodes join the DHT through the bootstrap peers of their config. */
class NodeDhtTest {
  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(Node::close);
  }

  private Node start(List<String> bootstrap) {
    NodeConfig base = NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0"));
    Node node = Node.start(Ed25519.generate(),
        new NodeConfig(base.swarm(), base.limits(), base.storage(), null, bootstrap));
    nodes.add(node);
    return node;
  }

  @Test
  void nodesBootstrappedThroughTheFirstFindEachOther() throws Exception {
    Node first = start(List.of());
    List<String> bootstrap = List.of(first.dialableAddresses().get(0).toString());
    Node second = start(bootstrap);
    start(bootstrap);
    Node last = start(bootstrap);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (first.dht().routingTable().size() < 3 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    assertThat(first.dht().routingTable().size()).isEqualTo(3);
    List<PeerId> closest = last.dht().findClosestPeers(second.peerId().bytes()).get(20, TimeUnit.SECONDS);
    assertThat(closest).contains(second.peerId());
  }
}
