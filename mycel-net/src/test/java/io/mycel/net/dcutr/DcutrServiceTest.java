package io.mycel.net.dcutr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.varint.Varint;
import io.mycel.net.Connection;
import io.mycel.net.MycelNetException;
import io.mycel.net.Stream;
import io.mycel.net.dcutr.DcutrMessages.Message;
import io.mycel.net.host.NettyHost;
import io.mycel.net.multistream.testing.Conditions;
import io.mycel.net.testing.NettyLeakDetection;
import io.mycel.net.testing.TestHosts;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DCUtR exchange between real hosts on loopback. A direct connection stands in for the
 * relayed one, and the dials are recorded: without NATs a TCP simultaneous open between two
 * loopback listeners cannot be staged (the namespace topology test does the real one).
 */
@ExtendWith(NettyLeakDetection.class)
class DcutrServiceTest {

  @RegisterExtension final TestHosts hosts = new TestHosts();

  private static final DcutrConfig CONFIG = DcutrConfig.DEFAULT.withAuto(false).withPrivateAddresses(true)
      .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ZERO);

  record Dial(Multiaddr address, boolean asResponder) {}

  private final List<DcutrService> services = new ArrayList<>();

  @AfterEach
  void close() {
    services.forEach(DcutrService::close);
  }

  private DcutrService dcutr(NettyHost host, List<Dial> dials, boolean reachable) {
    DcutrService service = new DcutrService(host, CONFIG, host::listenAddresses, (address, peer, asResponder) -> {
      dials.add(new Dial(address, asResponder));
      return reachable
          ? host.dialDirect(address, peer, false)
          : CompletableFuture.failedFuture(new MycelNetException("connection refused"));
    }, System::nanoTime, connection -> true).start();
    services.add(service);
    return service;
  }

  @Test
  void initiatorDialsWhatTheResponderSentAndUsesTheDirectConnection() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    List<Dial> aDials = new CopyOnWriteArrayList<>();
    List<Dial> bDials = new CopyOnWriteArrayList<>();
    DcutrService aSide = dcutr(a, aDials, false);
    DcutrService bSide = dcutr(b, bDials, true);
    Connection relayed = b.dial(a.listenAddresses().get(0).withPeerId(a.peerId())).get(10, TimeUnit.SECONDS);

    Connection direct = bSide.upgrade(relayed);

    assertThat(direct.remotePeer()).isEqualTo(a.peerId());
    assertThat(direct).isNotSameAs(relayed);
    assertThat(bDials).containsExactly(new Dial(a.listenAddresses().get(0), false));
    Conditions.await("A to dial B after SYNC", () -> aDials.contains(new Dial(b.listenAddresses().get(0), true)));
    assertThat(bSide.upgrades()).isEqualTo(1);
    Conditions.await("the relayed connection to close after the grace period", () -> !relayed.isOpen());
    assertThat(aSide.failures()).isZero();
  }

  @Test
  void initiatorRetriesThreeTimesThenStaysOnTheRelay() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    List<Dial> aDials = new CopyOnWriteArrayList<>();
    List<Dial> bDials = new CopyOnWriteArrayList<>();
    dcutr(a, aDials, false);
    DcutrService bSide = dcutr(b, bDials, false);
    Connection relayed = b.dial(a.listenAddresses().get(0).withPeerId(a.peerId())).get(10, TimeUnit.SECONDS);

    assertThatThrownBy(() -> bSide.upgrade(relayed))
        .isInstanceOf(MycelNetException.class)
        .hasMessageContaining("attempt 3");

    assertThat(bDials).hasSize(DcutrConfig.DEFAULT_MAX_ATTEMPTS);
    Conditions.await("A to dial on every SYNC", () -> aDials.size() == DcutrConfig.DEFAULT_MAX_ATTEMPTS);
    assertThat(bSide.failures()).isEqualTo(1);
    assertThat(relayed.isOpen()).isTrue();
  }

  @Test
  void malformedMessageResetsTheStream() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    dcutr(a, new CopyOnWriteArrayList<>(), false);

    try (Stream stream = open(b, a)) {
      stream.output().write(new byte[] {3, (byte) 0xFF, (byte) 0xFF, 0x01});
      stream.output().flush();
      assertEndsWithoutAnswer(stream);
    }
  }

  @Test
  void oversizedMessageResetsTheStream() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    dcutr(a, new CopyOnWriteArrayList<>(), false);

    try (Stream stream = open(b, a)) {
      stream.output().write(Varint.encode(DcutrMessages.MAX_MESSAGE_SIZE + 1));
      stream.output().write(new byte[64]);
      stream.output().flush();
      assertEndsWithoutAnswer(stream);
    }
  }

  @Test
  void syncBeforeConnectResetsTheStream() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    List<Dial> aDials = new CopyOnWriteArrayList<>();
    dcutr(a, aDials, false);

    try (Stream stream = open(b, a)) {
      DcutrMessages.write(stream.output(), Message.SYNC);
      assertEndsWithoutAnswer(stream);
    }
    assertThat(aDials).isEmpty();
  }

  @Test
  void responderRefusesAHolePunchOverADirectConnection() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    DcutrService service = new DcutrService(a, CONFIG, a::listenAddresses,
        (address, peer, asResponder) -> CompletableFuture.failedFuture(new MycelNetException("unused"))).start();
    services.add(service);

    Stream stream;
    try {
      stream = open(b, a);
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e).hasCauseInstanceOf(io.mycel.net.StreamResetException.class);
      return;
    }
    try (stream) {
      DcutrMessages.write(stream.output(), Message.connect(b.listenAddresses()));
      assertEndsWithoutAnswer(stream);
    } catch (IOException e) {
      assertThat(e).isInstanceOf(io.mycel.net.StreamResetException.class);
    }
  }

  @Test
  void privateAddressesAreNotDialedByDefault() {
    NettyHost a = hosts.start();
    DcutrService service = new DcutrService(a, DcutrConfig.DEFAULT, List::of,
        (address, peer, asResponder) -> CompletableFuture.failedFuture(new MycelNetException("unused")));

    assertThat(service.dialable(List.of(
        Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"),
        Multiaddr.parse("/ip4/10.0.1.2/tcp/4001"),
        Multiaddr.parse("/ip4/203.0.113.2/tcp/4001"),
        Multiaddr.parse("/ip4/203.0.113.9/tcp/4001/p2p-circuit"))))
        .containsExactly(Multiaddr.parse("/ip4/203.0.113.2/tcp/4001"));
  }

  private static Stream open(NettyHost from, NettyHost to) throws Exception {
    return from.dial(to.listenAddresses().get(0).withPeerId(to.peerId()))
        .thenCompose(connection -> connection.openStream(DcutrService.ID))
        .get(10, TimeUnit.SECONDS);
  }

  /** The responder must not answer: the stream ends (reset or closed) with no bytes. */
  private static void assertEndsWithoutAnswer(Stream stream) {
    int first;
    try {
      first = stream.input().read();
    } catch (IOException e) {
      first = -1;
    }
    assertThat(first).isEqualTo(-1);
  }
}
