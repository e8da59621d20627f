package io.mycel.net.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.peer.PeerId;
import io.mycel.net.relay.pb.CircuitProtos.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RelayResourcesTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  private static PeerId peer() {
    return PeerId.fromPublicKey(Ed25519.generate().publicKey());
  }

  @Test
  void aReservationExpiresAfterItsTtl() {
    RelayResources resources = new RelayResources(
        RelayLimits.defaults().withReservations(10, 10, Duration.ofMinutes(5)), clock);
    PeerId b = peer();

    RelayResources.Decision decision = resources.reserve(b, "10.0.0.1");

    assertThat(decision.status()).isEqualTo(Status.OK);
    assertThat(decision.expire()).isEqualTo(now.plus(Duration.ofMinutes(5)));
    now = now.plus(Duration.ofMinutes(5)).minusSeconds(1);
    assertThat(resources.hasReservation(b)).isTrue();
    now = now.plusSeconds(1);
    assertThat(resources.hasReservation(b)).isFalse();
    assertThat(resources.admitCircuit(peer(), b)).isEqualTo(Status.NO_RESERVATION);
  }

  @Test
  void aRenewalDoesNotCountTwice() {
    RelayResources resources = new RelayResources(
        RelayLimits.defaults().withReservations(1, 1, Duration.ofMinutes(5)), clock);
    PeerId b = peer();
    resources.reserve(b, "10.0.0.1");

    assertThat(resources.reserve(b, "10.0.0.1").status()).isEqualTo(Status.OK);
    assertThat(resources.reservationCount()).isEqualTo(1);
  }

  @Test
  void reservationsPastTheTotalCapAreRefused() {
    RelayResources resources = new RelayResources(
        RelayLimits.defaults().withReservations(2, 10, Duration.ofMinutes(5)), clock);
    resources.reserve(peer(), "10.0.0.1");
    resources.reserve(peer(), "10.0.0.2");

    assertThat(resources.reserve(peer(), "10.0.0.3").status()).isEqualTo(Status.RESERVATION_REFUSED);
  }

  @Test
  void circuitsPastTheTotalCapAreRefusedUntilOneCloses() {
    RelayResources resources = new RelayResources(RelayLimits.defaults().withCircuits(1, 5), clock);
    PeerId b = peer();
    PeerId a = peer();
    resources.reserve(b, "10.0.0.1");

    assertThat(resources.admitCircuit(a, b)).isEqualTo(Status.OK);
    assertThat(resources.admitCircuit(peer(), b)).isEqualTo(Status.RESOURCE_LIMIT_EXCEEDED);
    resources.circuitClosed(a, b);
    assertThat(resources.admitCircuit(peer(), b)).isEqualTo(Status.OK);
  }
}
