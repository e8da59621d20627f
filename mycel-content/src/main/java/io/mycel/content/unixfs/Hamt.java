package io.mycel.content.unixfs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * The hashing and naming rules of UnixFS HAMT-sharded directories.
 *
 * <p>See <a href="https://specs.ipfs.tech/unixfs/#hamt-structure-and-parameters">HAMT structure
 * and parameters</a>. A name's hash is the first 64 bits of murmur3-x64-128 (seed 0), read
 * most significant bit first, {@code log2(fanout)} bits per level. When a name's 64 bits are
 * used up, the next 64 come from hashing the name followed by one byte holding the round number
 * (1, 2, ...). A link's name is the bucket index in upper-case hex, zero-padded to the width of
 * {@code fanout - 1}, followed by the entry's name (nothing for a sub-shard).
 */
final class Hamt {
  /** Multicodec of murmur3-x64-64, the only HAMT hash function UnixFS defines. */
  static final long HASH_MURMUR3_X64_64 = 0x22;
  /** The fanout importers write. */
  static final int DEFAULT_FANOUT = 256;
  /** Deeper than any real shard can be; bounds walks over hostile data. */
  static final int MAX_DEPTH = 64;

  private Hamt() {}

  /** The bits per level of a fanout, which must be a power of two from 2 to 1024. */
  static int bitsOf(long fanout) {
    if (fanout < 2 || fanout > 1024 || Long.bitCount(fanout) != 1) {
      throw new UnixfsFormatException("HAMT fanout " + fanout
          + " is not a power of two between 2 and 1024");
    }
    return Long.numberOfTrailingZeros(fanout);
  }

  /** The hex width of bucket labels for a fanout. */
  static int padLength(long fanout) {
    return Long.toHexString(fanout - 1).length();
  }

  static String label(int index, int padLength) {
    String hex = Integer.toHexString(index).toUpperCase(java.util.Locale.ROOT);
    return "0".repeat(Math.max(0, padLength - hex.length())) + hex;
  }

  /** The successive bucket indexes of one name, level by level. */
  static final class HashBits {
    private final byte[] name;
    private final int bits;
    private long current;
    private int availableBits;
    private int round;

    HashBits(String name, int bits) {
      this(name.getBytes(StandardCharsets.UTF_8), bits);
    }

    HashBits(byte[] name, int bits) {
      this.name = name;
      this.bits = bits;
      this.round = -1;
    }

    /** The index at the next level. */
    int next() {
      int result = 0;
      int pending = bits;
      while (pending > 0) {
        if (availableBits == 0) {
          refill();
        }
        int taking = Math.min(pending, availableBits);
        int shift = availableBits - taking;
        int value = (int) ((current >>> shift) & ((1L << taking) - 1));
        result = (result << taking) | value;
        availableBits -= taking;
        pending -= taking;
      }
      return result;
    }

    private void refill() {
      round++;
      byte[] input = name;
      if (round > 0) {
        input = Arrays.copyOf(name, name.length + 1);
        input[name.length] = (byte) round;
      }
      current = MurmurHash3.hash128x64(input)[0];
      availableBits = 64;
    }
  }

  /**
   * The bitfield of occupied buckets: big-endian, bit {@code i} for bucket {@code i}, without
   * leading zero bytes (at least one byte).
   */
  static byte[] bitfield(boolean[] occupied) {
    int highest = -1;
    for (int i = occupied.length - 1; i >= 0; i--) {
      if (occupied[i]) {
        highest = i;
        break;
      }
    }
    int length = highest < 0 ? 1 : highest / 8 + 1;
    byte[] out = new byte[length];
    for (int i = 0; i <= highest; i++) {
      if (occupied[i]) {
        out[length - 1 - i / 8] |= (byte) (1 << (i % 8));
      }
    }
    return out;
  }
}
