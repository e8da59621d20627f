package io.mycel.core.multiaddr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.multibase.Multibase;
import io.mycel.core.peer.PeerId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text/binary pairs from the go-multiaddr and rust-multiaddr test suites, plus Mycel's
 * operations and invalid input.
 */
class MultiaddrTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String PEER = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";
  private static final String ED_PEER = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

  @ParameterizedTest
  @CsvSource({
    "/ip4/127.0.0.1/udp/1234, 047f000001910204d2",
    "/ip4/127.0.0.1/tcp/4321, 047f0000010610e1",
    "/ip4/127.0.0.1/udp/1234/ip4/127.0.0.1/tcp/4321, 047f000001910204d2047f0000010610e1",
    "/ip4/159.89.141.29/udp/5491/quic, 049f598d1d91021573cc03",
    "/ip4/127.0.0.1/udp/1234/utp, 047f000001910204d2ae02",
    "/onion/aaimaq4ygg2iegci:80, bc030010c0439831b48218480050",
    "/onion3/vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd:1234, "
        + "bd03adadec040be047f9658668b11a504f3155001f231a37f54c4476c07fb4cc139ed7e30304d2",
    "/ip6/2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095/tcp/8000/wss/p2p/"
        + "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC, "
        + "29200108a07ac542013ac986fffe317095061f40de03a503221220d52ebb89d85b02a284948203a62ff28389c"
        + "57c9f42beec4ec20db76a68911c0b",
    "/ip4/127.0.0.1/tcp/9090/p2p-circuit/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC, "
        + "047f000001062382a202a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a6"
        + "8911c0b",
    "/dnsaddr/sjc-1.bootstrap.libp2p.io, 3819736a632d312e626f6f7473747261702e6c69627032702e696f",
    "/dnsaddr/sjc-1.bootstrap.libp2p.io/tcp/1234/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN, "
        + "3819736a632d312e626f6f7473747261702e6c69627032702e696f0604d2a50322122006b3608aa000274049"
        + "eb28ad8e793a26ff6fab281a7d3bd77cd18eb745dfaabb",
    "/ip6/::1/tcp/0, 2900000000000000000000000000000001060000",
    "/ip4/1.2.3.4/udp/443/quic-v1, 0401020304910201bbcd03",
    "/p2p-circuit, a202",
    "/unix/a/b/c/d/e, 90030a2f612f622f632f642f65",
    "/dns4/example.com/tcp/443/tls/ws, 360b6578616d706c652e636f6d0601bbc003dd03",
    "/memory/42, 8906000000000000002a",
  })
  void convertsBetweenTextAndBinary(String text, String hex) {
    Multiaddr fromText = Multiaddr.parse(text);
    assertThat(HEX.formatHex(fromText.bytes())).isEqualTo(hex);
    Multiaddr fromBytes = Multiaddr.fromBytes(HEX.parseHex(hex));
    assertThat(fromBytes.toString()).isEqualTo(text);
    assertThat(fromBytes).isEqualTo(fromText).hasSameHashCodeAs(fromText);
  }

  @ParameterizedTest
  @CsvSource({
    "/ip6/2001:0db8:0000:0000:0000:0000:0000:0001/tcp/1, /ip6/2001:db8::1/tcp/1",
    "/ip6/2001:DB8:0:0:1:0:0:1, /ip6/2001:db8::1:0:0:1",
    "/ip6/0:0:0:0:0:0:0:0, /ip6/::",
    "/ip6/1::, /ip6/1::",
    "/ip6/1:0:1:1:1:1:1:1, /ip6/1:0:1:1:1:1:1:1",
    "/ip6/::ffff:1.2.3.4, /ip6/::ffff:1.2.3.4",
    "/ip6/::ffff:0102:0304, /ip6/::ffff:1.2.3.4",
    "/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC, /p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
    "/ip4/1.2.3.4/tcp/80/, /ip4/1.2.3.4/tcp/80",
    "/p2p/bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe, "
        + "/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
    "/http-path/a%2Fb%20c, /http-path/a%2Fb%20c",
  })
  void writesCanonicalText(String input, String canonical) {
    assertThat(Multiaddr.parse(input).toString()).isEqualTo(canonical);
    assertThat(Multiaddr.parse(canonical)).isEqualTo(Multiaddr.parse(input));
  }

  @Test
  void certhashIsWrittenInBase64Url() {
    String certhash = "uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g";
    Multiaddr addr = Multiaddr.parse("/ip4/1.2.3.4/udp/443/quic-v1/webtransport/certhash/"
        + certhash);
    assertThat(addr.valueOf(Protocol.CERTHASH)).contains(certhash);
    String base32 = "b" + Multibase.BASE32.encodeBare(
        Multibase.decode(certhash));
    Multiaddr same = Multiaddr.parse("/ip4/1.2.3.4/udp/443/quic-v1/webtransport/certhash/"
        + base32);
    assertThat(same).isEqualTo(addr);
  }

  @Test
  void peerIdOperations() {
    PeerId peer = PeerId.parse(ED_PEER);
    Multiaddr base = Multiaddr.parse("/ip4/1.2.3.4/tcp/4001");
    Multiaddr withPeer = base.withPeerId(peer);
    assertThat(withPeer.toString()).isEqualTo("/ip4/1.2.3.4/tcp/4001/p2p/" + ED_PEER);
    assertThat(withPeer.peerId()).contains(peer);
    assertThat(withPeer.withPeerId(peer)).isSameAs(withPeer);
    assertThat(withPeer.withoutPeerId()).isEqualTo(base);
    assertThat(base.peerId()).isEmpty();
    assertThat(base.withoutPeerId()).isSameAs(base);
    assertThatThrownBy(() -> withPeer.withPeerId(PeerId.parse(PEER)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void relayAddressPeerIdIsTheLastComponent() {
    Multiaddr relayed = Multiaddr.parse(
        "/ip4/1.2.3.4/tcp/4001/p2p/" + PEER + "/p2p-circuit/p2p/" + ED_PEER);
    assertThat(relayed.peerId()).contains(PeerId.parse(ED_PEER));
    Multiaddr relayOnly = Multiaddr.parse("/ip4/1.2.3.4/tcp/4001/p2p/" + PEER + "/p2p-circuit");
    assertThat(relayOnly.peerId()).isEmpty();
    assertThat(relayed.decapsulate(Protocol.P2P_CIRCUIT).toString())
        .isEqualTo("/ip4/1.2.3.4/tcp/4001/p2p/" + PEER);
  }

  @Test
  void encapsulateAndDecapsulate() {
    Multiaddr a = Multiaddr.parse("/ip4/1.2.3.4/tcp/80");
    Multiaddr ws = Multiaddr.parse("/ws");
    Multiaddr both = a.encapsulate(ws);
    assertThat(both.toString()).isEqualTo("/ip4/1.2.3.4/tcp/80/ws");
    assertThat(both.decapsulate(ws)).isEqualTo(a);
    assertThat(both.decapsulate(Multiaddr.parse("/tcp/80")).toString()).isEqualTo("/ip4/1.2.3.4");
    assertThat(both.decapsulate(Multiaddr.parse("/udp/80"))).isSameAs(both);
    assertThat(a.encapsulate("/p2p-circuit").components()).hasSize(3);
  }

  @Test
  void valueOfFindsTheFirstComponent() {
    Multiaddr a = Multiaddr.parse("/dns4/example.com/tcp/443/wss");
    assertThat(a.valueOf(Protocol.DNS4)).contains("example.com");
    assertThat(a.valueOf(Protocol.TCP)).contains("443");
    assertThat(a.valueOf(Protocol.WSS)).contains("");
    assertThat(a.valueOf(Protocol.UDP)).isEmpty();
    assertThat(a.has(Protocol.WSS)).isTrue();
  }

  @Test
  void socketAddressRoundTrips() throws Exception {
    InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 4001);
    assertThat(Multiaddr.fromSocketAddress(v4).toString()).isEqualTo("/ip4/10.0.0.1/tcp/4001");
    assertThat(Multiaddr.fromSocketAddress(v4).toSocketAddress()).isEqualTo(v4);
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 5);
    assertThat(Multiaddr.fromSocketAddress(v6, Protocol.UDP).toString()).isEqualTo("/ip6/::1/udp/5");
    assertThat(Multiaddr.parse("/ip6/::1/tcp/5").toSocketAddress()).isEqualTo(v6);
  }

  @Test
  void dnsSocketAddressStaysUnresolved() {
    InetSocketAddress addr = Multiaddr.parse("/dns/example.com/tcp/443").toSocketAddress();
    assertThat(addr.isUnresolved()).isTrue();
    assertThat(addr.getHostString()).isEqualTo("example.com");
    assertThat(addr.getPort()).isEqualTo(443);
    InetSocketAddress unresolved = InetSocketAddress.createUnresolved("node.example", 7);
    assertThat(Multiaddr.fromSocketAddress(unresolved).toString()).isEqualTo("/dns/node.example/tcp/7");
  }

  @Test
  void noSocketAddressWithoutPort() {
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4").toSocketAddress())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void componentsAreExposed() {
    Multiaddr a = Multiaddr.parse("/ip4/1.2.3.4/tcp/80");
    assertThat(a.components()).extracting(Multiaddr.Component::protocol)
        .containsExactly(Protocol.IP4, Protocol.TCP);
    assertThat(a.components().get(1).valueText()).isEqualTo("80");
    assertThat(a.components().get(1).value()).isEqualTo(new byte[] {0, 80});
    assertThat(Multiaddr.of(a.components())).isEqualTo(a);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "",
    "/",
    "ip4/1.2.3.4",
    "/ip4",
    "/ip4/1.2.3",
    "/ip4/1.2.3.256",
    "/ip4/01.2.3.4",
    "/ip4/1.2.3.4.5",
    "/ip4/a.b.c.d",
    "/ip6/1:2:3:4:5:6:7:8:9",
    "/ip6/1::2::3",
    "/ip6/:::",
    "/ip6/12345::",
    "/ip6/fe80::1%eth0",
    "/ip6/1:2:3:4:5:6:7:",
    "/tcp/65536",
    "/tcp/-1",
    "/tcp/+80",
    "/tcp/0x50",
    "/udp",
    "/notaprotocol/1",
    "/ip4/1.2.3.4//tcp/80",
    "/p2p/notapeerid",
    "/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNK0",
    "/onion/aaimaq4ygg2iegci",
    "/onion/aaimaq4ygg2iegci:0",
    "/onion/aaimaq4ygg2ieg:80",
    "/certhash/zzzz",
    "/certhash/uAAAA",
    "/unix",
    "/http-path/%zz",
    "/http-path/%4",
    "/memory/18446744073709551616",
    "/ipcidr/256",
  })
  void rejectsInvalidText(String text) {
    assertThatThrownBy(() -> Multiaddr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsUnknownProtocolNameWithClearMessage() {
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/foo/1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown protocol");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "",
    "04",
    "047f0000",
    "047f0000010610",
    "0604",
    "ff",
    "e703",
    "a50322",
    "a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c",
    "a5030401020304",
    "3800",
    "38052f2f2f2f2f",
    "3802c328",
    "0480",
    "8400",
    "bc03000000000000000000000000",
    "d2030100",
  })
  void rejectsInvalidBinary(String hex) {
    assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex(hex)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsUnknownProtocolCode() {
    assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex("e70300")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown multiaddr protocol code");
  }

  @Test
  void rejectsTruncatedBinary() {
    assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex("047f000001060f")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void rejectsOversizedBinary() {
    byte[] big = new byte[Multiaddr.MAX_LENGTH + 1];
    assertThatThrownBy(() -> Multiaddr.fromBytes(big))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds");
  }

  @Test
  void rejectsOversizedText() {
    String text = "/dns/" + "a".repeat(Multiaddr.MAX_LENGTH);
    assertThatThrownBy(() -> Multiaddr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
