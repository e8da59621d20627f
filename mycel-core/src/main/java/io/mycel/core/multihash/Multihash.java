package io.mycel.core.multihash;

import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.varint.Varint;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A self-describing hash: {@code <varint hash code><varint digest length><digest>}.
 *
 * <p>See the <a href="https://github.com/multiformats/multihash">multihash spec</a>. Immutable;
 * equal when the encoded bytes are equal.
 */
public final class Multihash {

  /** Largest digest accepted when decoding (identity multihashes inline small data). */
  public static final int MAX_DIGEST_LENGTH = 4096;

  private final long code;
  private final byte[] digest;
  private final byte[] bytes;

  private Multihash(long code, byte[] digest) {
    if (code < 0) {
      throw new IllegalArgumentException("negative multihash code");
    }
    if (digest.length > MAX_DIGEST_LENGTH) {
      throw new IllegalArgumentException(
          "multihash digest of " + digest.length + " bytes exceeds " + MAX_DIGEST_LENGTH);
    }
    int full = fullDigestLength(code);
    if (full >= 0 && digest.length > full) {
      throw new IllegalArgumentException("digest of " + digest.length
          + " bytes is longer than the " + full + " bytes of hash 0x" + Long.toHexString(code));
    }
    this.code = code;
    this.digest = digest.clone();
    ByteBuffer buf = ByteBuffer.allocate(
        Varint.encodedLength(code) + Varint.encodedLength(digest.length) + digest.length);
    buf.put(Varint.encode(code)).put(Varint.encode(digest.length)).put(digest);
    this.bytes = buf.array();
  }

  /**
   * A multihash with the given code and (possibly truncated) digest.
   *
   * @throws IllegalArgumentException if the digest is longer than the hash function produces
   */
  public static Multihash of(long code, byte[] digest) {
    return new Multihash(code, digest);
  }

  /** The SHA2-256 multihash of {@code data}. */
  public static Multihash sha2_256(byte[] data) {
    return digest(Multicodec.SHA2_256, data);
  }

  /** The identity multihash that carries {@code data} itself. */
  public static Multihash identity(byte[] data) {
    return new Multihash(Multicodec.IDENTITY, data);
  }

  /**
   * Hashes {@code data} with the hash function {@code code}.
   *
   * @throws UnsupportedOperationException if the hash function is not supported
   */
  public static Multihash digest(long code, byte[] data) {
    if (code == Multicodec.IDENTITY) {
      return identity(data);
    }
    return new Multihash(code, messageDigest(code).digest(data));
  }

  /** Whether the hash code names a function {@link #digest(long, byte[])} can compute. */
  public static boolean isSupported(long code) {
    return code == Multicodec.IDENTITY || algorithm(code) != null;
  }

  /**
   * Decodes a multihash that fills {@code bytes} exactly.
   *
   * @throws IllegalArgumentException if the bytes are not exactly one valid multihash
   */
  public static Multihash fromBytes(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    Multihash mh = read(buf);
    if (buf.hasRemaining()) {
      throw new IllegalArgumentException(
          "multihash declares " + mh.digest.length + " digest bytes but has "
              + (mh.digest.length + buf.remaining()));
    }
    return mh;
  }

  /**
   * Reads one multihash from {@code buf}, advancing its position past it.
   *
   * @throws IllegalArgumentException if the multihash is truncated or invalid
   */
  public static Multihash read(ByteBuffer buf) {
    try {
      long code = Varint.decode(buf);
      long length = Varint.decode(buf);
      if (length > MAX_DIGEST_LENGTH) {
        throw new IllegalArgumentException(
            "multihash digest length " + length + " exceeds " + MAX_DIGEST_LENGTH);
      }
      if (length > buf.remaining()) {
        throw new IllegalArgumentException("multihash declares " + length
            + " digest bytes but only " + buf.remaining() + " remain");
      }
      byte[] digest = new byte[(int) length];
      buf.get(digest);
      return new Multihash(code, digest);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated multihash");
    }
  }

  /** The hash function code. */
  public long code() {
    return code;
  }

  /** A copy of the digest. */
  public byte[] digest() {
    return digest.clone();
  }

  /** The digest length in bytes. */
  public int digestLength() {
    return digest.length;
  }

  /** A copy of the encoded multihash. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * Whether {@code data} hashes to this multihash (compared over this digest's length, since
   * digests may be truncated).
   *
   * @throws UnsupportedOperationException if the hash function is not supported
   */
  public boolean matches(byte[] data) {
    if (code == Multicodec.IDENTITY) {
      return MessageDigest.isEqual(digest, data);
    }
    byte[] actual = messageDigest(code).digest(data);
    return MessageDigest.isEqual(digest, Arrays.copyOf(actual, digest.length));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multihash other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The encoded multihash in lower-case hex. */
  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }

  private static int fullDigestLength(long code) {
    if (code == Multicodec.SHA1) {
      return 20;
    } else if (code == Multicodec.SHA2_256 || code == Multicodec.SHA3_256) {
      return 32;
    } else if (code == Multicodec.SHA2_512 || code == Multicodec.SHA3_512) {
      return 64;
    } else if (code == Multicodec.SHA3_384) {
      return 48;
    } else if (code == Multicodec.SHA3_224) {
      return 28;
    }
    return -1;
  }

  private static String algorithm(long code) {
    if (code == Multicodec.SHA1) {
      return "SHA-1";
    } else if (code == Multicodec.SHA2_256) {
      return "SHA-256";
    } else if (code == Multicodec.SHA2_512) {
      return "SHA-512";
    } else if (code == Multicodec.SHA3_224) {
      return "SHA3-224";
    } else if (code == Multicodec.SHA3_256) {
      return "SHA3-256";
    } else if (code == Multicodec.SHA3_384) {
      return "SHA3-384";
    } else if (code == Multicodec.SHA3_512) {
      return "SHA3-512";
    }
    return null;
  }

  private static MessageDigest messageDigest(long code) {
    String algorithm = algorithm(code);
    if (algorithm == null) {
      throw new UnsupportedOperationException(
          "unsupported multihash function 0x" + Long.toHexString(code));
    }
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK lacks " + algorithm, e);
    }
  }
}
