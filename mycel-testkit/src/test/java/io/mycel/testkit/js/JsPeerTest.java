package io.mycel.testkit.js;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The harness itself, JS to JS: two real js-libp2p peers driven from Java. */
@Tag("interop")
class JsPeerTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String ED25519_PREFIX = "12D3KooW";
  /** The Ed25519 identity of the all-zero seed (public key 3b6a27bc...da29). */
  private static final String ZERO_SEED_PEER_ID = "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";
  /** The Ed25519 private key of the libp2p peer-ids spec, as a protobuf PrivateKey. */
  private static final String SPEC_PRIVATE_KEY = "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1"
      + "feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  private static final String SPEC_PEER_ID = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

  private static JsPeer alice;
  private static JsPeer bob;

  @BeforeAll
  static void startPeers() {
    JsPeer.requireAvailable();
    alice = JsPeer.start();
    bob = JsPeer.start();
  }

  @AfterAll
  static void stopPeers() {
    if (alice != null) {
      alice.close();
    }
    if (bob != null) {
      bob.close();
    }
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  @Test
  void readyLineNamesPeerAndLoopbackAddress() {
    assertThat(bob.peerId()).startsWith(ED25519_PREFIX);
    assertThat(bob.addr())
        .startsWith("/ip4/127.0.0.1/tcp/")
        .endsWith("/p2p/" + bob.peerId());
    assertThat(bob.agentVersion()).startsWith("js-libp2p/3.").contains(" node/");
  }

  @Test
  void dialNegotiatesNoiseAndYamux() throws Exception {
    JsPeer.ConnectionInfo conn = await(alice.dial(bob.addr()));

    assertThat(conn.peerId()).isEqualTo(bob.peerId());
    assertThat(conn.remoteAddr()).isEqualTo(bob.addr());
    assertThat(conn.encryption()).isEqualTo("/noise");
    assertThat(conn.multiplexer()).isEqualTo("/yamux/1.0.0");
    assertThat(conn.direction()).isEqualTo("outbound");
    assertThat(conn.status()).isEqualTo("open");
  }

  @Test
  void bothSidesListTheConnection() throws Exception {
    await(alice.dial(bob.addr()));

    List<JsPeer.ConnectionInfo> atBob = await(bob.connections());

    assertThat(atBob).anySatisfy(c -> {
      assertThat(c.peerId()).isEqualTo(alice.peerId());
      assertThat(c.direction()).isEqualTo("inbound");
      assertThat(c.encryption()).isEqualTo("/noise");
    });
  }

  @Test
  void pingMeasuresRoundTrip() throws Exception {
    await(alice.dial(bob.addr()));

    Duration rtt = await(alice.ping(bob.peerId()));

    assertThat(rtt).isBetween(Duration.ZERO, Duration.ofSeconds(10));
  }

  @Test
  void pingByAddress() throws Exception {
    Duration rtt = await(bob.pingAddr(alice.addr()));

    assertThat(rtt).isBetween(Duration.ZERO, Duration.ofSeconds(10));
  }

  @Test
  void identifyReportsAgentProtocolsAndAddresses() throws Exception {
    await(alice.dial(bob.addr()));

    JsPeer.IdentifyInfo info = await(alice.identify(bob.peerId()));

    assertThat(info.peerId()).isEqualTo(bob.peerId());
    assertThat(info.agentVersion()).isEqualTo(bob.agentVersion());
    assertThat(info.protocolVersion()).isEqualTo("ipfs/0.1.0");
    assertThat(info.protocols()).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0",
        JsPeer.ECHO_PROTOCOL, JsPeer.SINK_PROTOCOL, JsPeer.SOURCE_PROTOCOL);
    String bobListen = bob.addr().substring(0, bob.addr().indexOf("/p2p/"));
    assertThat(info.listenAddrs()).contains(bobListen);
    assertThat(info.observedAddr()).hasValueSatisfying(a -> assertThat(a).startsWith("/ip4/127.0.0.1/tcp/"));
  }

  @Test
  void identifyNowRunsAFreshExchange() throws Exception {
    await(bob.dial(alice.addr()));

    JsPeer.IdentifyInfo info = await(bob.identifyNow(alice.peerId()));

    assertThat(info.agentVersion()).isEqualTo(alice.agentVersion());
  }

  @Test
  void echoStreamsRoundTripsEveryByte() throws Exception {
    JsPeer.EchoResult result = await(alice.echoStreams(bob.peerId(), 10, 64 * 1024));

    assertThat(result.streams()).isEqualTo(10);
    assertThat(result.bytesEachWay()).isEqualTo(10L * 64 * 1024);
    assertThat(result.elapsed()).isPositive();
  }

  @Test
  void echoStreamsByAddress() throws Exception {
    JsPeer.EchoResult result = await(bob.echoStreams(alice.addr(), 3, 1000));

    assertThat(result.bytesEachWay()).isEqualTo(3000);
  }

  @Test
  void echoStreamsOnUnsupportedProtocolFails() {
    CompletableFuture<JsPeer.EchoResult> echo =
        alice.echoStreams(bob.peerId(), "/mycel/test/nothing/1.0.0", 1, 10);

    assertThatThrownBy(() -> await(echo))
        .isInstanceOf(JsPeerException.class)
        .hasMessageContaining("echo-streams failed");
  }

  @Test
  void dialWithWrongPeerIdFailsInNoise() {
    String wrong = bob.addr().substring(0, bob.addr().indexOf("/p2p/")) + "/p2p/" + ZERO_SEED_PEER_ID;

    assertThatThrownBy(() -> await(alice.dialNew(wrong)))
        .isInstanceOf(JsPeerException.class)
        .hasMessageContaining("does not match")
        .extracting(e -> ((JsPeerException) e).errorName())
        .isEqualTo("EncryptionFailedError");
  }

  @Test
  void unknownCommandIsAnError() {
    CompletableFuture<JsonNode> reply = alice.call(JsPeer.command("no-such-command"));

    assertThatThrownBy(() -> await(reply))
        .isInstanceOf(JsPeerException.class)
        .hasMessageContaining("unknown command");
  }

  @Test
  void seedFixesTheIdentity() {
    try (JsPeer seeded = JsPeer.start(JsPeer.Options.defaults().withSeed(new byte[32]))) {
      assertThat(seeded.peerId()).isEqualTo(ZERO_SEED_PEER_ID);
    }
  }

  @Test
  void privateKeyFixesTheIdentity() {
    JsPeer.Options options = JsPeer.Options.defaults()
        .withPrivateKey(HexFormat.of().parseHex(SPEC_PRIVATE_KEY));
    try (JsPeer keyed = JsPeer.start(options)) {
      assertThat(keyed.peerId()).isEqualTo(SPEC_PEER_ID);
    }
  }

  @Test
  void badPrivateKeyFailsTheStart() {
    JsPeer.Options options = JsPeer.Options.defaults().withPrivateKey(new byte[] {1, 2, 3});

    assertThatThrownBy(() -> JsPeer.start(options))
        .isInstanceOf(JsPeerException.class)
        .hasMessageContaining("exited");
  }

  @Test
  void closeStopsTheProcessAndFailsLaterCalls() {
    JsPeer peer = JsPeer.start();
    peer.close();

    assertThat(peer.isAlive()).isFalse();
    assertThat(ProcessHandle.of(peer.pid())).isEmpty();
    assertThatThrownBy(() -> await(peer.connections())).isInstanceOf(JsPeerException.class);
  }

  @Test
  void benchReportsFigures() {
    JsonNode result = JsPeer.runBench(
        List.of("--seconds", "0.5", "--mib", "4", "--streams", "4"), Duration.ofMinutes(1));

    assertThat(result.path("handshakesPerSec").asDouble()).isPositive();
    assertThat(result.path("handshakesPerSecConcurrent4").asDouble()).isPositive();
    assertThat(result.path("oneStreamMiBps").asDouble()).isPositive();
    assertThat(result.path("sixteenStreamsMiBps").asDouble()).isPositive();
    assertThat(result.path("libp2pVersion").asText()).startsWith("js-libp2p/");
  }
}
