package io.mycel.net.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.Stream;
import io.mycel.net.host.NettyHost;
import io.mycel.net.ping.PingService;
import io.mycel.net.relay.pb.CircuitProtos.Status;
import io.mycel.net.testing.Echo;
import io.mycel.net.testing.LogCapture;
import io.mycel.net.testing.TestHosts;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Relay R, a reserved peer B and a dialer A, all real hosts on loopback. */
class RelayTest {
  @RegisterExtension final TestHosts hosts = new TestHosts();
  @RegisterExtension final LogCapture logs = new LogCapture();

  static Multiaddr addressOf(NettyHost host) {
    return host.listenAddresses().get(0).withPeerId(host.peerId());
  }

  /** Three hosts: a relay with {@code limits}, and two relay clients. */
  record Trio(NettyHost relay, RelayService service, NettyHost a, RelayClient clientA, NettyHost b,
      RelayClient clientB) {
    Multiaddr circuitToB() {
      return addressOf(relay).encapsulate("/p2p-circuit").withPeerId(b.peerId());
    }
  }

  Trio trio(UnaryOperator<RelayLimits> limits) {
    NettyHost relay = hosts.start();
    RelayService service = new RelayService(relay, limits.apply(RelayLimits.defaults())).start();
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    return new Trio(relay, service, a, new RelayClient(a).start(), b, new RelayClient(b).start());
  }

  @Test
  void aReservationGivesACircuitAddressWithAValidVoucher() throws Exception {
    Trio t = trio(l -> l);

    RelayClient.Reservation reservation =
        t.clientB().reserve(addressOf(t.relay())).get(10, TimeUnit.SECONDS);

    assertThat(reservation.relay()).isEqualTo(t.relay().peerId());
    assertThat(reservation.addresses()).contains(addressOf(t.relay()).encapsulate("/p2p-circuit"));
    assertThat(reservation.voucher().peer()).isEqualTo(t.b().peerId());
    assertThat(reservation.voucher().relay()).isEqualTo(t.relay().peerId());
    assertThat(reservation.expire()).isAfter(java.time.Instant.now().plus(Duration.ofMinutes(59)));
    assertThat(reservation.limit()).contains(
        new RelayClient.CircuitLimit(RelayLimits.DEFAULT_CIRCUIT_DURATION, RelayLimits.DEFAULT_CIRCUIT_BYTES));
    assertThat(t.b().advertisedAddresses()).containsAll(reservation.addresses());
    assertThat(t.service().reservationCount()).isEqualTo(1);
  }

  @Test
  void aDialsBThroughTheRelayAndStreamsWorkBothWays() throws Exception {
    Trio t = trio(l -> l.withCircuitCaps(Duration.ofMinutes(2), 8L << 20));
    t.clientB().reserve(addressOf(t.relay())).get(10, TimeUnit.SECONDS);

    Connection toB = t.a().dial(t.circuitToB()).get(10, TimeUnit.SECONDS);

    assertThat(toB.remotePeer()).isEqualTo(t.b().peerId());
    assertThat(toB.isRelayed()).isTrue();
    assertThat(toB.securityProtocol()).isEqualTo("/noise");
    assertThat(toB.muxerProtocol()).isEqualTo("/yamux/1.0.0");
    Stream echo = toB.openStream(TestHosts.ECHO).get(10, TimeUnit.SECONDS);
    assertThat(Echo.roundTrip(echo, 256 * 1024, 1)).isTrue();

    awaitCondition(() -> t.b().connections(t.a().peerId()).stream().anyMatch(Connection::isRelayed));
    Connection toA = t.b().connections(t.a().peerId()).get(0);
    assertThat(toA.isInitiator()).isFalse();
    Stream back = toA.openStream(TestHosts.ECHO).get(10, TimeUnit.SECONDS);
    assertThat(Echo.roundTrip(back, 64 * 1024, 2)).isTrue();
  }

  @Test
  void sixteenMebibytesCrossTheRelayIntactBothWays() throws Exception {
    Trio t = trio(l -> l.withCircuitCaps(Duration.ZERO, 0));
    t.clientB().reserve(addressOf(t.relay())).get(10, TimeUnit.SECONDS);
    Connection toB = t.a().dial(t.circuitToB()).get(10, TimeUnit.SECONDS);

    java.util.List<java.util.concurrent.CompletableFuture<Boolean>> echoes = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Stream echo = toB.openStream(TestHosts.ECHO).get(10, TimeUnit.SECONDS);
      long seed = i;
      echoes.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return Echo.roundTrip(echo, 4 << 20, seed);
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      }));
    }

    for (var echo : echoes) {
      assertThat(echo.get(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(t.service().meter().peer(t.a().peerId()).bytesFromPeer()).isGreaterThan(16L << 20);
  }

  @Test
  void identifyAndPingWorkOverARelayedConnection() throws Exception {
    Trio t = trio(l -> l);
    t.clientB().reserve(addressOf(t.relay())).get(10, TimeUnit.SECONDS);

    Connection toB = t.a().dial(t.circuitToB()).get(10, TimeUnit.SECONDS);

    assertThat(PingService.ping(toB).get(10, TimeUnit.SECONDS)).isPositive();
    awaitCondition(() -> t.a().peerStore().get(t.b().peerId())
        .map(i -> i.agentVersion() != null && i.addresses().contains(
            addressOf(t.relay()).encapsulate("/p2p-circuit")))
        .orElse(false));
  }

  static void awaitCondition(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }
}
