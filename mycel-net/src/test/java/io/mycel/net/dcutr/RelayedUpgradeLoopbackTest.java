package io.mycel.net.dcutr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.net.Connection;
import io.mycel.net.MycelNetException;
import io.mycel.net.Stream;
import io.mycel.net.autonat.AutoNatConfig;
import io.mycel.net.autonat.AutoNatService;
import io.mycel.net.autorelay.AutoRelay;
import io.mycel.net.autorelay.AutoRelayConfig;
import io.mycel.net.host.NettyHost;
import io.mycel.net.multistream.testing.Conditions;
import io.mycel.net.relay.RelayClient;
import io.mycel.net.relay.RelayLimits;
import io.mycel.net.relay.RelayRefusedException;
import io.mycel.net.relay.RelayService;
import io.mycel.net.testing.Echo;
import io.mycel.net.testing.NettyLeakDetection;
import io.mycel.net.testing.TestHosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The NAT traversal scenarios with every node on loopback, so that they run everywhere (the
 * namespace topology test runs them behind real NATs where it can): a relay R, a node B that
 * AutoRelay reserves on R, and a node A that reaches B through R. Without NATs, A plays a peer
 * whose own dials cannot get out, and B's dial upgrades the connection, as it would to a public A.
 */
@ExtendWith(NettyLeakDetection.class)
class RelayedUpgradeLoopbackTest {

  @RegisterExtension final TestHosts hosts = new TestHosts();

  private final List<AutoCloseable> services = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable service : services.reversed()) {
      service.close();
    }
  }

  private <T extends AutoCloseable> T track(T service) {
    services.add(service);
    return service;
  }

  private static Multiaddr addressOf(NettyHost host) {
    return host.listenAddresses().get(0).withPeerId(host.peerId());
  }

  private record Nodes(NettyHost relay, RelayService service, NettyHost a, NettyHost b,
      DcutrService dcutrA, DcutrService dcutrB, AutoRelay autoRelayB) {
    Multiaddr circuitToB() {
      return addressOf(relay).encapsulate("/p2p-circuit").withPeerId(b.peerId());
    }
  }

  private Nodes nodes(UnaryOperator<RelayLimits> limits) {
    NettyHost relay = hosts.start();
    RelayService service = track(new RelayService(relay, limits.apply(RelayLimits.defaults())).start());
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    track(new RelayClient(a).start());
    RelayClient clientB = track(new RelayClient(b).start());
    AutoNatService autonatB = track(new AutoNatService(b, AutoNatConfig.DEFAULT.withPrivateAddresses(true)
        .withSchedule(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1))).start());
    AutoRelay autoRelay = track(new AutoRelay(b, clientB, autonatB, AutoRelayConfig.DEFAULT
        .withStaticRelays(List.of(addressOf(relay))).withOnlyWhenPrivate(false), () -> {}).start());
    DcutrConfig config = DcutrConfig.DEFAULT.withPrivateAddresses(true)
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(500));
    DcutrService dcutrA = track(new DcutrService(a, config, a::listenAddresses,
        (address, peer, asResponder) -> CompletableFuture.failedFuture(new MycelNetException("no way out"))).start());
    DcutrService dcutrB = track(new DcutrService(b, config, b::listenAddresses, b::dialDirect).start());
    return new Nodes(relay, service, a, b, dcutrA, dcutrB, autoRelay);
  }

  @Test
  void autoRelayReservesAndAdvertisesTheCircuitAddress() throws Exception {
    Nodes n = nodes(l -> l);

    Conditions.await("B to hold a reservation", () -> n.autoRelayB().relays().contains(n.relay().peerId()),
        Duration.ofSeconds(10));

    assertThat(n.b().advertisedAddresses()).contains(addressOf(n.relay()).encapsulate("/p2p-circuit"));
    assertThat(n.service().reservationCount()).isEqualTo(1);
  }

  @Test
  void connectionThroughTheRelayIsUpgradedAndTrafficLeavesTheRelay() throws Exception {
    Nodes n = nodes(l -> l.withCircuitCaps(Duration.ofMinutes(2), 8L << 20));
    Conditions.await("B to hold a reservation", () -> !n.autoRelayB().relays().isEmpty(), Duration.ofSeconds(10));

    Connection relayed = n.a().dial(n.circuitToB()).get(10, TimeUnit.SECONDS);
    assertThat(relayed.isRelayed()).isTrue();
    Conditions.await("B to punch through", () -> n.dcutrB().upgrades() == 1, Duration.ofSeconds(15));
    Conditions.await("A to see the direct connection",
        () -> n.a().connections(n.b().peerId()).stream().anyMatch(c -> !c.isRelayed()), Duration.ofSeconds(5));

    long relayedBytes = n.service().meter().totalBytes();
    Stream stream = n.a().newStream(n.b().peerId(), List.of(TestHosts.ECHO)).get(10, TimeUnit.SECONDS);
    assertThat(stream.connection().isRelayed()).isFalse();
    assertThat(Echo.roundTrip(stream, 256 * 1024, 7)).isTrue();
    // 512 KiB went both ways directly; the relay saw at most the relayed connection's own
    // closing frames.
    assertThat(n.service().meter().totalBytes() - relayedBytes).isLessThan(1024);
    Conditions.await("the relayed connection to close after the grace period", () -> !relayed.isOpen(),
        Duration.ofSeconds(5));
  }

  @Test
  void circuitPastItsByteCapIsClosed() throws Exception {
    Nodes n = nodes(l -> l.withCircuitCaps(Duration.ofMinutes(2), 64 * 1024));
    n.dcutrB().close();
    Conditions.await("B to hold a reservation", () -> !n.autoRelayB().relays().isEmpty(), Duration.ofSeconds(10));
    Connection relayed = n.a().dial(n.circuitToB()).get(10, TimeUnit.SECONDS);

    Stream stream = relayed.openStream(TestHosts.ECHO).get(10, TimeUnit.SECONDS);
    boolean echoed;
    try {
      echoed = Echo.roundTrip(stream, 256 * 1024, 3);
    } catch (Exception e) {
      echoed = false;
    }

    assertThat(echoed).isFalse();
    Conditions.await("the capped circuit to close", () -> !relayed.isOpen(), Duration.ofSeconds(10));
  }

  @Test
  void circuitPastItsTimeCapIsClosed() throws Exception {
    Nodes n = nodes(l -> l.withCircuitCaps(Duration.ofSeconds(1), 8L << 20));
    n.dcutrB().close();
    Conditions.await("B to hold a reservation", () -> !n.autoRelayB().relays().isEmpty(), Duration.ofSeconds(10));

    Connection relayed = n.a().dial(n.circuitToB()).get(10, TimeUnit.SECONDS);

    Conditions.await("the circuit to close after its second", () -> !relayed.isOpen(), Duration.ofSeconds(10));
  }

  @Test
  void peerPastTheReservationCapIsRefused() throws Exception {
    Nodes n = nodes(l -> l.withReservations(1, 8, Duration.ofHours(1)));
    Conditions.await("B to hold the one reservation", () -> !n.autoRelayB().relays().isEmpty(), Duration.ofSeconds(10));
    RelayClient clientA = new RelayClient(n.a());

    assertThatThrownBy(() -> clientA.reserve(addressOf(n.relay())).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RelayRefusedException.class);
    assertThat(n.service().reservationCount()).isEqualTo(1);
  }
}
