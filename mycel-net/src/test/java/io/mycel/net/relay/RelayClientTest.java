package io.mycel.net.relay;

import static io.mycel.net.relay.RelayTest.addressOf;
import static io.mycel.net.relay.RelayTest.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.peer.PeerId;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.host.NettyHost;
import io.mycel.net.relay.pb.CircuitProtos.HopMessage;
import io.mycel.net.relay.pb.CircuitProtos.Reservation;
import io.mycel.net.relay.pb.CircuitProtos.Status;
import io.mycel.net.testing.LogCapture;
import io.mycel.net.testing.TestHosts;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client side against a real relay and against relays that answer badly. */
class RelayClientTest {
  @RegisterExtension final TestHosts hosts = new TestHosts();
  @RegisterExtension final LogCapture logs = new LogCapture();

  /** A host that answers every RESERVE with the voucher {@code voucher(relay host, reserving peer)}. */
  NettyHost fakeRelay(BiFunction<NettyHost, PeerId, byte[]> voucher) {
    NettyHost relay = hosts.start();
    relay.protocols().register(RelayService.HOP, stream -> {
      RelayMessages.readHop(stream.input(), RelayMessages.MAX_MESSAGE_SIZE);
      long expire = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
      RelayMessages.write(stream.output(), HopMessage.newBuilder()
          .setType(HopMessage.Type.STATUS)
          .setStatus(Status.OK)
          .setReservation(Reservation.newBuilder()
              .setExpire(expire)
              .setVoucher(ByteString.copyFrom(voucher.apply(relay, stream.connection().remotePeer()))))
          .build());
    });
    return relay;
  }

  private static long inAnHour() {
    return Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
  }

  private static Throwable reserveFailure(RelayClient client, NettyHost relay) {
    try {
      client.reserve(addressOf(relay)).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("the reservation succeeded");
  }

  @Test
  void aMalformedVoucherIsRejected() {
    NettyHost relay = fakeRelay((r, peer) -> new byte[] {0x0a, 0x7f, 0x01});
    RelayClient client = new RelayClient(hosts.start()).start();

    assertThat(reserveFailure(client, relay))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("malformed voucher envelope");
    assertThat(client.reservations()).isEmpty();
  }

  @Test
  void aVoucherSignedByAnotherRelayIsRejected() {
    PrivateKey otherKey = Ed25519.generate();
    PeerId other = PeerId.fromPublicKey(otherKey.publicKey());
    NettyHost relay = fakeRelay((r, peer) -> new ReservationVoucher(other, peer, inAnHour()).seal(otherKey));
    RelayClient client = new RelayClient(hosts.start()).start();

    assertThat(reserveFailure(client, relay))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("voucher of another relay");
    assertThat(client.circuitAddresses()).isEmpty();
  }

  @Test
  void aVoucherForAnotherPeerIsRejected() {
    PeerId someoneElse = PeerId.fromPublicKey(Ed25519.generate().publicKey());
    NettyHost relay = fakeRelay((r, peer) ->
        new ReservationVoucher(r.peerId(), someoneElse, inAnHour()).seal(r.privateKey()));
    RelayClient client = new RelayClient(hosts.start()).start();

    assertThat(reserveFailure(client, relay))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("voucher for another peer");
  }

  @Test
  void reservationsPastThePerIpCapAreRefused() throws Exception {
    NettyHost relay = hosts.start();
    RelayService service = new RelayService(relay,
        RelayLimits.defaults().withReservations(128, 1, Duration.ofHours(1))).start();
    new RelayClient(hosts.start()).start().reserve(addressOf(relay)).get(10, TimeUnit.SECONDS);
    RelayClient second = new RelayClient(hosts.start()).start();

    assertThat(reserveFailure(second, relay))
        .isInstanceOf(RelayRefusedException.class)
        .extracting(e -> ((RelayRefusedException) e).status())
        .isEqualTo(Status.RESERVATION_REFUSED);
    assertThat(service.reservationCount()).isEqualTo(1);
  }

  @Test
  void dialingAPeerWithoutReservationFailsWithNoReservation() throws Exception {
    NettyHost relay = hosts.start();
    new RelayService(relay, RelayLimits.defaults()).start();
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    new RelayClient(a).start();
    b.dial(addressOf(relay)).get(10, TimeUnit.SECONDS);

    assertThatThrownBy(() -> a.dial(addressOf(relay).encapsulate("/p2p-circuit").withPeerId(b.peerId()))
        .get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(RelayRefusedException.class)
        .hasMessageContaining("NO_RESERVATION");
  }

  @Test
  void dialingACircuitAddressWithoutARelayClientFailsNamingIt() {
    NettyHost a = hosts.start();
    NettyHost relay = hosts.start();
    PeerId b = PeerId.fromPublicKey(Ed25519.generate().publicKey());

    assertThatThrownBy(() -> a.dial(addressOf(relay).encapsulate("/p2p-circuit").withPeerId(b))
        .get(10, TimeUnit.SECONDS))
        .hasMessageContaining("relay client is not enabled");
  }

  @Test
  void keptReservationsAreTakenAgainWhenTheConnectionToTheRelayIsLost() throws Exception {
    NettyHost relay = hosts.start();
    RelayService service = new RelayService(relay, RelayLimits.defaults()).start();
    NettyHost b = hosts.start();
    RelayClient client = new RelayClient(b).start();
    client.keepReserved(java.util.List.of(addressOf(relay)));
    awaitCondition(() -> !client.reservations().isEmpty());
    io.mycel.net.Connection first = b.connections(relay.peerId()).get(0);

    relay.connections(b.peerId()).forEach(c -> c.close());

    awaitCondition(() -> !first.isOpen());
    awaitCondition(() -> !client.reservations().isEmpty() && service.reservationCount() == 1
        && b.connections(relay.peerId()).stream().anyMatch(c -> c != first && c.isOpen()));
  }

  @Test
  void theReservationEndsWithTheConnectionToTheRelay() throws Exception {
    NettyHost relay = hosts.start();
    RelayService service = new RelayService(relay, RelayLimits.defaults()).start();
    NettyHost b = hosts.start();
    RelayClient client = new RelayClient(b).start();
    client.reserve(addressOf(relay)).get(10, TimeUnit.SECONDS);

    b.connections(relay.peerId()).forEach(c -> c.close());

    awaitCondition(() -> service.reservationCount() == 0 && client.reservations().isEmpty());
    assertThat(b.advertisedAddresses()).noneMatch(address -> address.toString().contains("p2p-circuit"));
  }
}
