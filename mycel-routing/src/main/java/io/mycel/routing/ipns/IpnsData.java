package io.mycel.routing.ipns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The signed DAG-CBOR {@code data} map of an IPNS record.
 *
 * <p>Encoding is canonical DAG-CBOR: the map keys are written sorted by length, then bytewise,
 * and every length and integer uses its shortest form. The writer and reader are hand-written
 * for this fixed five-key map rather than delegated to a general CBOR library, because a
 * signature covers these exact bytes: the key order, the minimal integer widths and the strict
 * rejection of indefinite lengths, duplicate keys and trailing bytes must hold by construction.
 *
 * <p>Decoding accepts keys in any order and skips unknown keys (with their values), as the
 * spec allows future fields.
 *
 * @param value the content path bytes ({@code Value})
 * @param validity the RFC 3339 end-of-life bytes ({@code Validity})
 * @param validityType {@code ValidityType}; 0 is EOL
 * @param sequence {@code Sequence}, an unsigned 64-bit integer
 * @param ttl {@code TTL} in nanoseconds, an unsigned 64-bit integer
 * @see <a href="https://specs.ipfs.tech/ipns/ipns-record/#record-serialization-format">IPNS
 *     record serialization format</a>
 */
record IpnsData(byte[] value, byte[] validity, long validityType, long sequence, long ttl) {

  static final String KEY_VALUE = "Value";
  static final String KEY_VALIDITY = "Validity";
  static final String KEY_VALIDITY_TYPE = "ValidityType";
  static final String KEY_SEQUENCE = "Sequence";
  static final String KEY_TTL = "TTL";

  /** Nesting depth allowed when skipping unknown values. */
  static final int MAX_SKIP_DEPTH = 16;

  private static final int MAJOR_UINT = 0;
  private static final int MAJOR_NEGINT = 1;
  private static final int MAJOR_BYTES = 2;
  private static final int MAJOR_TEXT = 3;
  private static final int MAJOR_ARRAY = 4;
  private static final int MAJOR_MAP = 5;
  private static final int MAJOR_TAG = 6;
  private static final int MAJOR_SIMPLE = 7;

