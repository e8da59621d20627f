package io.mycel.testkit.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.net.Connection;
import io.mycel.net.MycelNetException;
import io.mycel.net.ProtocolNegotiationException;
import io.mycel.net.Stream;
import io.mycel.routing.kad.KadConfig;
import io.mycel.routing.kad.KadDht;
import io.mycel.routing.kad.ProviderStore.Provider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SimNetworkTest {

  private static final Duration LATENCY = Duration.ofMillis(40);
  private static final String ECHO = "/test/echo/1.0.0";

  private final SimNetwork network =
      new SimNetwork(
          SimConfig.DEFAULT
              .withLatency(LATENCY, LATENCY, SimConfig.LatencyModel.PER_PAIR)
              .withUnreachableDialTimeout(Duration.ofMillis(300)));

  @AfterEach
  void stop() {
    network.close();
  }

  private static void echo(Stream stream) throws Exception {
    byte[] all = stream.input().readAllBytes();
    stream.output().write(all);
    stream.closeWrite();
  }

  @Test
  void anEchoTakesTheHandshakeAndOneRoundTrip() throws Exception {
    SimHost a = network.addHost();
    SimHost b = network.addHost();
    b.protocols().register(ECHO, SimNetworkTest::echo);
    long start = System.nanoTime();
    Connection c = a.dial(b.listenAddresses().getFirst().withPeerId(b.peerId())).get();
    Stream s = c.openStream(ECHO).get();
    s.output().write("hello".getBytes(StandardCharsets.UTF_8));
    s.closeWrite();
    byte[] back = s.input().readAllBytes();
    long elapsed = System.nanoTime() - start;
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), back);
    // Two handshake round trips, then the request and its answer: six one-way latencies.
    assertTrue(elapsed >= 6 * LATENCY.toNanos(), "took " + elapsed / 1e6 + " ms");
    assertEquals(
        List.of(b.peerId()), a.connections().stream().map(Connection::remotePeer).toList());
    assertTrue(a.peerStore().get(b.peerId()).orElseThrow().protocols().contains(ECHO),
        "identify told a what b speaks");
  }

  @Test
  void aTimeScaleStretchesEveryLatency() throws Exception {
    SimHost a = network.addHost();
    SimHost b = network.addHost();
    b.protocols().register(ECHO, SimNetworkTest::echo);
    network.setTimeScale(2);
    long start = System.nanoTime();
    Stream s = a.newStream(b.peerId(), List.of(ECHO)).exceptionally(e -> null).get();
    assertEquals(null, s, "no address of b known yet");
    a.peerStore().addAddresses(b.peerId(), b.listenAddresses());
    s = a.newStream(b.peerId(), List.of(ECHO)).get();
    s.closeWrite();
    assertEquals(-1, s.input().read());
    long elapsed = System.nanoTime() - start;
    assertEquals(2 * LATENCY.toNanos(), network.latency(a, b).toNanos());
    assertTrue(elapsed >= 12 * LATENCY.toNanos(), "took " + elapsed / 1e6 + " ms");
    assertThrows(IllegalArgumentException.class, () -> network.setTimeScale(0.5));
  }

  @Test
  void anUnknownProtocolIsRefused() throws Exception {
    SimHost a = network.addHost();
    SimHost b = network.addHost();
    Connection c = a.dial(b.listenAddresses().getFirst()).get();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> c.openStream(ECHO).get());
    assertInstanceOf(ProtocolNegotiationException.class, e.getCause());
  }

  @Test
  void aDialToANodeThatLeftFailsAfterTheUnreachableTimeout() {
    SimHost a = network.addHost();
    SimHost b = network.addHost();
    b.leave();
    long start = System.nanoTime();
    ExecutionException e =
        assertThrows(ExecutionException.class,
            () -> a.dial(b.listenAddresses().getFirst()).get());
    long elapsed = System.nanoTime() - start;
    assertInstanceOf(MycelNetException.class, e.getCause());
    assertTrue(elapsed >= Duration.ofMillis(300).toNanos(), "failed after " + elapsed / 1e6);
  }

  @Test
  void aNodeThatLeftStopsAnsweringOnOpenConnections() throws Exception {
    SimHost a = network.addHost();
    SimHost b = network.addHost();
    b.protocols().register(ECHO, SimNetworkTest::echo);
    Connection c = a.dial(b.listenAddresses().getFirst()).get();
    b.leave();
    Stream s = c.openStream(ECHO).get();
    s.output().write(1);
    s.closeWrite();
    Thread reader = Thread.ofVirtual().start(() -> {
      try {
        s.input().read();
      } catch (Exception e) {
        // reset below
      }
    });
    assertFalse(reader.join(Duration.ofMillis(4 * LATENCY.toMillis())), "nothing answers");
    s.reset();
    assertTrue(reader.join(Duration.ofSeconds(5)), "a reset wakes the reader");
  }

  @Test
  void lossDelaysWritesButLosesNothing() throws Exception {
    try (SimNetwork lossy =
        new SimNetwork(new SimConfig(1, Duration.ofMillis(1), Duration.ofMillis(1),
            SimConfig.LatencyModel.PER_NODE, 0.3, Duration.ofMillis(5), 2,
            Duration.ofSeconds(1)))) {
      SimHost a = lossy.addHost();
      SimHost b = lossy.addHost();
      b.protocols().register(ECHO, SimNetworkTest::echo);
      Stream s = a.newStream(b.peerId(), List.of(ECHO)).exceptionally(e -> null).get();
      // a knows no address of b yet: the dial by peer id needs one in the peer store.
      assertEquals(null, s);
      a.peerStore().addAddresses(b.peerId(), b.listenAddresses());
      s = a.newStream(b.peerId(), List.of(ECHO)).get();
      for (int i = 0; i < 20; i++) {
        s.output().write(i);
        s.output().flush();
      }
      s.closeWrite();
      byte[] back = s.input().readAllBytes();
      assertEquals(20, back.length);
      for (int i = 0; i < 20; i++) {
        assertEquals(i, back[i], "in order");
      }
    }
  }

  @Test
  void findProvidersWithEnoughEndsTheLookupAtTheFirstProvider() throws Exception {
    try (SimNetwork fast = new SimNetwork(SimConfig.DEFAULT
        .withLatency(Duration.ofMillis(1), Duration.ofMillis(3),
            SimConfig.LatencyModel.PER_PAIR))) {
      KadTracer tracer = new KadTracer();
      fast.setTap(tracer);
      List<SimHost> hosts = new ArrayList<>();
      List<KadDht> dhts = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        SimHost h = fast.addHost();
        hosts.add(h);
        dhts.add(new KadDht(h, KadConfig.DEFAULT, Clock.systemUTC(), Map.of()).start());
      }
      SimHost seed = hosts.getFirst();
      var first = seed.listenAddresses().getFirst().withPeerId(seed.peerId());
      for (int i = 1; i < hosts.size(); i++) {
        dhts.get(i).addBootstrapPeer(first).get(10, TimeUnit.SECONDS);
        dhts.get(i).bootstrap().get(10, TimeUnit.SECONDS);
      }
      Cid cid = Cid.v1(Multicodec.RAW,
          Multihash.sha2_256("early exit".getBytes(StandardCharsets.UTF_8)));
      assertTrue(dhts.get(3).provide(cid).get(10, TimeUnit.SECONDS) > 0);
      // An origin that does not hold the record itself, so that it has to look.
      int origin = hosts.stream().skip(10)
          .filter(h -> dhts.get(h.index()).providerStore().get(cid.multihash().bytes()).isEmpty())
          .findFirst().orElseThrow().index();
      KadDht from = dhts.get(origin);

      tracer.watch(hosts.get(origin).peerId());
      List<Provider> all = from.findProviders(cid).get(10, TimeUnit.SECONDS);
      int fullReplies = tracer.stop(hosts.get(origin).peerId()).size();
      tracer.watch(hosts.get(origin).peerId());
      List<Provider> one = from.findProviders(cid, 1).get(10, TimeUnit.SECONDS);
      int earlyReplies = tracer.stop(hosts.get(origin).peerId()).size();

      assertTrue(all.stream().anyMatch(p -> p.peer().equals(hosts.get(3).peerId())));
      assertEquals(List.of(hosts.get(3).peerId()), one.stream().map(Provider::peer).toList());
      assertTrue(earlyReplies < fullReplies,
          "early exit used " + earlyReplies + " replies, the whole lookup " + fullReplies);
      assertThrows(IllegalArgumentException.class, () -> from.findProviders(cid, 0));
    }
  }
}
