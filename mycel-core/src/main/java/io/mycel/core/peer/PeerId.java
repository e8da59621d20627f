package io.mycel.core.peer;

import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.Keys;
import io.mycel.core.crypto.PublicKey;
import io.mycel.core.multibase.Multibase;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.util.Arrays;
import java.util.Optional;

/**
 * A libp2p peer identity: the multihash of the peer's protobuf-encoded public key.
 *
 * <p>See the <a href="https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md#peer-ids">
 * peer-ids spec</a>: keys whose encoding is at most {@value #MAX_INLINE_KEY_LENGTH} bytes are
 * inlined with the identity multihash, larger ones are hashed with SHA2-256. The text form is
 * base58btc of the multihash; the CIDv1 form (codec libp2p-key) is also accepted when parsing.
 * Immutable; equal when the multihash bytes are equal.
 */
public final class PeerId implements Comparable<PeerId> {

  /** Longest encoded public key that is inlined rather than hashed. */
  public static final int MAX_INLINE_KEY_LENGTH = 42;

  private final byte[] bytes;
  private final Multihash multihash;

  private PeerId(Multihash multihash) {
    this.multihash = multihash;
    this.bytes = multihash.bytes();
  }

  /** The peer id of {@code key}. */
  public static PeerId fromPublicKey(PublicKey key) {
    byte[] encoded = key.marshal();
    return new PeerId(encoded.length <= MAX_INLINE_KEY_LENGTH
        ? Multihash.identity(encoded)
        : Multihash.sha2_256(encoded));
  }

  /**
   * The peer id with the given multihash bytes.
   *
   * @throws IllegalArgumentException unless the bytes are a full SHA2-256 multihash, or an
   *     identity multihash of at most {@value #MAX_INLINE_KEY_LENGTH} bytes holding a valid
   *     public key
   */
  public static PeerId fromBytes(byte[] multihash) {
    Multihash mh = Multihash.fromBytes(multihash);
    if (mh.code() == Multicodec.SHA2_256) {
      if (mh.digestLength() != 32) {
        throw new IllegalArgumentException("peer id sha2-256 digest must be 32 bytes");
      }
    } else if (mh.code() == Multicodec.IDENTITY) {
      if (mh.digestLength() > MAX_INLINE_KEY_LENGTH) {
        throw new IllegalArgumentException("inlined peer id key longer than "
            + MAX_INLINE_KEY_LENGTH + " bytes");
      }
      Keys.unmarshalPublicKey(mh.digest());
    } else {
      throw new IllegalArgumentException(
          "peer id multihash must be identity or sha2-256, not 0x" + Long.toHexString(mh.code()));
    }
    return new PeerId(mh);
  }

  /**
   * Parses a peer id: a base58btc multihash ({@code Qm...} or {@code 1...}), or a multibase CIDv1
   * with codec libp2p-key.
   *
   * @throws IllegalArgumentException if the text is not a valid peer id
   */
  public static PeerId parse(String text) {
    if (text.startsWith("Qm") || text.startsWith("1")) {
      return fromBytes(Multibase.BASE58_BTC.decodeBare(text));
    }
    Cid cid;
    try {
      cid = Cid.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a peer id: " + e.getMessage(), e);
    }
    if (cid.version() != 1 || cid.codec() != Multicodec.LIBP2P_KEY) {
      throw new IllegalArgumentException("CID is not a libp2p-key CIDv1");
    }
    return fromBytes(cid.multihash().bytes());
  }

  /** A copy of the multihash bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public Multihash multihash() {
    return multihash;
  }

  public String toBase58() {
    return Multibase.BASE58_BTC.encodeBare(bytes);
  }

  /** The CIDv1 form, codec libp2p-key. */
  public Cid toCid() {
    return Cid.v1(Multicodec.LIBP2P_KEY, multihash);
  }

  /** The public key, when it is inlined (identity multihash). */
  public Optional<PublicKey> extractPublicKey() {
    if (multihash.code() != Multicodec.IDENTITY) {
      return Optional.empty();
    }
    return Optional.of(Keys.unmarshalPublicKey(multihash.digest()));
  }

  /** Whether this is the peer id of {@code key}. */
  public boolean matches(PublicKey key) {
    return equals(fromPublicKey(key));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Orders by multihash bytes, unsigned byte by byte. */
  @Override
  public int compareTo(PeerId other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  /** The base58btc form. */
  @Override
  public String toString() {
    return toBase58();
  }
}