  IpnsData {
    value = value.clone();
    validity = validity.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public byte[] validity() {
    return validity.clone();
  }

  /** The canonical DAG-CBOR encoding. */
  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + value.length + validity.length);
    writeHeader(out, MAJOR_MAP, 5);
    // Keys in DAG-CBOR order: length first, then bytewise.
    writeText(out, KEY_TTL);
    writeHeader(out, MAJOR_UINT, ttl);
    writeText(out, KEY_VALUE);
    writeBytes(out, value);
    writeText(out, KEY_SEQUENCE);
    writeHeader(out, MAJOR_UINT, sequence);
    writeText(out, KEY_VALIDITY);
    writeBytes(out, validity);
    writeText(out, KEY_VALIDITY_TYPE);
    writeHeader(out, MAJOR_UINT, validityType);
    return out.toByteArray();
  }

  /**
   * Decodes a {@code data} map.
   *
   * @throws IllegalArgumentException naming the fault when the bytes are not a DAG-CBOR map
   *     with the five required fields of the right types
   */
  static IpnsData decode(byte[] cbor) {
    Reader r = new Reader(cbor);
    int initial = r.readByte();
    if (initial >>> 5 != MAJOR_MAP) {
      throw new IllegalArgumentException("data is not a CBOR map");
    }
    long entries = r.readArgument(initial);
    byte[] value = null;
    byte[] validity = null;
    Long validityType = null;
    Long sequence = null;
    Long ttl = null;
    Set<String> seen = new HashSet<>();
    for (long i = 0; i < entries; i++) {
      int keyInitial = r.readByte();
      if (keyInitial >>> 5 != MAJOR_TEXT) {
        throw new IllegalArgumentException("data map key is not a text string");
      }
      String key = new String(r.readBytes(r.readArgument(keyInitial)), StandardCharsets.UTF_8);
      if (!seen.add(key)) {
        throw new IllegalArgumentException("data map has duplicate key " + key);
      }
      switch (key) {
        case KEY_VALUE -> value = r.readByteString(key);
        case KEY_VALIDITY -> validity = r.readByteString(key);
        case KEY_VALIDITY_TYPE -> validityType = r.readUnsigned(key);
        case KEY_SEQUENCE -> sequence = r.readUnsigned(key);
        case KEY_TTL -> ttl = r.readUnsigned(key);
        default -> r.skipValue(0);
      }
    }
    if (r.pos != cbor.length) {
      throw new IllegalArgumentException(
          "data has " + (cbor.length - r.pos) + " trailing bytes after the map");
    }
    requirePresent(value, KEY_VALUE);
    requirePresent(validity, KEY_VALIDITY);
    requirePresent(validityType, KEY_VALIDITY_TYPE);
    requirePresent(sequence, KEY_SEQUENCE);
    requirePresent(ttl, KEY_TTL);
    return new IpnsData(value, validity, validityType, sequence, ttl);
  }

  private static void requirePresent(Object field, String key) {
    if (field == null) {
      throw new IllegalArgumentException("data map lacks " + key);
    }
  }

  private static void writeText(ByteArrayOutputStream out, String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    writeHeader(out, MAJOR_TEXT, utf8.length);
    out.writeBytes(utf8);
  }

  private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
    writeHeader(out, MAJOR_BYTES, bytes.length);
    out.writeBytes(bytes);
  }

  /** Writes a head with the argument in its shortest form ({@code argument} is unsigned). */
  private static void writeHeader(ByteArrayOutputStream out, int major, long argument) {
    int m = major << 5;
    if (Long.compareUnsigned(argument, 24) < 0) {
      out.write(m | (int) argument);
    } else if (Long.compareUnsigned(argument, 0xFFL) <= 0) {
      out.write(m | 24);
      out.write((int) argument);
    } else if (Long.compareUnsigned(argument, 0xFFFFL) <= 0) {
      out.write(m | 25);
      writeBigEndian(out, argument, 2);
    } else if (Long.compareUnsigned(argument, 0xFFFF_FFFFL) <= 0) {
      out.write(m | 26);
      writeBigEndian(out, argument, 4);
    } else {
      out.write(m | 27);
      writeBigEndian(out, argument, 8);
    }
  }

  private static void writeBigEndian(ByteArrayOutputStream out, long v, int width) {
    for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift) & 0xFF);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpnsData d
        && Arrays.equals(value, d.value)
        && Arrays.equals(validity, d.validity)
        && validityType == d.validityType
        && sequence == d.sequence
        && ttl == d.ttl;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(value) + Long.hashCode(sequence);
  }

  @Override
  public String toString() {
    return "IpnsData[value=" + new String(value, StandardCharsets.UTF_8)
        + ", validity=" + new String(validity, StandardCharsets.US_ASCII)
        + ", validityType=" + validityType
        + ", sequence=" + Long.toUnsignedString(sequence)
        + ", ttl=" + Long.toUnsignedString(ttl) + "]";
  }

  private static final class Reader {
    private final byte[] buf;
    private int pos;

    Reader(byte[] buf) {
      this.buf = buf;
    }

    int readByte() {
      if (pos >= buf.length) {
        throw new IllegalArgumentException("data ends inside a CBOR item");
      }
      return buf[pos++] & 0xFF;
    }

    long readArgument(int initial) {
      int info = initial & 0x1F;
      if (info < 24) {
        return info;
      }
      int width = switch (info) {
        case 24 -> 1;
        case 25 -> 2;
        case 26 -> 4;
        case 27 -> 8;
        default -> throw new IllegalArgumentException(
            "data uses an indefinite length or reserved CBOR head (" + info + ")");
      };
      long v = 0;
      for (int i = 0; i < width; i++) {
        v = (v << 8) | readByte();
      }
      return v;
    }

    byte[] readBytes(long length) {
      if (length < 0 || length > buf.length - pos) {
        throw new IllegalArgumentException("CBOR length " + Long.toUnsignedString(length)
            + " exceeds the " + (buf.length - pos) + " bytes left");
      }
      byte[] out = Arrays.copyOfRange(buf, pos, pos + (int) length);
      pos += (int) length;
      return out;
    }

    byte[] readByteString(String key) {
      int initial = readByte();
      if (initial >>> 5 != MAJOR_BYTES) {
        throw new IllegalArgumentException(key + " is not a CBOR byte string");
      }
      return readBytes(readArgument(initial));
    }

    long readUnsigned(String key) {
      int initial = readByte();
      if (initial >>> 5 != MAJOR_UINT) {
        throw new IllegalArgumentException(key + " is not a CBOR unsigned integer");
      }
      return readArgument(initial);
    }

    void skipValue(int depth) {
      if (depth > MAX_SKIP_DEPTH) {
        throw new IllegalArgumentException("data nests deeper than " + MAX_SKIP_DEPTH);
      }
      int initial = readByte();
      int major = initial >>> 5;
      switch (major) {
        case MAJOR_UINT, MAJOR_NEGINT -> readArgument(initial);
        case MAJOR_BYTES, MAJOR_TEXT -> readBytes(readArgument(initial));
        case MAJOR_ARRAY -> {
          long n = readArgument(initial);
          for (long i = 0; i < n; i++) {
            skipValue(depth + 1);
          }
        }
        case MAJOR_MAP -> {
          long n = readArgument(initial);
          for (long i = 0; i < n; i++) {
            skipValue(depth + 1);
            skipValue(depth + 1);
          }
        }
        case MAJOR_TAG -> {
          readArgument(initial);
          skipValue(depth + 1);
        }
        case MAJOR_SIMPLE -> {
          int info = initial & 0x1F;
          if (info == 31) {
            throw new IllegalArgumentException("data has an unexpected CBOR break");
          }
          readArgument(initial);
        }
        default -> throw new IllegalStateException("unreachable major type " + major);
      }
    }
  }
}
