package io.mycel.core.multiaddr;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Multiaddr protocols, with their codes from the
 * <a href="https://github.com/multiformats/multiaddr/blob/master/protocols.csv">protocol
 * table</a>.
 */
public enum Protocol {
  IP4(4, "ip4", 32, ValueCodec.IP4),
  TCP(6, "tcp", 16, ValueCodec.PORT),
  DCCP(33, "dccp", 16, ValueCodec.PORT),
  IP6(41, "ip6", 128, ValueCodec.IP6),
  IP6ZONE(42, "ip6zone", Protocol.LENGTH_PREFIXED, ValueCodec.TEXT),
  IPCIDR(43, "ipcidr", 8, ValueCodec.BYTE),
  DNS(53, "dns", Protocol.LENGTH_PREFIXED, ValueCodec.TEXT),
  DNS4(54, "dns4", Protocol.LENGTH_PREFIXED, ValueCodec.TEXT),
  DNS6(55, "dns6", Protocol.LENGTH_PREFIXED, ValueCodec.TEXT),
  DNSADDR(56, "dnsaddr", Protocol.LENGTH_PREFIXED, ValueCodec.TEXT),
  SCTP(132, "sctp", 16, ValueCodec.PORT),
  UDP(273, "udp", 16, ValueCodec.PORT),
  WEBRTC_DIRECT(280, "webrtc-direct", 0, ValueCodec.NONE),
  WEBRTC(281, "webrtc", 0, ValueCodec.NONE),
  P2P_CIRCUIT(290, "p2p-circuit", 0, ValueCodec.NONE),
  UDT(301, "udt", 0, ValueCodec.NONE),
  UTP(302, "utp", 0, ValueCodec.NONE),
  /** A file system path; in text it takes the whole rest of the address. */
  UNIX(400, "unix", Protocol.LENGTH_PREFIXED, ValueCodec.PATH),
  /** A peer id; {@code /ipfs/} is accepted as an old name when parsing. */
  P2P(421, "p2p", Protocol.LENGTH_PREFIXED, ValueCodec.PEER_ID),
  HTTPS(443, "https", 0, ValueCodec.NONE),
  ONION(444, "onion", 96, ValueCodec.ONION),
  ONION3(445, "onion3", 296, ValueCodec.ONION3),
  TLS(448, "tls", 0, ValueCodec.NONE),
  SNI(449, "sni", Protocol.LENGTH_PREFIXED, ValueCodec.TEXT),
  NOISE(454, "noise", 0, ValueCodec.NONE),
  QUIC(460, "quic", 0, ValueCodec.NONE),
  QUIC_V1(461, "quic-v1", 0, ValueCodec.NONE),
  WEBTRANSPORT(465, "webtransport", 0, ValueCodec.NONE),
  /** A certificate hash: a multihash, written in multibase (base64url when formatting). */
  CERTHASH(466, "certhash", Protocol.LENGTH_PREFIXED, ValueCodec.CERTHASH),
  WS(477, "ws", 0, ValueCodec.NONE),
  WSS(478, "wss", 0, ValueCodec.NONE),
  P2P_WEBSOCKET_STAR(479, "p2p-websocket-star", 0, ValueCodec.NONE),
  HTTP(480, "http", 0, ValueCodec.NONE),
  /** A URL path, percent-escaped in text. */
  HTTP_PATH(481, "http-path", Protocol.LENGTH_PREFIXED, ValueCodec.HTTP_PATH),
  MEMORY(777, "memory", 64, ValueCodec.UINT64);

  /** {@link #sizeBits()} of protocols whose binary value is varint-length-prefixed. */
  public static final int LENGTH_PREFIXED = -1;

  private static final Map<Integer, Protocol> BY_CODE = new HashMap<>();
  private static final Map<String, Protocol> BY_NAME = new HashMap<>();

  static {
    for (Protocol p : values()) {
      BY_CODE.put(p.code, p);
      BY_NAME.put(p.protocolName, p);
    }
    BY_NAME.put("ipfs", P2P);
  }

  private final int code;
  private final String protocolName;
  private final int sizeBits;
  private final ValueCodec codec;

  Protocol(int code, String protocolName, int sizeBits, ValueCodec codec) {
    this.code = code;
    this.protocolName = protocolName;
    this.sizeBits = sizeBits;
    this.codec = codec;
  }

  /** The multicodec code. */
  public int code() {
    return code;
  }

  /** The name used in the text form, such as {@code quic-v1}. */
  public String protocolName() {
    return protocolName;
  }

  /** The value size in bits: 0 for none, {@link #LENGTH_PREFIXED} for variable. */
  public int sizeBits() {
    return sizeBits;
  }

  /** Whether components of this protocol carry a value. */
  public boolean hasValue() {
    return sizeBits != 0;
  }

  ValueCodec codec() {
    return codec;
  }

  /** The protocol with multicodec code {@code code}, if known. */
  public static Optional<Protocol> forCode(long code) {
    return code < 0 || code > Integer.MAX_VALUE
        ? Optional.empty()
        : Optional.ofNullable(BY_CODE.get((int) code));
  }

  /** The protocol with text name {@code name} (including the old name {@code ipfs}). */
  public static Optional<Protocol> forName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }
}
