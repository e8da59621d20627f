package io.mycel.routing.ipns;

import io.mycel.core.multibase.Multibase;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPNS name: the peer id (multihash of the public key) that signs its records.
 *
 * <p>Text forms: {@code /ipns/<id>} or a bare {@code <id>}, where the id is a CIDv1 with codec
 * libp2p-key in any multibase (canonically base36, {@code k51...}) or a base58btc multihash
 * ({@code 12D3Koo...}, {@code Qm...}). The DHT routing key is the bytes {@code /ipns/}
 * followed by the binary multihash.
 *
 * @see <a href="https://specs.ipfs.tech/ipns/ipns-record/#ipns-name">IPNS name</a>
 */
public record IpnsName(PeerId peerId) {

  /** The path prefix of names and routing keys. */
  public static final String PREFIX = "/ipns/";

  private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

  public IpnsName {
    Objects.requireNonNull(peerId, "peerId");
  }

  /**
   * Parses {@code /ipns/<id>} or a bare {@code <id>}.
   *
   * @throws IllegalArgumentException if the text is not an IPNS name
   */
  public static IpnsName parse(String text) {
    Objects.requireNonNull(text, "text");
    String id = text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : text;
    if (id.isEmpty() || id.indexOf('/') >= 0) {
      throw new IllegalArgumentException("not an IPNS name: '" + text + "'");
    }
    try {
      return new IpnsName(PeerId.parse(id));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an IPNS name: '" + text + "': " + e.getMessage(), e);
    }
  }

  /**
   * Reads a DHT routing key, {@code /ipns/} followed by the multihash bytes.
   *
   * @throws IllegalArgumentException if the key is not an IPNS routing key
   */
  public static IpnsName fromRoutingKey(byte[] key) {
    if (key.length <= PREFIX_BYTES.length
        || !Arrays.equals(key, 0, PREFIX_BYTES.length, PREFIX_BYTES, 0, PREFIX_BYTES.length)) {
      throw new IllegalArgumentException("routing key does not start with " + PREFIX);
    }
    return new IpnsName(
        PeerId.fromBytes(Arrays.copyOfRange(key, PREFIX_BYTES.length, key.length)));
  }

  /** The DHT routing key: {@code /ipns/} followed by the multihash bytes. */
  public byte[] routingKey() {
    byte[] mh = peerId.bytes();
    byte[] key = Arrays.copyOf(PREFIX_BYTES, PREFIX_BYTES.length + mh.length);
    System.arraycopy(mh, 0, key, PREFIX_BYTES.length, mh.length);
    return key;
  }

  public Multihash multihash() {
    return peerId.multihash();
  }

  /** The canonical text id: CIDv1 libp2p-key in base36 ({@code k51...}). */
  public String toBase36() {
    return peerId.toCid().toString(Multibase.BASE36);
  }

  /** The legacy text id: base58btc multihash ({@code 12D3Koo...} or {@code Qm...}). */
  public String toBase58() {
    return peerId.toBase58();
  }

  /** {@code /ipns/} followed by the base36 id. */
  @Override
  public String toString() {
    return PREFIX + toBase36();
  }
}
