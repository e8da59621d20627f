package io.mycel.net.ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.net.Connection;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.Stream;
import io.mycel.net.ping.PingService.PingSession;
import io.mycel.net.multistream.testing.MemoryHost;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PingServiceTest {

  private final MemoryHost a = new MemoryHost("mycel/0.1.0");
  private final MemoryHost b = new MemoryHost("mycel/0.1.0");
  /** Advances 3 ms per reading, so every round trip measures exactly 3 ms. */
  private final AtomicLong clock = new AtomicLong();
  private final PingClient pinger =
      new PingClient(PingClient.DEFAULT_TIMEOUT, new Random(42), () -> clock.getAndAdd(3_000_000));

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void pingMeasuresTheRoundTrip() throws Exception {
    new PingService(b).start();
    Connection connection = MemoryHost.connect(a, b);

    assertThat(pinger.ping(connection).get(5, TimeUnit.SECONDS)).isEqualTo(Duration.ofMillis(3));
  }

  @Test
  void sessionPingsRepeatedlyOnOneStream() throws Exception {
    new PingService(b).start();
    Connection connection = MemoryHost.connect(a, b);

    try (PingSession session = pinger.open(connection)) {
      for (int i = 0; i < 3; i++) {
        assertThat(session.ping()).isEqualTo(Duration.ofMillis(3));
      }
      assertThat(session.stream().protocol()).isEqualTo(PingService.ID);
    }
  }

  @Test
  void staticPingUsesTheDefaultClient() throws Exception {
    new PingService(b).start();

    assertThat(PingService.ping(MemoryHost.connect(a, b)).get(5, TimeUnit.SECONDS)).isPositive();
  }

  @Test
  void peerWithoutPingFailsNegotiation() throws Exception {
    Connection connection = MemoryHost.connect(a, b);

    assertThatThrownBy(() -> pinger.open(connection))
        .isInstanceOf(io.mycel.net.ProtocolNegotiationException.class);
  }

  @Test
  void clientWithoutServiceOpensASession() throws Exception {
    new PingService(b).start();
    Connection connection = MemoryHost.connect(a, b);

    try (PingSession session = PingService.open(connection, 5_000)) {
      assertThat(session.ping()).isPositive();
      assertThat(session.ping()).isPositive();
    }
  }

  @Test
  void responderEchoesPipelinedPayloadsAndStopsAtTheEnd() throws Exception {
    new PingService(b).start();
    Stream stream = MemoryHost.connect(a, b).openStream(PingService.ID).get(5, TimeUnit.SECONDS);
    byte[] two = new byte[64];
    new Random(7).nextBytes(two);

    stream.output().write(two);
    stream.closeWrite();

    assertThat(stream.input().readAllBytes()).isEqualTo(two);
  }

  @Test
  void responderIgnoresAPartialPayloadAtTheEnd() throws Exception {
    new PingService(b).start();
    Stream stream = MemoryHost.connect(a, b).openStream(PingService.ID).get(5, TimeUnit.SECONDS);
    byte[] payloadAndAHalf = new byte[48];
    new Random(7).nextBytes(payloadAndAHalf);

    stream.output().write(payloadAndAHalf);
    stream.closeWrite();

    assertThat(stream.input().readAllBytes()).isEqualTo(java.util.Arrays.copyOf(payloadAndAHalf, 32));
  }

  @Test
  void wrongEchoIsViolation() throws Exception {
    b.protocols().register(PingService.ID, stream -> {
      byte[] payload = stream.input().readNBytes(32);
      payload[0] ^= 1;
      stream.output().write(payload);
      stream.output().flush();
    });

    CompletableFuture<Duration> ping = pinger.ping(MemoryHost.connect(a, b));

    assertThatThrownBy(() -> ping.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("differs");
  }

  @Test
  void shortEchoIsViolation() throws Exception {
    b.protocols().register(PingService.ID, stream -> {
      stream.output().write(stream.input().readNBytes(20));
      stream.output().flush();
    });

    CompletableFuture<Duration> ping = pinger.ping(MemoryHost.connect(a, b));

    assertThatThrownBy(() -> ping.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("after 20 of 32");
  }

  @Test
  void peerClosingWithoutAnswerIsConnectionClosed() throws Exception {
    b.protocols().register(PingService.ID, stream -> {});

    CompletableFuture<Duration> ping = pinger.ping(MemoryHost.connect(a, b));

    assertThatThrownBy(() -> ping.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ConnectionClosedException.class);
  }

  @Test
  void silentPeerTimesOut() throws Exception {
    CompletableFuture<Void> released = new CompletableFuture<>();
    b.protocols().register(PingService.ID, stream -> {
      stream.input().readNBytes(32);
      released.get(5, TimeUnit.SECONDS);
    });
    PingClient impatient = pinger.withTimeout(Duration.ofMillis(200));
    Connection connection = MemoryHost.connect(a, b);

    try (PingSession session = impatient.open(connection)) {
      assertThatThrownBy(session::ping).isInstanceOf(TimeoutException.class);
    } finally {
      released.complete(null);
    }
  }

  @Test
  void idleInboundStreamIsReset() throws Exception {
    new PingService(b, new PingConfig(Duration.ofMillis(100), 2)).start();
    Stream stream = MemoryHost.connect(a, b).openStream(PingService.ID).get(5, TimeUnit.SECONDS);

    assertThatThrownBy(() -> stream.input().read()).isInstanceOf(IOException.class);
  }

  @Test
  void thirdConcurrentInboundStreamFromOnePeerIsReset() throws Exception {
    new PingService(b).start();
    Connection connection = MemoryHost.connect(a, b);

    try (PingSession first = pinger.open(connection);
        PingSession second = pinger.open(connection)) {
      first.ping();
      second.ping();
      // The reset may hit the negotiation already or the first ping.
      assertThatThrownBy(
              () -> {
                try (PingSession third = pinger.open(connection)) {
                  third.ping();
                }
              })
          .isInstanceOf(IOException.class);
      assertThat(first.ping()).isEqualTo(Duration.ofMillis(3));
    }
  }

  @Test
  void closedServiceNoLongerAnswers() throws Exception {
    PingService onB = new PingService(b);
    onB.start();
    onB.close();

    assertThat(b.protocols().protocols()).doesNotContain(PingService.ID);
  }
}
