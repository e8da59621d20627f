package io.mycel.net.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.core.varint.Varint;
import io.mycel.net.Stream;
import io.mycel.net.autonat.AutoNatMessages.DialRequest;
import io.mycel.net.autonat.AutoNatMessages.DialResponse;
import io.mycel.net.autonat.AutoNatMessages.Status;
import io.mycel.net.host.NettyHost;
import io.mycel.net.multistream.testing.Conditions;
import io.mycel.net.testing.NettyLeakDetection;
import io.mycel.net.testing.TestHosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** AutoNAT between real hosts on loopback (private addresses allowed, as loopback is private). */
@ExtendWith(NettyLeakDetection.class)
class AutoNatServiceTest {

  @RegisterExtension final TestHosts hosts = new TestHosts();

  private static final AutoNatConfig CONFIG = AutoNatConfig.DEFAULT
      .withPrivateAddresses(true)
      .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
      .withSchedule(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));

  private final List<AutoNatService> services = new ArrayList<>();

  @AfterEach
  void closeServices() {
    services.forEach(AutoNatService::close);
  }

  private AutoNatService autonat(NettyHost host) {
    AutoNatService service = new AutoNatService(host, CONFIG).start();
    services.add(service);
    return service;
  }

  private static void connect(NettyHost from, NettyHost to) throws Exception {
    from.dial(to.listenAddresses().get(0).withPeerId(to.peerId())).get(10, TimeUnit.SECONDS);
    Conditions.await(to.peerId() + " identified as an AutoNAT server",
        () -> from.peerStore().get(to.peerId())
            .map(info -> info.protocols().contains(AutoNatService.ID) && info.observedAddress() != null)
            .orElse(false),
        Duration.ofSeconds(10));
  }

  @Test
  void listeningNodeLearnsItIsPublic() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    NettyHost c = hosts.start();
    AutoNatService probe = autonat(a);
    autonat(b);
    autonat(c);
    connect(a, b);
    connect(a, c);

    ReachabilityTracker.Status status = probe.probe().get(20, TimeUnit.SECONDS);

    assertThat(status.reachability()).isEqualTo(Reachability.PUBLIC);
    assertThat(status.confidence()).isEqualTo(1);
    assertThat(status.publicAddress()).isEqualTo(a.listenAddresses().get(0));
    assertThat(probe.observedAddresses()).isNotEmpty();
    assertThat(services.get(1).server().answered() + services.get(2).server().answered()).isEqualTo(2);
  }

  @Test
  void nodeThatCannotBeDialedLearnsItIsPrivate() throws Exception {
    NettyHost a = hosts.start(config -> config.withListenAddresses(List.of()));
    NettyHost b = hosts.start();
    NettyHost c = hosts.start();
    AutoNatService probe = autonat(a);
    autonat(b);
    autonat(c);
    connect(a, b);
    connect(a, c);

    ReachabilityTracker.Status status = probe.probe().get(20, TimeUnit.SECONDS);

    assertThat(status.reachability()).isEqualTo(Reachability.PRIVATE);
    assertThat(status.confidence()).isEqualTo(1);
  }

  @Test
  void probeWithoutServersLeavesTheStatusUnknown() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    AutoNatService probe = autonat(a);
    a.dial(b.listenAddresses().get(0).withPeerId(b.peerId())).get(10, TimeUnit.SECONDS);

    assertThat(probe.probe().get(20, TimeUnit.SECONDS).reachability()).isEqualTo(Reachability.UNKNOWN);
  }

  @Test
  void malformedRequestOnTheWireGetsABadRequestAnswer() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    autonat(b);

    try (Stream stream = open(a, b)) {
      AutoNatMessages.write(stream.output(), new byte[] {(byte) 0xFF, 0x13, 0x37});
      DialResponse answer = AutoNatMessages.decodeResponse(
          AutoNatMessages.read(stream.input(), AutoNatMessages.MAX_MESSAGE_SIZE));
      assertThat(answer.status()).isEqualTo(Status.BAD_REQUEST);
    }
  }

  @Test
  void oversizedRequestOnTheWireGetsABadRequestAnswer() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    autonat(b);

    try (Stream stream = open(a, b)) {
      stream.output().write(Varint.encode(AutoNatMessages.MAX_MESSAGE_SIZE + 1));
      stream.output().flush();
      DialResponse answer = AutoNatMessages.decodeResponse(
          AutoNatMessages.read(stream.input(), AutoNatMessages.MAX_MESSAGE_SIZE));
      assertThat(answer.status()).isEqualTo(Status.BAD_REQUEST);
      assertThat(answer.statusText()).contains("exceeds");
    }
  }

  @Test
  void dialBackToAnotherIpOnTheWireIsRefused() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    AutoNatService server = autonat(b);

    try (Stream stream = open(a, b)) {
      DialRequest request = new DialRequest(a.peerId(), List.of(Multiaddr.parse("/ip4/10.9.9.9/tcp/4001")));
      AutoNatMessages.write(stream.output(), AutoNatMessages.encode(request));
      DialResponse answer = AutoNatMessages.decodeResponse(
          AutoNatMessages.read(stream.input(), AutoNatMessages.MAX_MESSAGE_SIZE));
      assertThat(answer.status()).isEqualTo(Status.DIAL_REFUSED);
      assertThat(answer.statusText()).contains("127.0.0.1");
    }
    assertThat(server.server().answered()).isZero();
  }

  @Test
  void requestNamingAnotherPeerOnTheWireIsABadRequest() throws Exception {
    NettyHost a = hosts.start();
    NettyHost b = hosts.start();
    NettyHost c = hosts.start();
    autonat(b);

    try (Stream stream = open(a, b)) {
      PeerId victim = c.peerId();
      AutoNatMessages.write(stream.output(),
          AutoNatMessages.encode(new DialRequest(victim, c.listenAddresses())));
      DialResponse answer = AutoNatMessages.decodeResponse(
          AutoNatMessages.read(stream.input(), AutoNatMessages.MAX_MESSAGE_SIZE));
      assertThat(answer.status()).isEqualTo(Status.BAD_REQUEST);
    }
    assertThat(c.connections()).isEmpty();
  }

  private static Stream open(NettyHost from, NettyHost to) throws Exception {
    return from.dial(to.listenAddresses().get(0).withPeerId(to.peerId()))
        .thenCompose(connection -> connection.openStream(AutoNatService.ID))
        .get(10, TimeUnit.SECONDS);
  }
}
