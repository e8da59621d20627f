package io.mycel.net.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.PeerIdMismatchException;
import io.mycel.net.PeerStore;
import io.mycel.net.ProtocolNegotiationException;
import io.mycel.net.Stream;
import io.mycel.net.ping.PingService;
import io.mycel.net.testing.Echo;
import io.mycel.net.testing.LogCapture;
import io.mycel.net.testing.TestHosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Java host to Java host over real loopback TCP: the whole stack, Noise + Yamux. */
class HostTest {
  @RegisterExtension final TestHosts hosts = new TestHosts();
  @RegisterExtension final LogCapture logs = new LogCapture();

  static Multiaddr addressOf(NettyHost host) {
    return host.listenAddresses().get(0).withPeerId(host.peerId());
  }

  @Test
  void secondHostOnAPortInUseFailsToStartDespitePortReuse() {
    NettyHost first = hosts.start();
    Multiaddr taken = first.listenAddresses().get(0);

    assertThatThrownBy(() -> hosts.start(c -> c.withListenAddresses(List.of(taken))))
        .isInstanceOf(io.mycel.net.MycelNetException.class)
        .hasMessageContaining("cannot listen on " + taken);
  }

  @Test
  void dialNegotiatesNoiseAndYamuxAndAuthenticatesThePeer() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();

    Connection connection = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);

    assertThat(connection.remotePeer()).isEqualTo(b.peerId());
    assertThat(connection.securityProtocol()).isEqualTo("/noise");
    assertThat(connection.muxerProtocol()).isEqualTo("/yamux/1.0.0");
    assertThat(connection.isInitiator()).isTrue();
    awaitCondition(() -> b.connections(a.peerId()).size() == 1);
    assertThat(b.connections(a.peerId()).get(0).isInitiator()).isFalse();
  }

  @Test
  void identifyIsExchangedBothWays() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);

    awaitCondition(() -> a.peerStore().get(b.peerId()).map(i -> i.agentVersion() != null).orElse(false));
    awaitCondition(() -> b.peerStore().get(a.peerId()).map(i -> i.agentVersion() != null).orElse(false));
    PeerStore.PeerInfo aboutB = a.peerStore().get(b.peerId()).orElseThrow();
    assertThat(aboutB.agentVersion()).isEqualTo(TestHosts.AGENT);
    assertThat(aboutB.protocols()).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", TestHosts.ECHO);
    assertThat(aboutB.addresses()).contains(b.listenAddresses().get(0));
    assertThat(PeerId.fromPublicKey(aboutB.publicKey())).isEqualTo(b.peerId());
  }

  @Test
  void pingMeasuresARoundTrip() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    Connection connection = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);

    Duration rtt = PingService.ping(connection).get(10, TimeUnit.SECONDS);

    assertThat(rtt).isPositive().isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aHundredConcurrentStreamsEachCarryAMebibyteBothWays() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    Connection connection = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);

    List<CompletableFuture<Boolean>> results = new ArrayList<>();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 100; i++) {
        long seed = i;
        results.add(connection.openStream(TestHosts.ECHO).thenApplyAsync(stream -> {
          try {
            return Echo.roundTrip(stream, 1 << 20, seed);
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        }, executor));
      }
      CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
    }
    assertThat(results).allSatisfy(r -> assertThat(r.join()).isTrue());
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void aDialToTheWrongPeerIdIsRefused() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    PeerId someoneElse = PeerId.fromPublicKey(Ed25519.generate().publicKey());

    var dial = a.dial(b.listenAddresses().get(0).withPeerId(someoneElse));

    assertThatThrownBy(() -> dial.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(PeerIdMismatchException.class);
    assertThat(a.connections()).isEmpty();
    logs.await(Duration.ofSeconds(5), "noise", b.peerId().toString());
    assertThat(a.dial(addressOf(b)).get(10, TimeUnit.SECONDS).isOpen()).isTrue();
  }

  @Test
  void anUnsupportedProtocolFailsNegotiationButTheConnectionStays() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    Connection connection = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);

    var open = connection.openStream(List.of("/no/such/1.0.0", "/nor/this/2.0.0"));

    assertThatThrownBy(() -> open.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ProtocolNegotiationException.class);
    Stream echo = connection.openStream(List.of("/no/such/1.0.0", TestHosts.ECHO)).get(10, TimeUnit.SECONDS);
    assertThat(echo.protocol()).isEqualTo(TestHosts.ECHO);
    assertThat(Echo.roundTrip(echo, 1000, 1)).isTrue();
  }

  @Test
  void aSecondDialReusesTheOpenConnection() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    Connection first = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);
    Connection second = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);
    assertThat(second).isSameAs(first);
    assertThat(a.newStream(b.peerId(), List.of(TestHosts.ECHO)).get(10, TimeUnit.SECONDS).connection())
        .isSameAs(first);
  }

  @Test
  void closingAConnectionIsSeenOnBothSides() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    Connection connection = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);
    awaitCondition(() -> !b.connections(a.peerId()).isEmpty());

    connection.close().get(10, TimeUnit.SECONDS);

    awaitCondition(() -> b.connections(a.peerId()).isEmpty());
    assertThat(a.connections()).isEmpty();
  }

  @Test
  void aListenerThatSendsItsHeaderBeforeReadingOursIsUnderstood() throws Exception {
    NettyHost a = hosts.start();
    try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      PeerId target = PeerId.fromPublicKey(Ed25519.generate().publicKey());
      var dial = a.dial(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + listener.getLocalPort()).withPeerId(target));
      try (java.net.Socket socket = listener.accept()) {
        // Like go-libp2p: the header goes out at accept, before the dialer's arrives.
        socket.getOutputStream().write(multistream("/multistream/1.0.0"));
        socket.getOutputStream().flush();
        java.io.InputStream in = socket.getInputStream();
        assertThat(in.readNBytes(multistream("/multistream/1.0.0").length))
            .isEqualTo(multistream("/multistream/1.0.0"));
        assertThat(in.readNBytes(multistream("/noise").length)).isEqualTo(multistream("/noise"));
        socket.getOutputStream().write(multistream("/noise"));
        socket.getOutputStream().flush();
        // The dialer got past multistream-select: its first Noise message (2-byte length + 32 bytes).
        assertThat(in.readNBytes(34)).hasSize(34).startsWith(0, 32);
      }
      assertThatThrownBy(() -> dial.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }
  }

  private static byte[] multistream(String line) {
    byte[] body = (line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] out = new byte[body.length + 1];
    out[0] = (byte) body.length;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  static void awaitCondition(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }
}
