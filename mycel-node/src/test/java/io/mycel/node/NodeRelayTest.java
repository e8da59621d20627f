package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.net.Connection;
import io.mycel.net.ping.PingService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes configured as a relay and as a peer that keeps a reservation on it. */
class NodeRelayTest {
  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(Node::close);
  }

  private Node start(NodeConfig.Relay relay) {
    NodeConfig config = NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0"))
        .withGateway("").withRelay(relay);
    Node node = Node.start(Ed25519.generate(), config);
    nodes.add(node);
    return node;
  }

  @Test
  void aNodeReservesOnItsStaticRelayAndIsReachedThroughIt() throws Exception {
    NodeConfig.Relay defaults = NodeConfig.Relay.defaults();
    Node relay = start(new NodeConfig.Relay(true, 3600, 16, 8, 16, 4, 60, 1 << 20, false, 0, 0, List.of()));
    String relayAddress = relay.dialableAddresses().get(0).toString();
    Node b = start(new NodeConfig.Relay(false, defaults.reservationTtlSeconds(), 0, 0, 0, 0, 0, 0,
        false, 0, 0, List.of(relayAddress)));
    Node a = start(defaults);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (b.relayClient().circuitAddresses().isEmpty() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    Multiaddr circuit = b.relayClient().circuitAddresses().get(0);
    assertThat(b.host().advertisedAddresses()).contains(circuit);

    Connection relayed = a.host().dial(circuit.withPeerId(b.peerId())).get(10, TimeUnit.SECONDS);

    assertThat(relayed.isRelayed()).isTrue();
    assertThat(PingService.ping(relayed).get(10, TimeUnit.SECONDS)).isPositive();
    assertThat(relay.relayService()).isPresent();
    assertThat(relay.relayService().get().meter().peer(a.peerId()).bytesFromPeer()).isPositive();
    assertThat(b.relayService()).isEmpty();
  }

  @Test
  void theRelaysMeterIsInItsMetrics(@TempDir java.nio.file.Path dir) throws Exception {
    NodeConfig.Relay defaults = NodeConfig.Relay.defaults();
    Node relay = start(new NodeConfig.Relay(true, 3600, 16, 8, 16, 4, 60, 1 << 20, false, 0, 0, List.of()));
    Node b = start(new NodeConfig.Relay(false, defaults.reservationTtlSeconds(), 0, 0, 0, 0, 0, 0,
        false, 0, 0, List.of(relay.dialableAddresses().get(0).toString())));
    Node a = start(defaults);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (b.relayClient().circuitAddresses().isEmpty() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    Connection relayed = a.host().dial(b.relayClient().circuitAddresses().get(0)
        .withPeerId(b.peerId())).get(10, TimeUnit.SECONDS);
    PingService.ping(relayed).get(10, TimeUnit.SECONDS);
    NodeHome home = new NodeHome(dir.resolve("relay"));
    home.init(NodeConfig.defaults());

    String text;
    try (Repo repo = Repo.open(home, home.loadConfig())) {
      text = new io.mycel.node.metrics.NodeMetrics(relay, repo, null, null).render();
    }

    long fromA = relay.relayService().get().meter().peer(a.peerId()).bytesFromPeer();
    assertThat(fromA).isPositive();
    assertThat(text).contains("mycel_relay_reservations 1")
        .contains("mycel_relay_circuits 1")
        .contains("mycel_relay_peer_bytes_total{direction=\"from_peer\",peer=\"" + a.peerId()
            + "\"} ");
    assertThat(text).containsPattern("mycel_relay_bytes_total [1-9]");
  }
}
