package io.mycel.net.relay;

import static io.mycel.net.relay.RelayTest.addressOf;
import static io.mycel.net.relay.RelayTest.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Stream;
import io.mycel.net.StreamResetException;
import io.mycel.net.host.NettyHost;
import io.mycel.net.relay.pb.CircuitProtos.HopMessage;
import io.mycel.net.relay.pb.CircuitProtos.Peer;
import io.mycel.net.relay.pb.CircuitProtos.Status;
import io.mycel.net.relay.pb.CircuitProtos.StopMessage;
import io.mycel.net.testing.LogCapture;
import io.mycel.net.testing.TestHosts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay's hop side on raw circuits: the reached peer answers the stop request itself and
 * handles the bytes directly (no Noise inside), so that byte counts, caps and pacing are exact.
 */
class RelayCircuitTest {
  @RegisterExtension final TestHosts hosts = new TestHosts();
  @RegisterExtension final LogCapture logs = new LogCapture();

  /** What the reached peer does with a circuit's bytes. */
  interface Behaviour {
    void serve(Stream stream) throws IOException;
  }

  record Setup(NettyHost relay, RelayService service, NettyHost a, NettyHost b) {}

  /** A relay with {@code limits}, B reserved on it and serving circuits with {@code behaviour}. */
  Setup setup(UnaryOperator<RelayLimits> limits, Behaviour behaviour) throws Exception {
    NettyHost relay = hosts.start();
    RelayService service = new RelayService(relay, limits.apply(RelayLimits.defaults())).start();
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    new RelayClient(b).start().reserve(addressOf(relay)).get(10, TimeUnit.SECONDS);
    b.protocols().register(RelayService.STOP, stream -> {
      StopMessage connect = RelayMessages.readStop(stream.input(), RelayMessages.MAX_MESSAGE_SIZE);
      assertThat(connect.getType()).isEqualTo(StopMessage.Type.CONNECT);
      RelayMessages.write(stream.output(),
          StopMessage.newBuilder().setType(StopMessage.Type.STATUS).setStatus(Status.OK).build());
      behaviour.serve(stream);
    });
    return new Setup(relay, service, a, b);
  }

  /** Opens a hop stream from {@code from} to the relay and asks it to connect to {@code target}. */
  static Stream connect(NettyHost from, NettyHost relay, PeerId target, Status expected)
      throws Exception {
    Stream hop = from.dial(addressOf(relay)).get(10, TimeUnit.SECONDS)
        .openStream(RelayService.HOP).get(10, TimeUnit.SECONDS);
    RelayMessages.write(hop.output(), HopMessage.newBuilder()
        .setType(HopMessage.Type.CONNECT)
        .setPeer(Peer.newBuilder().setId(ByteString.copyFrom(target.bytes())))
        .build());
    HopMessage reply = RelayMessages.readHop(hop.input(), RelayMessages.MAX_MESSAGE_SIZE);
    assertThat(reply.getType()).isEqualTo(HopMessage.Type.STATUS);
    assertThat(reply.getStatus()).isEqualTo(expected);
    return hop;
  }

  static void echo(Stream stream) throws IOException {
    stream.input().transferTo(stream.output());
    stream.output().flush();
    stream.closeWrite();
  }

  @Test
  void meterCountsEveryRelayedByteOfTheCircuitAndItsPeers() throws Exception {
    Setup s = setup(l -> l.withCircuitCaps(Duration.ofMinutes(1), 1 << 20), RelayCircuitTest::echo);
    Stream circuit = connect(s.a(), s.relay(), s.b().peerId(), Status.OK);
    byte[] payload = new byte[100_000];
    new Random(3).nextBytes(payload);

    CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> readAll(circuit));
    circuit.output().write(payload);
    circuit.output().flush();
    circuit.closeWrite();
    assertThat(back.get(10, TimeUnit.SECONDS)).isEqualTo(payload);

