package io.mycel.testkit.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.Stream;
import io.mycel.net.host.NettyHost;
import io.mycel.net.ping.PingService;
import io.mycel.net.relay.RelayClient;
import io.mycel.net.relay.RelayLimits;
import io.mycel.net.relay.RelayService;
import io.mycel.net.testing.Echo;
import io.mycel.net.testing.LogCapture;
import io.mycel.net.testing.TestHosts;
import io.mycel.testkit.js.JsPeer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Circuit Relay v2 against js-libp2p's {@code @libp2p/circuit-relay-v2} ({@code
 * interop/relay-peer.mjs}): a js peer reserving on a Mycel relay, and Mycel peers reserving on
 * and connecting through a js relay.
 */
@Tag("interop")
class RelayInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension final TestHosts hosts = new TestHosts();
  @RegisterExtension final LogCapture logs = new LogCapture();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopJs() throws Exception {
    for (Process p : processes) {
      p.getOutputStream().close();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  record JsNode(PeerId peerId, List<Multiaddr> addrs) {}

  /** Starts relay-peer.mjs with {@code args} and waits for its ready line. */
  private JsNode startJs(String... args) throws Exception {
    JsPeer.requireAvailable();
    Path interop = Path.of(System.getProperty("mycel.root", "..")).resolve("interop");
    List<String> command = new ArrayList<>(List.of(
        System.getProperty("mycel.node", "node"), "--import", "./polyfill.mjs", "relay-peer.mjs"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(interop.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    processes.add(process);
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(line).as("ready line of relay-peer.mjs").isNotNull();
    JsonNode ready = new ObjectMapper().readTree(line);
    List<Multiaddr> addrs = new ArrayList<>();
    ready.get("addrs").forEach(a -> addrs.add(Multiaddr.parse(a.asText())));
    return new JsNode(PeerId.parse(ready.get("peerId").asText()), addrs);
  }

  private static Multiaddr addressOf(NettyHost host) {
    return host.listenAddresses().get(0).withPeerId(host.peerId());
  }

  @Test
  void aJsPeerReservesOnAMycelRelayAndMycelReachesItThroughTheRelay() throws Exception {
    NettyHost relay = hosts.start();
    RelayService service = new RelayService(relay,
        RelayLimits.defaults().withCircuitCaps(Duration.ZERO, 0)).start();
    JsNode js = startJs("--mode", "reserve", "--relay", addressOf(relay).toString());
    assertThat(js.addrs()).contains(addressOf(relay).encapsulate("/p2p-circuit").withPeerId(js.peerId()));
    assertThat(service.reservationCount()).isEqualTo(1);

    NettyHost a = hosts.start();
    new RelayClient(a).start();
    Connection relayed = a.dial(addressOf(relay).encapsulate("/p2p-circuit").withPeerId(js.peerId()))
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(relayed.isRelayed()).isTrue();
    Stream echo = relayed.openStream(TestHosts.ECHO).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(Echo.roundTrip(echo, 256 * 1024, 7)).isTrue();
    assertThat(PingService.ping(relayed).get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isPositive();
    assertThat(service.meter().peer(a.peerId()).bytesFromPeer()).isGreaterThan(256 * 1024);
  }

  @Test
  void mycelReservesOnAJsRelayAndMycelPeersConnectThroughIt() throws Exception {
    JsNode jsRelay = startJs("--mode", "relay");
    Multiaddr relayAddress = jsRelay.addrs().get(0).peerId().isPresent()
        ? jsRelay.addrs().get(0) : jsRelay.addrs().get(0).withPeerId(jsRelay.peerId());
    NettyHost b = hosts.start();
    RelayClient.Reservation reservation =
        new RelayClient(b).start().reserve(relayAddress).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(reservation.voucher()).isNotNull();
    assertThat(reservation.voucher().relay()).isEqualTo(jsRelay.peerId());
    assertThat(reservation.voucher().peer()).isEqualTo(b.peerId());

    NettyHost a = hosts.start();
    new RelayClient(a).start();
    Connection relayed = a.dial(relayAddress.encapsulate("/p2p-circuit").withPeerId(b.peerId()))
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(relayed.remotePeer()).isEqualTo(b.peerId());
    Stream echo = relayed.openStream(TestHosts.ECHO).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    // js-libp2p's relay caps a circuit at 128 KiB per direction by default.
    assertThat(Echo.roundTrip(echo, 32 * 1024, 8)).isTrue();
  }
}
