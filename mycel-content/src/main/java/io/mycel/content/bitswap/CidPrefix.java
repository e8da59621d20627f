package io.mycel.content.bitswap;

import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.varint.Varint;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The CID prefix that precedes a block in Bitswap 1.1.0 and later: CID version, content codec,
 * multihash code and digest length, as four varints. With the block's bytes it gives back the CID,
 * so a block's CID is always computed from its bytes, never taken on trust.
 */
public record CidPrefix(int version, long codec, long hashFunction, int digestLength) {

  /** The prefix of a CIDv0: version 0, dag-pb, sha2-256, 32 bytes. */
  public static final CidPrefix V0 = new CidPrefix(0, Multicodec.DAG_PB, Multicodec.SHA2_256, 32);

  public CidPrefix {
    if (version != 0 && version != 1) {
      throw new IllegalArgumentException("unsupported CID version " + version + " in prefix");
    }
    if (codec < 0 || hashFunction < 0) {
      throw new IllegalArgumentException("negative codec or hash code in prefix");
    }
    if (digestLength < 0 || digestLength > Multihash.MAX_DIGEST_LENGTH) {
      throw new IllegalArgumentException("digest length " + digestLength + " out of range");
    }
    if (version == 0
        && (codec != Multicodec.DAG_PB || hashFunction != Multicodec.SHA2_256 || digestLength != 32)) {
      throw new IllegalArgumentException("a version 0 prefix must be dag-pb, sha2-256, 32 bytes");
    }
  }

  /** The prefix of {@code cid}. */
  public static CidPrefix of(Cid cid) {
    return new CidPrefix(
        cid.version(), cid.codec(), cid.multihash().code(), cid.multihash().digestLength());
  }

  /**
   * Decodes a prefix that fills {@code bytes} exactly.
   *
   * @throws IllegalArgumentException if the bytes are not one valid prefix
   */
  public static CidPrefix fromBytes(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    try {
      long version = Varint.decode(buf);
      long codec = Varint.decode(buf);
      long hash = Varint.decode(buf);
      long length = Varint.decode(buf);
      if (buf.hasRemaining()) {
        throw new IllegalArgumentException(buf.remaining() + " trailing bytes after CID prefix");
      }
      if (version > 1) {
        throw new IllegalArgumentException("unsupported CID version " + version + " in prefix");
      }
      if (length > Multihash.MAX_DIGEST_LENGTH) {
        throw new IllegalArgumentException("digest length " + length + " out of range");
      }
      return new CidPrefix((int) version, codec, hash, (int) length);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated CID prefix");
    }
  }

  public byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8);
    out.writeBytes(Varint.encode(version));
    out.writeBytes(Varint.encode(codec));
    out.writeBytes(Varint.encode(hashFunction));
    out.writeBytes(Varint.encode(digestLength));
    return out.toByteArray();
  }

  /**
   * The CID of {@code data} under this prefix: its bytes hashed with the prefix's hash function.
   *
   * @throws IllegalArgumentException if the hash function is not supported, the digest length
   *     is longer than it produces, or identity-hashed data does not have the stated length
   */
  public Cid cidOf(byte[] data) {
    Multihash multihash;
    if (hashFunction == Multicodec.IDENTITY) {
      if (data.length != digestLength) {
        throw new IllegalArgumentException("identity prefix states " + digestLength
            + " bytes but the block has " + data.length);
      }
      multihash = Multihash.identity(data);
    } else {
      if (!Multihash.isSupported(hashFunction)) {
        throw new IllegalArgumentException(
            "unsupported hash function 0x" + Long.toHexString(hashFunction) + " in prefix");
      }
      byte[] digest = Multihash.digest(hashFunction, data).digest();
      if (digestLength > digest.length) {
        throw new IllegalArgumentException("prefix asks for a " + digestLength
            + "-byte digest of a " + digest.length + "-byte hash");
      }
      multihash = Multihash.of(
          hashFunction, digestLength == digest.length ? digest : Arrays.copyOf(digest, digestLength));
    }
    return version == 0 ? Cid.v0(multihash) : Cid.v1(codec, multihash);
  }
}
