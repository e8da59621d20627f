package io.mycel.testkit.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.PeerIdMismatchException;
import io.mycel.net.PeerStore;
import io.mycel.net.Stream;
import io.mycel.net.host.NettyHost;
import io.mycel.net.ping.PingService;
import io.mycel.net.testing.Echo;
import io.mycel.net.testing.LogCapture;
import io.mycel.net.testing.TestHosts;
import io.mycel.testkit.js.JsPeer;
import io.mycel.testkit.js.JsPeerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Mycel against a real js-libp2p process: TCP + Noise + Yamux, identify, ping, many streams. */
@Tag("interop")
class JavaJsInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension final TestHosts hosts = new TestHosts();
  @RegisterExtension final LogCapture logs = new LogCapture();
  private JsPeer js;

  @BeforeEach
  void startJsPeer() {
    JsPeer.requireAvailable();
    js = JsPeer.start();
  }

  @AfterEach
  void stopJsPeer() {
    if (js != null) {
      js.close();
    }
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Multiaddr addressOf(NettyHost host) {
    return host.listenAddresses().get(0).withPeerId(host.peerId());
  }

  private static void awaitCondition(BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private void assertJsIdentified(NettyHost java) {
    PeerId jsPeer = PeerId.parse(js.peerId());
    awaitCondition(() -> java.peerStore().get(jsPeer).map(i -> i.agentVersion() != null).orElse(false));
    PeerStore.PeerInfo aboutJs = java.peerStore().get(jsPeer).orElseThrow();
    assertThat(aboutJs.agentVersion()).startsWith("js-libp2p/");
    assertThat(aboutJs.protocols()).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", JsPeer.ECHO_PROTOCOL);
    assertThat(aboutJs.addresses()).contains(Multiaddr.parse(js.addr()).withoutPeerId());
    assertThat(PeerId.fromPublicKey(aboutJs.publicKey())).isEqualTo(jsPeer);
  }

  private void assertJavaIdentifiedByJs(NettyHost java) throws Exception {
    JsPeer.IdentifyInfo aboutJava = await(js.identify(java.peerId().toString()));
    assertThat(aboutJava.agentVersion()).isEqualTo(TestHosts.AGENT);
    assertThat(aboutJava.protocolVersion()).isEqualTo("ipfs/0.1.0");
    assertThat(aboutJava.protocols()).contains("/ipfs/id/1.0.0", "/ipfs/id/push/1.0.0",
        "/ipfs/ping/1.0.0", TestHosts.ECHO);
    assertThat(aboutJava.listenAddrs()).contains(java.listenAddresses().get(0).toString());
  }

  @Test
  void javaDialsJs() throws Exception {
    NettyHost java = hosts.start();

    Connection connection = await(java.dial(Multiaddr.parse(js.addr())));

    assertThat(connection.remotePeer().toString()).isEqualTo(js.peerId());
    assertThat(connection.securityProtocol()).isEqualTo("/noise");
    assertThat(connection.muxerProtocol()).isEqualTo("/yamux/1.0.0");
    assertJsIdentified(java);
    assertJavaIdentifiedByJs(java);
    Duration javaToJs = await(PingService.ping(connection));
    assertThat(javaToJs).isPositive().isLessThan(WAIT);
    assertThat(await(js.ping(java.peerId().toString()))).isBetween(Duration.ZERO, WAIT); // whole milliseconds
  }

  @Test
  void jsDialsJava() throws Exception {
    NettyHost java = hosts.start();

    JsPeer.ConnectionInfo info = await(js.dial(addressOf(java).toString()));

    assertThat(info.peerId()).isEqualTo(java.peerId().toString());
    assertThat(info.encryption()).isEqualTo("/noise");
    assertThat(info.multiplexer()).isEqualTo("/yamux/1.0.0");
    awaitCondition(() -> !java.connections(PeerId.parse(js.peerId())).isEmpty());
    assertThat(java.connections(PeerId.parse(js.peerId())).get(0).isInitiator()).isFalse();
    assertJavaIdentifiedByJs(java);
    assertJsIdentified(java);
    assertThat(await(js.ping(java.peerId().toString()))).isBetween(Duration.ZERO, WAIT); // whole milliseconds
    Connection back = java.connections(PeerId.parse(js.peerId())).get(0);
    assertThat(await(PingService.ping(back))).isPositive();
  }

  @Test
  void aHundredStreamsFromJavaEachCarryAMebibyteBothWays() throws Exception {
    NettyHost java = hosts.start();
    Connection connection = await(java.dial(Multiaddr.parse(js.addr())));

    List<CompletableFuture<Boolean>> results = new ArrayList<>();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 100; i++) {
        long seed = 1000 + i;
        results.add(connection.openStream(JsPeer.ECHO_PROTOCOL).thenApplyAsync(stream -> {
          try {
            return Echo.roundTrip(stream, 1 << 20, seed);
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        }, executor));
      }
      await(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)));
    }
    assertThat(results).allSatisfy(r -> assertThat(r.join()).isTrue());
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void aHundredStreamsFromJsEachCarryAMebibyteBothWays() throws Exception {
    NettyHost java = hosts.start();
    await(js.dial(addressOf(java).toString()));

    JsPeer.EchoResult result = await(js.echoStreams(java.peerId().toString(), 100, 1 << 20));

    assertThat(result.streams()).isEqualTo(100);
    assertThat(result.bytesEachWay()).isEqualTo(100L << 20);
  }

  @Test
  void aJsPeerThatIsNotTheOneDialedIsRefused() throws Exception {
    NettyHost java = hosts.start();
    PeerId someoneElse = PeerId.fromPublicKey(Ed25519.generate().publicKey());
    Multiaddr wrong = Multiaddr.parse(js.addr()).withoutPeerId().withPeerId(someoneElse);

    assertThatThrownBy(() -> await(java.dial(wrong)))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(PeerIdMismatchException.class)
        .hasMessageContaining(js.peerId());
    assertThat(java.connections()).isEmpty();
    logs.await(Duration.ofSeconds(10), "noise handshake failed", js.peerId());
    // the same JS peer, named correctly, is accepted
    Connection ok = await(java.dial(Multiaddr.parse(js.addr())));
    assertThat(ok.isOpen()).isTrue();
  }

  @Test
  void jsRefusesAJavaPeerThatIsNotTheOneItDialed() throws Exception {
    NettyHost java = hosts.start();
    PeerId someoneElse = PeerId.fromPublicKey(Ed25519.generate().publicKey());
    String wrong = java.listenAddresses().get(0).withPeerId(someoneElse).toString();

    assertThatThrownBy(() -> await(js.dial(wrong)))
        .hasCauseInstanceOf(JsPeerException.class);
    awaitCondition(() -> java.connections().isEmpty());
  }

  @Test
  void javaOpensAStreamJsDoesNotSupport() throws Exception {
    NettyHost java = hosts.start();
    Connection connection = await(java.dial(Multiaddr.parse(js.addr())));
    assertThatThrownBy(() -> await(connection.openStream("/mycel/unknown/1.0.0")))
        .hasCauseInstanceOf(io.mycel.net.ProtocolNegotiationException.class);
    Stream echo = await(connection.openStream(List.of("/mycel/unknown/1.0.0", JsPeer.ECHO_PROTOCOL)));
    assertThat(Echo.roundTrip(echo, 4096, 9)).isTrue();
  }
}
