package io.mycel.routing.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.core.varint.Varint;
import io.mycel.net.Host;
import io.mycel.net.StreamResetException;
import io.mycel.net.Stream;
import io.mycel.net.testing.LogCapture;
import io.mycel.net.testing.TestHosts;
import io.mycel.routing.kad.pb.KadProtos.Message;
import io.mycel.routing.kad.pb.KadProtos.Record;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KadDhtBadInputTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final TestHosts hosts = new TestHosts();
  @RegisterExtension final LogCapture logs = new LogCapture();

  private Host server;
  private KadDht dht;

  private Stream openToServer() throws Exception {
    server = hosts.start();
    dht =
        new KadDht(
                server,
                KadConfig.DEFAULT,
                Clock.systemUTC(),
                Map.of(TestValidators.NAMESPACE, TestValidators.VERSIONED))
            .start();
    Host attacker = hosts.start();
    attacker.dial(server.listenAddresses().getFirst().withPeerId(server.peerId())).get(10, TimeUnit.SECONDS);
    return attacker.newStream(server.peerId(), List.of(KadDht.PROTOCOL)).get(10, TimeUnit.SECONDS);
  }

  private static void assertReset(Stream stream) {
    assertThatThrownBy(
            () -> {
              while (stream.input().read() >= 0) {
                // drain until the reset arrives
              }
              throw new AssertionError("stream closed cleanly instead of being reset");
            })
        .isInstanceOf(StreamResetException.class);
  }

  @Test
  void oversizedMessageResetsTheStream() throws Exception {
    Stream stream = openToServer();
    Varint.write(stream.output(), KadConfig.DEFAULT_MAX_MESSAGE_SIZE + 1L);
    stream.output().write(new byte[64]);
    stream.output().flush();
    assertReset(stream);
    logs.await(WAIT, "kad request from", "exceeds the limit");
  }

  @Test
  void garbageProtobufResetsTheStream() throws Exception {
    Stream stream = openToServer();
    stream.output().write(new byte[] {5, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    stream.output().flush();
    assertReset(stream);
    logs.await(WAIT, "kad request from", "malformed kad message");
  }

  @Test
  void recordOfUnknownNamespaceIsRefused() throws Exception {
    Stream stream = openToServer();
    ByteString key = ByteString.copyFromUtf8("/unknown/thing");
    Message put =
        Message.newBuilder()
            .setType(Message.MessageType.PUT_VALUE)
            .setKey(key)
            .setRecord(Record.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("1")))
            .build();
    new KadCodec(KadConfig.DEFAULT_MAX_MESSAGE_SIZE).write(stream.output(), put);
    assertReset(stream);
    logs.await(WAIT, "no validator for record namespace 'unknown'");
    assertThat(dht.answer(PeerId.fromPublicKey(Ed25519.generate().publicKey()),
            Message.newBuilder().setType(Message.MessageType.GET_VALUE).setKey(key).build())
        .orElseThrow()
        .hasRecord())
        .isFalse();
  }

  @Test
  void invalidRecordIsRefused() throws Exception {
    Stream stream = openToServer();
    ByteString key = ByteString.copyFrom(TestValidators.key("x"));
    Message put =
        Message.newBuilder()
            .setType(Message.MessageType.PUT_VALUE)
            .setKey(key)
            .setRecord(Record.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("not a number")))
            .build();
    new KadCodec(KadConfig.DEFAULT_MAX_MESSAGE_SIZE).write(stream.output(), put);
    assertReset(stream);
  }

  @Test
  void localPutOfUnknownNamespaceFails() throws Exception {
    Host host = hosts.start();
    KadDht local = new KadDht(host).start();
    assertThatThrownBy(
            () -> local.putValue("/unknown/x".getBytes(StandardCharsets.UTF_8), new byte[] {1})
                .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("no validator for record namespace 'unknown'");
  }

  @Test
  void thousandUnreachableCloserPeersDoNotStallALookup() throws Exception {
    Host liar = hosts.start();
    AtomicInteger answered = new AtomicInteger();
    liar.protocols()
        .register(
            KadDht.PROTOCOL,
            stream -> {
              KadCodec codec = new KadCodec(KadConfig.DEFAULT_MAX_MESSAGE_SIZE);
              Optional<Message> request;
              while ((request = codec.read(stream.input())).isPresent()) {
                Message.Builder reply =
                    Message.newBuilder().setType(request.get().getType()).setKey(request.get().getKey());
                for (int i = 0; i < 1000; i++) {
                  PeerId fake = PeerId.fromPublicKey(Ed25519.generate().publicKey());
                  reply.addCloserPeers(
                      Message.Peer.newBuilder()
                          .setId(ByteString.copyFrom(fake.bytes()))
                          .addAddrs(ByteString.copyFrom(
                              Multiaddr.parse("/ip4/127.0.0.1/tcp/1").bytes())));
                }
                codec.write(stream.output(), reply.build());
                answered.incrementAndGet();
              }
            });
    Host victimHost = hosts.start();
    KadDht victim =
        new KadDht(victimHost, KadConfig.DEFAULT.withQueryTimeout(Duration.ofSeconds(2)), Clock.systemUTC(), Map.of())
            .start();
    victim
        .addBootstrapPeer(liar.listenAddresses().getFirst().withPeerId(liar.peerId()))
        .get(10, TimeUnit.SECONDS);
    long start = System.nanoTime();
    List<PeerId> found =
        victim.findClosestPeers(new byte[] {1, 2, 3}).get(30, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(found).containsExactly(liar.peerId());
    assertThat(answered.get()).isEqualTo(1);
    assertThat(took).isLessThan(Duration.ofSeconds(15));
    // Only the peers that answered are in the table; the fake ones never did.
    assertThat(victim.routingTable().size()).isEqualTo(1);
    // At most one reply's worth of the fake peers reached the peer store.
    long fakeKnown = victimHost.peerStore().all().stream()
        .filter(i -> i.addresses().contains(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")))
        .count();
    assertThat(fakeKnown).isLessThanOrEqualTo(KadConfig.DEFAULT_MAX_PEERS_PER_REPLY);
  }

  @Test
  void providerRecordForAnotherPeerIsIgnored() throws Exception {
    Host host = hosts.start();
    KadDht local = new KadDht(host).start();
    PeerId sender = PeerId.fromPublicKey(Ed25519.generate().publicKey());
    PeerId victim = PeerId.fromPublicKey(Ed25519.generate().publicKey());
    ByteString key = ByteString.copyFromUtf8("some multihash");
    local.answer(
        sender,
        Message.newBuilder()
            .setType(Message.MessageType.ADD_PROVIDER)
            .setKey(key)
            .addProviderPeers(Message.Peer.newBuilder().setId(ByteString.copyFrom(victim.bytes())))
            .build());
    assertThat(local.providerStore().get(key.toByteArray())).isEmpty();
    local.answer(
        sender,
        Message.newBuilder()
            .setType(Message.MessageType.ADD_PROVIDER)
            .setKey(key)
            .addProviderPeers(Message.Peer.newBuilder().setId(ByteString.copyFrom(sender.bytes())))
            .build());
    assertThat(local.providerStore().get(key.toByteArray()))
        .extracting(ProviderStore.Provider::peer)
        .containsExactly(sender);
  }
}
