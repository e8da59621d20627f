package io.mycel.net.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.PeerIdMismatchException;
import io.mycel.net.PeerStore;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.Stream;
import io.mycel.net.StreamResetException;
import io.mycel.net.identify.pb.IdentifyProtos.Identify;
import io.mycel.net.multistream.testing.Conditions;
import io.mycel.net.multistream.testing.MemoryHost;
import io.mycel.core.varint.Varint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdentifyServiceTest {

  private final MemoryHost a = new MemoryHost("mycel/0.1.0");
  private final MemoryHost b = new MemoryHost("js-libp2p/2.0.0");

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void identifyStoresWhatThePeerAnnounces() throws Exception {
    b.protocols().register("/ipfs/ping/1.0.0", stream -> {});
    new IdentifyService(b).start();
    IdentifyService identify = new IdentifyService(a);
    Connection connection = MemoryHost.connect(a, b);

    PeerStore.PeerInfo info = get(identify.identify(connection));

    assertThat(info.peerId()).isEqualTo(b.peerId());
    assertThat(info.agentVersion()).isEqualTo("js-libp2p/2.0.0");
    assertThat(info.protocolVersion()).isEqualTo("ipfs/0.1.0");
    assertThat(info.protocols())
        .containsExactly("/ipfs/id/1.0.0", "/ipfs/id/push/1.0.0", "/ipfs/ping/1.0.0");
    assertThat(info.addresses()).containsExactlyElementsOf(b.listenAddresses());
    assertThat(info.publicKey().marshal()).isEqualTo(b.privateKey().publicKey().marshal());
    assertThat(info.observedAddress()).isEqualTo(a.connectAddress());
    assertThat(a.peerStore().get(b.peerId())).contains(info);
    assertThat(identify.lastIdentify(b.peerId())).isPresent();
  }

  @Test
  void everyNewConnectionIsIdentifiedBothWays() throws Exception {
    new IdentifyService(a).start();
    new IdentifyService(b).start();

    MemoryHost.connect(a, b);

    Conditions.await("a to know b", () -> agentOf(a, b.peerId()) != null);
    Conditions.await("b to know a", () -> agentOf(b, a.peerId()) != null);
    assertThat(agentOf(a, b.peerId())).isEqualTo("js-libp2p/2.0.0");
    assertThat(agentOf(b, a.peerId())).isEqualTo("mycel/0.1.0");
  }

  @Test
  void peerAnnouncingAnotherKeyIsDisconnected() throws Exception {
    new IdentifyService(b).start();
    IdentifyService identify = new IdentifyService(a);
    PeerId expected = PeerId.fromPublicKey(Ed25519.generate().publicKey());
    Connection connection = MemoryHost.connect(a, b, expected);

    assertThatThrownBy(() -> get(identify.identify(connection)))
        .hasCauseInstanceOf(PeerIdMismatchException.class)
        .hasMessageContaining(b.peerId().toString());
    assertThat(connection.isOpen()).isFalse();
    assertThat(a.peerStore().get(expected)).isEmpty();
  }

  @Test
  void oversizedAnnouncementFailsWithoutReadingTheBody() throws Exception {
    b.protocols().register(IdentifyService.ID, stream -> {
      stream.output().write(Varint.encode(1_000_000));
      stream.output().flush();
      stream.input().read(); // holds the stream open until reset
    });
    IdentifyService identify = new IdentifyService(a);
    Connection connection = MemoryHost.connect(a, b);

    assertThatThrownBy(() -> get(identify.identify(connection)))
        .hasCauseInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("65536-byte limit");
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void answerWithoutClosingTheWriteSideIsAccepted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    b.protocols().register(IdentifyService.ID, stream -> {
      byte[] message = Identify.newBuilder().setAgentVersion("slow-closer/1.0").build().toByteArray();
      IdentifyMessages.write(stream.output(), message);
      release.await(5, TimeUnit.SECONDS);
    });
    IdentifyService identify = new IdentifyService(a);
    Connection connection = MemoryHost.connect(a, b);

    try {
      assertThat(get(identify.identify(connection)).agentVersion()).isEqualTo("slow-closer/1.0");
    } finally {
      release.countDown();
    }
  }

  @Test
  void undecodableAddressesAreSkipped() throws Exception {
    Multiaddr good = Multiaddr.parse("/ip4/192.0.2.1/tcp/4001");
    b.protocols().register(IdentifyService.ID, stream -> {
      byte[] message =
          Identify.newBuilder()
              .addListenAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x7f, 1, 2}))
              .addListenAddrs(ByteString.copyFrom(good.bytes()))
              .setObservedAddr(ByteString.copyFrom(new byte[] {4}))
              .addProtocols("/ipfs/kad/1.0.0")
              .build()
              .toByteArray();
      IdentifyMessages.write(stream.output(), message);
      stream.closeWrite();
    });
    IdentifyService identify = new IdentifyService(a);
    Connection connection = MemoryHost.connect(a, b);

    PeerStore.PeerInfo info = get(identify.identify(connection));

    assertThat(info.addresses()).containsExactly(good);
    assertThat(info.observedAddress()).isNull();
    assertThat(info.protocols()).containsExactly("/ipfs/kad/1.0.0");
    // No key announced: the one inlined in the Ed25519 peer id is stored.
    assertThat(info.publicKey().marshal()).isEqualTo(b.privateKey().publicKey().marshal());
  }

  @Test
  void malformedAnnouncementIsViolation() throws Exception {
    b.protocols().register(IdentifyService.ID, stream -> {
      IdentifyMessages.write(stream.output(), new byte[] {0x0a, 0x7f, 0x01});
      stream.closeWrite();
    });
    IdentifyService identify = new IdentifyService(a);

    assertThatThrownBy(() -> get(identify.identify(MemoryHost.connect(a, b))))
        .hasCauseInstanceOf(ProtocolViolationException.class);
  }

  @Test
  void silentPeerTimesOutAndItsStreamIsReset() throws Exception {
    CompletableFuture<Throwable> seenByPeer = new CompletableFuture<>();
    b.protocols().register(IdentifyService.ID, stream -> {
      try {
        stream.input().read();
        seenByPeer.complete(null);
      } catch (Exception e) {
        seenByPeer.complete(e);
      }
    });
    IdentifyService identify =
        new IdentifyService(a, new IdentifyConfig(65536, Duration.ofMillis(200), "ipfs/0.1.0"));

    assertThatThrownBy(() -> get(identify.identify(MemoryHost.connect(a, b))))
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(seenByPeer.get(5, TimeUnit.SECONDS)).isInstanceOf(StreamResetException.class);
  }

  @Test
  void pushUpdatesTheConnectedPeers() throws Exception {
    IdentifyService onA = new IdentifyService(a);
    IdentifyService onB = new IdentifyService(b);
    onA.start();
    onB.start();
    MemoryHost.connect(a, b);
    Conditions.await("a to know b", () -> agentOf(a, b.peerId()) != null);

    Multiaddr moved = Multiaddr.parse("/ip4/192.0.2.55/tcp/4101");
    b.setListenAddresses(List.of(moved));
    b.protocols().register("/mycel/market/1.0.0", stream -> {});
    onB.pushAll().get(5, TimeUnit.SECONDS);

    Conditions.await(
        "a to learn b's new protocol",
        () -> a.peerStore().get(b.peerId()).orElseThrow().protocols().contains("/mycel/market/1.0.0"));
    assertThat(a.peerStore().get(b.peerId()).orElseThrow().addresses()).startsWith(moved);
    assertThat(onA.lastIdentify(b.peerId()).orElseThrow().listenAddresses()).containsExactly(moved);
  }

  @Test
  void partialPushKeepsTheOtherFields() throws Exception {
    new IdentifyService(a).start();
    new IdentifyService(b).start();
    Connection bToA = MemoryHost.connect(b, a);
    Conditions.await("a to know b", () -> agentOf(a, b.peerId()) != null);
    List<String> protocolsBefore = a.peerStore().get(b.peerId()).orElseThrow().protocols();

    Stream push = get(bToA.openStream(IdentifyService.PUSH_ID));
    IdentifyMessages.write(
        push.output(), Identify.newBuilder().setAgentVersion("js-libp2p/2.1.0").build().toByteArray());
    push.closeWrite();

    Conditions.await("a to see the new agent", () -> "js-libp2p/2.1.0".equals(agentOf(a, b.peerId())));
    assertThat(a.peerStore().get(b.peerId()).orElseThrow().protocols()).isEqualTo(protocolsBefore);
  }

  @Test
  void pushWithAnotherKeyDisconnects() throws Exception {
    new IdentifyService(a).start();
    Connection bToA = MemoryHost.connect(b, a);

    Stream push = get(bToA.openStream(IdentifyService.PUSH_ID));
    byte[] foreignKey = Ed25519.generate().publicKey().marshal();
    IdentifyMessages.write(
        push.output(),
        Identify.newBuilder().setPublicKey(ByteString.copyFrom(foreignKey)).build().toByteArray());
    push.closeWrite();

    Conditions.await("the connection to close", () -> !bToA.isOpen());
    assertThat(a.peerStore().get(b.peerId()).map(PeerStore.PeerInfo::publicKey)).isEmpty();
  }

  @Test
  void closedServiceNoLongerAnswers() throws Exception {
    IdentifyService onB = new IdentifyService(b);
    onB.start();
    onB.close();

    assertThat(b.protocols().protocols()).doesNotContain(IdentifyService.ID, IdentifyService.PUSH_ID);
    assertThatThrownBy(() -> get(new IdentifyService(a).identify(MemoryHost.connect(a, b))))
        .isInstanceOf(ExecutionException.class);
  }

  private static String agentOf(MemoryHost host, PeerId peer) {
    return host.peerStore().get(peer).map(PeerStore.PeerInfo::agentVersion).orElse(null);
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(5, TimeUnit.SECONDS);
  }
}