    awaitCondition(() -> s.service().meter().circuits().stream().noneMatch(RelayMeter.CircuitUsage::isOpen));
    RelayMeter.Snapshot meter = s.service().meter();
    assertThat(meter.circuits()).hasSize(1);
    RelayMeter.CircuitUsage usage = meter.circuits().get(0);
    assertThat(usage.source()).isEqualTo(s.a().peerId());
    assertThat(usage.destination()).isEqualTo(s.b().peerId());
    assertThat(usage.bytesSourceToDestination()).isEqualTo(payload.length);
    assertThat(usage.bytesDestinationToSource()).isEqualTo(payload.length);
    assertThat(meter.totalBytes()).isEqualTo(2L * payload.length);
    assertThat(meter.peer(s.a().peerId()))
        .isEqualTo(new RelayMeter.PeerUsage(s.a().peerId(), payload.length, payload.length, 1));
    assertThat(meter.peer(s.b().peerId()).bytesFromPeer()).isEqualTo(payload.length);
    assertThat(s.service().circuitCount()).isZero();
  }

  @Test
  void aCircuitPastItsByteCapIsClosed() throws Exception {
    long cap = 64 * 1024;
    AtomicLong received = new AtomicLong();
    CompletableFuture<Throwable> bSaw = new CompletableFuture<>();
    Setup s = setup(l -> l.withCircuitCaps(Duration.ofMinutes(1), cap), stream -> {
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = stream.input().read(buf)) >= 0) {
          received.addAndGet(n);
        }
        bSaw.complete(null);
      } catch (IOException e) {
        bSaw.complete(e);
      }
    });
    Stream circuit = connect(s.a(), s.relay(), s.b().peerId(), Status.OK);

    assertThatThrownBy(() -> {
      byte[] chunk = new byte[8192];
      for (int i = 0; i < 64; i++) {
        circuit.output().write(chunk);
        circuit.output().flush();
      }
      circuit.input().read();
    }).isInstanceOf(IOException.class);

    assertThat(bSaw.get(10, TimeUnit.SECONDS)).isInstanceOf(StreamResetException.class);
    // A reset discards what the reader had not yet taken, so B may see fewer than the cap.
    assertThat(received.get()).isLessThanOrEqualTo(cap);
    awaitCondition(() -> s.service().circuitCount() == 0);
    assertThat(s.service().meter().circuits().get(0).bytesSourceToDestination()).isEqualTo(cap);
  }

  @Test
  void aCircuitPastItsDurationCapIsClosed() throws Exception {
    Setup s = setup(l -> l.withCircuitCaps(Duration.ofSeconds(1), 1 << 20), RelayCircuitTest::echo);
    Stream circuit = connect(s.a(), s.relay(), s.b().peerId(), Status.OK);
    long start = System.nanoTime();

    assertThatThrownBy(() -> circuit.input().read()).isInstanceOf(StreamResetException.class);

    Duration open = Duration.ofNanos(System.nanoTime() - start);
    assertThat(open).isBetween(Duration.ofMillis(700), Duration.ofSeconds(8));
    awaitCondition(() -> s.service().circuitCount() == 0);
  }

  @Test
  void aCircuitToAPeerWithoutReservationIsRefused() throws Exception {
    Setup s = setup(l -> l, RelayCircuitTest::echo);
    NettyHost unreserved = hosts.start();
    unreserved.dial(addressOf(s.relay())).get(10, TimeUnit.SECONDS);

    connect(s.a(), s.relay(), unreserved.peerId(), Status.NO_RESERVATION);
    connect(s.a(), s.relay(), PeerId.fromPublicKey(Ed25519.generate().publicKey()), Status.NO_RESERVATION);
    assertThat(s.service().meter().circuits()).isEmpty();
  }

  @Test
  void circuitsPastThePerPeerCapAreRefused() throws Exception {
    Setup s = setup(l -> l.withCircuits(16, 1), RelayCircuitTest::echo);
    Stream first = connect(s.a(), s.relay(), s.b().peerId(), Status.OK);

    connect(s.a(), s.relay(), s.b().peerId(), Status.RESOURCE_LIMIT_EXCEEDED);

    first.closeWrite();
    readAll(first);
    awaitCondition(() -> s.service().circuitCount() == 0);
    connect(s.a(), s.relay(), s.b().peerId(), Status.OK).reset();
  }

  @Test
  void bandwidthSharingPacesACircuitToItsRate() throws Exception {
    long rate = 256 * 1024;
    int size = 384 * 1024;
    CompletableFuture<Long> done = new CompletableFuture<>();
    Setup s = setup(l -> l.withBandwidthSharing(true, rate), stream -> {
      long n = stream.input().transferTo(OutputStream.nullOutputStream());
      done.complete(n);
    });
    Stream circuit = connect(s.a(), s.relay(), s.b().peerId(), Status.OK);
    long start = System.nanoTime();

    byte[] chunk = new byte[16 * 1024];
    for (int sent = 0; sent < size; sent += chunk.length) {
      circuit.output().write(chunk);
    }
    circuit.output().flush();
    circuit.closeWrite();

    assertThat(done.get(20, TimeUnit.SECONDS)).isEqualTo(size);
    double seconds = (System.nanoTime() - start) / 1e9;
    double measured = size / seconds;
    // The bucket holds a tenth of a second of tokens, so the first 25.6 KiB pass at once.
    assertThat(seconds).isGreaterThan((size - rate / 10.0) / rate * 0.9);
    assertThat(measured).isLessThan(rate * 1.25);
    assertThat(s.service().meter().totalBytes()).isEqualTo(size);
  }

  @Test
  void theTotalRateHoldsAcrossCircuits() throws Exception {
    long rate = 256 * 1024;
    int size = 192 * 1024;
    AtomicLong received = new AtomicLong();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(2);
    Setup s = setup(l -> l.withTotalRate(rate).withBandwidthSharing(true, 0), stream -> {
      received.addAndGet(stream.input().transferTo(OutputStream.nullOutputStream()));
      done.countDown();
    });
    NettyHost c = hosts.start();
    java.util.List<Stream> circuits = java.util.List.of(
        connect(s.a(), s.relay(), s.b().peerId(), Status.OK),
        connect(c, s.relay(), s.b().peerId(), Status.OK));
    long start = System.nanoTime();

    java.util.List<CompletableFuture<Void>> senders = new java.util.ArrayList<>();
    for (Stream circuit : circuits) {
      senders.add(CompletableFuture.runAsync(() -> {
        try {
          byte[] chunk = new byte[16 * 1024];
          for (int sent = 0; sent < size; sent += chunk.length) {
            circuit.output().write(chunk);
          }
          circuit.closeWrite();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }));
    }

    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(received.get()).isEqualTo(2L * size);
    assertThat(seconds).isGreaterThan((2.0 * size - rate / 10.0) / rate * 0.9);
    assertThat(2.0 * size / seconds).isLessThan(rate * 1.25);
    for (CompletableFuture<Void> sender : senders) {
      sender.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aHopMessageOverTheSizeLimitGetsMalformedAndTheStreamCloses() throws Exception {
    Setup s = setup(l -> l, RelayCircuitTest::echo);
    Stream hop = s.a().dial(addressOf(s.relay())).get(10, TimeUnit.SECONDS)
        .openStream(RelayService.HOP).get(10, TimeUnit.SECONDS);
    byte[] oversized = HopMessage.newBuilder()
        .setType(HopMessage.Type.CONNECT)
        .setPeer(Peer.newBuilder().setId(ByteString.copyFrom(new byte[RelayMessages.MAX_MESSAGE_SIZE])))
        .build()
        .toByteArray();

    RelayMessages.writeFramed(hop.output(), oversized);

    HopMessage reply = RelayMessages.readHop(hop.input(), RelayMessages.MAX_MESSAGE_SIZE);
    assertThat(reply.getStatus()).isEqualTo(Status.MALFORMED_MESSAGE);
    assertThat(hop.input().read()).isEqualTo(-1);
    assertThat(s.service().circuitCount()).isZero();
  }

  @Test
  void aStopRequestToANodeThatDidNotReserveIsRefused() throws Exception {
    NettyHost stranger = hosts.start();
    NettyHost b = hosts.start();
    new RelayClient(b).start();

    Stream stop = stranger.dial(addressOf(b)).get(10, TimeUnit.SECONDS)
        .openStream(RelayService.STOP).get(10, TimeUnit.SECONDS);
    RelayMessages.write(stop.output(), StopMessage.newBuilder()
        .setType(StopMessage.Type.CONNECT)
        .setPeer(Peer.newBuilder().setId(ByteString.copyFrom(stranger.peerId().bytes())))
        .build());

    StopMessage reply = RelayMessages.readStop(stop.input(), RelayMessages.MAX_MESSAGE_SIZE);
    assertThat(reply.getType()).isEqualTo(StopMessage.Type.STATUS);
    assertThat(reply.getStatus()).isEqualTo(Status.PERMISSION_DENIED);
    assertThat(stop.input().read()).isEqualTo(-1);
    assertThat(b.connections(stranger.peerId())).noneMatch(io.mycel.net.Connection::isRelayed);
  }

  private static byte[] readAll(Stream stream) {
    try (InputStream in = stream.input()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
