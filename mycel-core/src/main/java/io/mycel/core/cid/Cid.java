package io.mycel.core.cid;

import io.mycel.core.multibase.Multibase;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.varint.Varint;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A content identifier, version 0 or 1.
 *
 * <p>See the <a href="https://github.com/multiformats/cid">CID spec</a>. A CIDv0 is a bare
 * SHA2-256 multihash of a dag-pb block, written in base58btc without a multibase prefix. A
 * CIDv1 is {@code <varint 1><varint codec><multihash>}, written in multibase (base32 lower case
 * by default). Immutable; equal when the binary forms are equal.
 */
public final class Cid implements Comparable<Cid> {

  private static final int V0_TEXT_LENGTH = 46;
  private static final int V0_BYTES_LENGTH = 34;

  private final int version;
  private final long codec;
  private final Multihash multihash;
  private final byte[] bytes;

  private Cid(int version, long codec, Multihash multihash) {
    this.version = version;
    this.codec = codec;
    this.multihash = multihash;
    if (version == 0) {
      this.bytes = multihash.bytes();
    } else {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(Varint.encode(1));
      out.writeBytes(Varint.encode(codec));
      out.writeBytes(multihash.bytes());
      this.bytes = out.toByteArray();
    }
  }

  /**
   * A CIDv0 of a dag-pb block.
   *
   * @throws IllegalArgumentException unless the multihash is a full SHA2-256 digest
   */
  public static Cid v0(Multihash multihash) {
    if (multihash.code() != Multicodec.SHA2_256 || multihash.digestLength() != 32) {
      throw new IllegalArgumentException("CIDv0 requires a 32-byte sha2-256 multihash");
    }
    return new Cid(0, Multicodec.DAG_PB, multihash);
  }

  /** A CIDv1 with content codec {@code codec} (see {@link Multicodec}). */
  public static Cid v1(long codec, Multihash multihash) {
    if (codec < 0) {
      throw new IllegalArgumentException("negative codec");
    }
    return new Cid(1, codec, multihash);
  }

  /**
   * Parses the text form: a 46-character base58btc CIDv0 starting with {@code Qm}, or a
   * multibase-encoded CIDv1.
   *
   * @throws IllegalArgumentException if the text is not a valid CID
   */
  public static Cid parse(String text) {
    if (text.length() == V0_TEXT_LENGTH && text.startsWith("Qm")) {
      return fromBytes(Multibase.BASE58_BTC.decodeBare(text));
    }
    byte[] data = Multibase.decode(text);
    if (data.length > 0 && data[0] == Multicodec.SHA2_256) {
      throw new IllegalArgumentException("a CIDv0 may not be multibase-encoded");
    }
    return fromBytes(data);
  }

  /**
   * Decodes the binary form, which must fill {@code bytes} exactly.
   *
   * @throws IllegalArgumentException if the bytes are not exactly one valid CID
   */
  public static Cid fromBytes(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    Cid cid = read(buf);
    if (buf.hasRemaining()) {
      throw new IllegalArgumentException(buf.remaining() + " trailing bytes after CID");
    }
    return cid;
  }

  /**
   * Reads one binary CID from {@code buf}, advancing its position past it (CAR files and
   * protocol messages put CIDs back to back).
   *
   * @throws IllegalArgumentException if the CID is truncated or invalid
   */
  public static Cid read(ByteBuffer buf) {
    if (buf.remaining() >= 2 && buf.get(buf.position()) == 0x12
        && buf.get(buf.position() + 1) == 0x20) {
      if (buf.remaining() < V0_BYTES_LENGTH) {
        throw new IllegalArgumentException("truncated CIDv0");
      }
      byte[] v0 = new byte[V0_BYTES_LENGTH];
      buf.get(v0);
      return v0(Multihash.fromBytes(v0));
    }
    long version;
    long codec;
    try {
      version = Varint.decode(buf);
      if (version != 1) {
        throw new IllegalArgumentException("unsupported CID version " + version);
      }
      codec = Varint.decode(buf);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated CID");
    }
    return v1(codec, Multihash.read(buf));
  }

  public int version() {
    return version;
  }

  /** The content codec; {@link Multicodec#DAG_PB} for a CIDv0. */
  public long codec() {
    return codec;
  }

  public Multihash multihash() {
    return multihash;
  }

  /** A copy of the binary form. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** This CID as version 1 (itself when already version 1). */
  public Cid toV1() {
    return version == 1 ? this : v1(codec, multihash);
  }

  /**
   * This CID as version 0.
   *
   * @throws IllegalStateException unless it is dag-pb with a full SHA2-256 multihash
   */
  public Cid toV0() {
    if (version == 0) {
      return this;
    }
    if (codec != Multicodec.DAG_PB || multihash.code() != Multicodec.SHA2_256
        || multihash.digestLength() != 32) {
      throw new IllegalStateException("only dag-pb sha2-256 CIDs have a version 0 form");
    }
    return v0(multihash);
  }

  /**
   * The text form in {@code base}.
   *
   * @throws IllegalArgumentException for a CIDv0 in any base but base58btc
   */
  public String toString(Multibase base) {
    if (version == 0) {
      if (base != Multibase.BASE58_BTC) {
        throw new IllegalArgumentException("a CIDv0 is only written in base58btc");
      }
      return Multibase.BASE58_BTC.encodeBare(bytes);
    }
    return Multibase.encode(base, bytes);
  }

  /** The canonical text form: base58btc for a CIDv0, base32 lower case for a CIDv1. */
  @Override
  public String toString() {
    return toString(version == 0 ? Multibase.BASE58_BTC : Multibase.BASE32);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cid other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Orders by binary form, unsigned byte by byte. */
  @Override
  public int compareTo(Cid other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }
}
