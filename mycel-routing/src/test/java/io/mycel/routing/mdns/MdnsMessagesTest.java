package io.mycel.routing.mdns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class MdnsMessagesTest {
  private static final Name SERVICE = Name.fromConstantString("_p2p._udp.local.");
  private final MdnsMessages messages = new MdnsMessages(MdnsConfig.DEFAULT);
  private final PeerId peer = PeerId.fromPublicKey(Ed25519.generate().publicKey());

  private Multiaddr address(int port) {
    return Multiaddr.parse("/ip4/192.168.1.7/tcp/" + port).withPeerId(peer);
  }

  private static MdnsMessages.Response decodeResponse(MdnsMessages messages, byte[] wire)
      throws Exception {
    return (MdnsMessages.Response) messages.decode(wire, wire.length);
  }

  @Test
  void queryAsksForTheServicePointers() throws Exception {
    Message query = new Message(messages.query());
    assertThat(query.getHeader().getFlag(Flags.QR)).isFalse();
    assertThat(query.getHeader().getID()).isZero();
    assertThat(query.getQuestion().getName()).isEqualTo(SERVICE);
    assertThat(query.getQuestion().getType()).isEqualTo(Type.PTR);
    assertThat(messages.decode(messages.query(), messages.query().length))
        .isEqualTo(new MdnsMessages.Query(true, false));
  }

  @Test
  void responseAnnouncesEveryAddressAsDnsaddr() throws Exception {
    String name = MdnsMessages.randomPeerName(new Random(1));
    byte[] wire = messages.response(name, List.of(address(4101), address(4102))).orElseThrow();
    Message response = new Message(wire);
    assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    PTRRecord ptr = (PTRRecord) response.getSection(Section.ANSWER).getFirst();
    assertThat(ptr.getName()).isEqualTo(SERVICE);
    assertThat(ptr.getTarget()).isEqualTo(Name.fromString(name + "._p2p._udp.local."));
    TXTRecord txt = (TXTRecord) response.getSection(Section.ADDITIONAL).getFirst();
    assertThat(txt.getName()).isEqualTo(ptr.getTarget());
    assertThat(txt.getStrings()).containsExactly("dnsaddr=" + address(4101),
        "dnsaddr=" + address(4102));
    assertThat(ptr.getTTL()).isEqualTo(120);

    MdnsMessages.Response decoded = decodeResponse(messages, wire);
    assertThat(decoded.rejected()).isEmpty();
    assertThat(decoded.announcements()).containsExactly(new MdnsMessages.Announcement(name,
        new DiscoveredPeer(peer, List.of(address(4101).withoutPeerId(),
            address(4102).withoutPeerId()))));
  }

  @Test
  void peerNamesAreOneLabelOf32To63Characters() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      String name = MdnsMessages.randomPeerName(random);
      assertThat(name).hasSizeBetween(32, 63).matches("[a-z0-9]+");
    }
  }

  @Test
  void responseLeavesOutAddressesBeyondThePacketLimit() throws Exception {
    List<Multiaddr> many = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add(address(10_000 + i));
    }
    byte[] wire = messages.response("abc", many).orElseThrow();
    assertThat(wire.length).isLessThanOrEqualTo(MdnsConfig.DEFAULT_MAX_PACKET_BYTES);
    TXTRecord txt = (TXTRecord) new Message(wire).getSection(Section.ADDITIONAL).getFirst();
    assertThat(txt.getStrings()).hasSizeBetween(10, 199);
  }

  @Test
  void responseLeavesOutAddressesWithoutPeerId() {
    assertThat(messages.response("abc", List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1"))))
        .isEmpty();
  }

  @Test
  void txtRecordsAmongTheAnswersAreReadToo() throws Exception {
    // js-libp2p puts one TXT record per address among the answers.
    Name target = Name.fromString("jsnode._p2p._udp.local.");
    Message response = new Message(0);
    response.getHeader().setFlag(Flags.QR);
    response.addRecord(new PTRRecord(SERVICE, DClass.IN, 120, target), Section.ANSWER);
    response.addRecord(new TXTRecord(target, DClass.IN, 120, "dnsaddr=" + address(1)),
        Section.ANSWER);
    response.addRecord(new TXTRecord(target, DClass.IN, 120, "dnsaddr=" + address(2)),
        Section.ANSWER);
    MdnsMessages.Response decoded = decodeResponse(messages, response.toWire());
    assertThat(decoded.peers()).containsExactly(new DiscoveredPeer(peer,
        List.of(address(1).withoutPeerId(), address(2).withoutPeerId())));
  }

  @Test
  void malformedPacketIsRefused() {
    // A header announcing five questions, then half a label.
    byte[] garbage = {0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 9, 'a', 'b'};
    assertThatThrownBy(() -> messages.decode(garbage, garbage.length))
        .isInstanceOf(InvalidMdnsPacketException.class)
        .hasMessageContaining("malformed");
  }

  @Test
  void oversizedPacketIsRefused() {
    byte[] big = new byte[MdnsConfig.DEFAULT_MAX_PACKET_BYTES + 1];
    assertThatThrownBy(() -> messages.decode(big, big.length))
        .isInstanceOf(InvalidMdnsPacketException.class)
        .hasMessageContaining("more than 9000 bytes");
  }

  @Test
  void invalidMultiaddrIsLeftOutAndNamed() throws Exception {
    Name target = Name.fromString("bad._p2p._udp.local.");
    Message response = new Message(0);
    response.getHeader().setFlag(Flags.QR);
    response.addRecord(new PTRRecord(SERVICE, DClass.IN, 120, target), Section.ANSWER);
    response.addRecord(new TXTRecord(target, DClass.IN, 120,
        List.of("dnsaddr=/ip4/999.1.1.1/tcp/1/p2p/" + peer, "dnsaddr=" + address(5))),
        Section.ADDITIONAL);
    MdnsMessages.Response decoded = decodeResponse(messages, response.toWire());
    assertThat(decoded.rejected()).singleElement().asString().contains("invalid multiaddr");
    assertThat(decoded.peers()).containsExactly(
        new DiscoveredPeer(peer, List.of(address(5).withoutPeerId())));
  }

  @Test
  void responseClaimingTwoPeerIdsIsRefused() throws Exception {
    PeerId other = PeerId.fromPublicKey(Ed25519.generate().publicKey());
    Name target = Name.fromString("two._p2p._udp.local.");
    Message response = new Message(0);
    response.getHeader().setFlag(Flags.QR);
    response.addRecord(new PTRRecord(SERVICE, DClass.IN, 120, target), Section.ANSWER);
    response.addRecord(new TXTRecord(target, DClass.IN, 120, List.of("dnsaddr=" + address(5),
        "dnsaddr=/ip4/192.168.1.8/tcp/6/p2p/" + other)), Section.ADDITIONAL);
    MdnsMessages.Response decoded = decodeResponse(messages, response.toWire());
    assertThat(decoded.peers()).isEmpty();
    assertThat(decoded.rejected()).singleElement().asString().contains("two peer ids");
  }

  @Test
  void peersBeyondTheLimitOfOneResponseAreLeftOut() throws Exception {
    Message response = new Message(0);
    response.getHeader().setFlag(Flags.QR);
    for (int i = 0; i < MdnsConfig.DEFAULT_MAX_PEERS_PER_RESPONSE + 5; i++) {
      Name target = Name.fromString("p" + i + "._p2p._udp.local.");
      PeerId someone = PeerId.fromPublicKey(Ed25519.generate().publicKey());
      response.addRecord(new PTRRecord(SERVICE, DClass.IN, 120, target), Section.ANSWER);
      response.addRecord(new TXTRecord(target, DClass.IN, 120,
          "dnsaddr=/ip4/10.0.0.1/tcp/" + (1000 + i) + "/p2p/" + someone), Section.ADDITIONAL);
    }
    MdnsMessages.Response decoded = decodeResponse(messages, response.toWire());
    assertThat(decoded.peers()).hasSize(MdnsConfig.DEFAULT_MAX_PEERS_PER_RESPONSE);
    assertThat(decoded.rejected()).containsExactly("5 peers beyond the first 16 of one response");
  }

  @Test
  void otherServicesAreNoConcernOfOurs() throws Exception {
    Name printer = Name.fromString("_ipp._tcp.local.");
    Message response = new Message(0);
    response.getHeader().setFlag(Flags.QR);
    response.addRecord(new PTRRecord(printer, DClass.IN, 120,
        Name.fromString("office._ipp._tcp.local.")), Section.ANSWER);
    MdnsMessages.Response decoded = decodeResponse(messages, response.toWire());
    assertThat(decoded.peers()).isEmpty();
    assertThat(decoded.rejected()).isEmpty();
  }

  @Test
  void cacheFlushAndUnicastBitsAreUnderstood() throws Exception {
    Message query = new Message(0);
    query.addRecord(org.xbill.DNS.Record.newRecord(SERVICE, Type.PTR, DClass.IN | 0x8000),
        Section.QUESTION);
    byte[] wire = query.toWire();
    assertThat(messages.decode(wire, wire.length)).isEqualTo(new MdnsMessages.Query(true, true));

    Name target = Name.fromString("flush._p2p._udp.local.");
    Message response = new Message(0);
    response.getHeader().setFlag(Flags.QR);
    response.addRecord(new PTRRecord(SERVICE, DClass.IN, 120, target), Section.ANSWER);
    response.addRecord(new TXTRecord(target, DClass.IN | 0x8000, 120, "dnsaddr=" + address(9)),
        Section.ADDITIONAL);
    assertThat(decodeResponse(messages, response.toWire()).peers()).hasSize(1);
  }
}
