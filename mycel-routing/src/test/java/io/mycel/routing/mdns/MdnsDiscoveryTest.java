package io.mycel.routing.mdns;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/** Real multicast on the loopback interface, on a port of each test's own. */
class MdnsDiscoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Name SERVICE = Name.fromConstantString("_p2p._udp.local.");

  /** Records what one instance heard. */
  static final class Heard implements MdnsDiscovery.Listener {
    final Map<PeerId, DiscoveredPeer> peers = new ConcurrentHashMap<>();
    final List<String> ignored = new CopyOnWriteArrayList<>();

    @Override
    public void discovered(DiscoveredPeer peer) {
      peers.put(peer.peerId(), peer);
    }

    @Override
    public void ignored(SocketAddress sender, String reason) {
      ignored.add(reason);
    }
  }

  private final List<AutoCloseable> open = new ArrayList<>();
  private MdnsConfig config;

  @BeforeEach
  void config() throws Exception {
    config = MdnsTesting.loopbackConfig().withInterval(Duration.ofMillis(500));
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static PeerId newPeer() {
    return PeerId.fromPublicKey(Ed25519.generate().publicKey());
  }

  private MdnsDiscovery start(PeerId self, int port, Heard heard) throws Exception {
    Multiaddr address = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port).withPeerId(self);
    MdnsDiscovery discovery = MdnsTesting.start(self, () -> List.of(address), config, heard);
    open.add(discovery);
    return discovery;
  }

  /** A plain socket on an ephemeral port that sends to the group on the loopback interface. */
  private DatagramChannel sender() throws Exception {
    DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)
        .bind(new InetSocketAddress("127.0.0.1", 0));
    channel.setOption(StandardSocketOptions.IP_MULTICAST_IF,
        NetworkInterface.getByName(MdnsTesting.loopbackInterface()));
    open.add(channel);
    return channel;
  }

  private void sendToGroup(byte[] packet) throws Exception {
    sender().send(ByteBuffer.wrap(packet), new InetSocketAddress(config.group(), config.port()));
  }

  private static byte[] response(String peerName, List<String> txt) throws Exception {
    Name target = Name.fromString(peerName + "._p2p._udp.local.");
    Message response = new Message(0);
    response.getHeader().setFlag(Flags.QR);
    response.addRecord(new PTRRecord(SERVICE, DClass.IN, 120, target), Section.ANSWER);
    response.addRecord(new TXTRecord(target, DClass.IN, 120, txt), Section.ADDITIONAL);
    return response.toWire();
  }

  @Test
  void threePeersFindEachOtherByMulticast() throws Exception {
    List<PeerId> ids = List.of(newPeer(), newPeer(), newPeer());
    List<Heard> heard = List.of(new Heard(), new Heard(), new Heard());
    for (int i = 0; i < 3; i++) {
      start(ids.get(i), 4000 + i, heard.get(i));
    }
    for (int i = 0; i < 3; i++) {
      Heard h = heard.get(i);
      Set<PeerId> others = new java.util.HashSet<>(ids);
      others.remove(ids.get(i));
      await("peer " + i + " hears the other two", () -> h.peers.keySet().containsAll(others));
      assertThat(h.peers).doesNotContainKey(ids.get(i));
      assertThat(h.ignored).isEmpty();
    }
    assertThat(heard.get(0).peers.get(ids.get(1)).addresses())
        .containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"));
  }

  @Test
  void queryFromAnotherPortIsAnsweredToThatPort() throws Exception {
    PeerId self = newPeer();
    MdnsDiscovery discovery = start(self, 4101, new Heard());
    DatagramChannel asker = sender();
    asker.send(ByteBuffer.wrap(new MdnsMessages(config).query()),
        new InetSocketAddress(config.group(), config.port()));
    ByteBuffer answer = ByteBuffer.allocate(9000);
    asker.receive(answer);
    MdnsMessages.Response response = (MdnsMessages.Response)
        new MdnsMessages(config).decode(answer.array(), answer.position());
    assertThat(response.announcements()).containsExactly(new MdnsMessages.Announcement(
        discovery.peerName(),
        new DiscoveredPeer(self, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4101")))));
  }

  @Test
  void multicastAnswersComeAtMostOnceASecond() throws Exception {
    long started = System.nanoTime();
    start(newPeer(), 4101, new Heard());
    DatagramChannel member = DatagramChannel.open(StandardProtocolFamily.INET)
        .setOption(StandardSocketOptions.SO_REUSEADDR, true)
        .bind(new InetSocketAddress(config.port()));
    open.add(member);
    NetworkInterface loopback = NetworkInterface.getByName(MdnsTesting.loopbackInterface());
    member.setOption(StandardSocketOptions.IP_MULTICAST_IF, loopback);
    member.join(config.group(), loopback);
    InetSocketAddress group = new InetSocketAddress(config.group(), config.port());
    byte[] query = new MdnsMessages(config).query();
    for (int i = 0; i < 20; i++) {
      member.send(ByteBuffer.wrap(query), group);
    }
    // A legacy query answered by unicast marks the point where all those have been handled.
    DatagramChannel asker = sender();
    asker.send(ByteBuffer.wrap(query), group);
    asker.receive(ByteBuffer.allocate(9000));
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + 1;

    member.configureBlocking(false);
    int responses = 0;
    ByteBuffer packet = ByteBuffer.allocate(9000);
    while (member.receive(packet.clear()) != null) {
      MdnsMessages.Packet decoded = new MdnsMessages(config).decode(packet.array(), packet.position());
      if (decoded instanceof MdnsMessages.Response) {
        responses++;
      }
    }
    assertThat(responses).as("multicast answers to 20 queries").isLessThanOrEqualTo((int) seconds + 1);
  }

  @Test
  void malformedPacketIsIgnored() throws Exception {
    Heard heard = new Heard();
    start(newPeer(), 4101, heard);
    sendToGroup(new byte[] {0, 0, (byte) 0x84, 0, 0, 0, 0, 3, 0, 0, 0, 0, 7, 'x'});
    await("the malformed packet is reported", () -> !heard.ignored.isEmpty());
    assertThat(heard.ignored.getFirst()).contains("malformed DNS message");
    assertThat(heard.peers).isEmpty();
  }

  @Test
  void oversizedPacketIsIgnored() throws Exception {
    Heard heard = new Heard();
    start(newPeer(), 4101, heard);
    PeerId other = newPeer();
    List<String> txt = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      txt.add("dnsaddr=/ip4/10.0.0.1/tcp/" + (1000 + i) + "/p2p/" + other);
    }
    byte[] big = new byte[config.maxPacketBytes() + 100];
    byte[] valid = response("big", txt);
    System.arraycopy(valid, 0, big, 0, valid.length);
    sendToGroup(big);
    await("the oversized packet is reported", () -> !heard.ignored.isEmpty());
    assertThat(heard.ignored.getFirst()).contains("more than " + config.maxPacketBytes());
    assertThat(heard.peers).isEmpty();
  }

  @Test
  void invalidMultiaddrIsIgnored() throws Exception {
    Heard heard = new Heard();
    start(newPeer(), 4101, heard);
    PeerId other = newPeer();
    sendToGroup(response("badaddr", List.of("dnsaddr=/ip4/10.0.0.1/tcp/99999/p2p/" + other)));
    await("the invalid address is reported", () -> heard.ignored.size() >= 1);
    assertThat(heard.ignored.getFirst()).contains("invalid multiaddr");
    assertThat(heard.peers).isEmpty();
  }

  @Test
  void responseClaimingTwoPeerIdsIsIgnored() throws Exception {
    Heard heard = new Heard();
    start(newPeer(), 4101, heard);
    PeerId a = newPeer();
    PeerId b = newPeer();
    sendToGroup(response("twoids", List.of("dnsaddr=/ip4/10.0.0.1/tcp/1/p2p/" + a,
        "dnsaddr=/ip4/10.0.0.1/tcp/2/p2p/" + b)));
    await("the double claim is reported", () -> !heard.ignored.isEmpty());
    assertThat(heard.ignored.getFirst()).contains("two peer ids");
    assertThat(heard.peers).isEmpty();
  }

  @Test
  void responseClaimingThisNodesPeerIdIsIgnored() throws Exception {
    Heard heard = new Heard();
    PeerId self = newPeer();
    start(self, 4101, heard);
    sendToGroup(response("impostor", List.of("dnsaddr=/ip4/10.9.9.9/tcp/1/p2p/" + self)));
    await("the impostor is reported", () -> !heard.ignored.isEmpty());
    assertThat(heard.ignored.getFirst()).contains("claims this node's peer id");
    assertThat(heard.peers).isEmpty();
  }
}
