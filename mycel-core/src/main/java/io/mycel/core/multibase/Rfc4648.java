package io.mycel.core.multibase;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Bit-packing codecs of RFC 4648 shape (base2, base8, base16, base32, base64): each character
 * carries a fixed number of bits. Decoding is strict: unknown characters, impossible lengths,
 * non-zero leftover bits and wrong padding are rejected.
 */
final class Rfc4648 implements Codec {

  private final String alphabet;
  private final int bitsPerChar;
  private final boolean padded;
  private final int[] lookup = new int[128];

  Rfc4648(String alphabet, boolean padded, boolean caseInsensitive) {
    this.alphabet = alphabet;
    this.bitsPerChar = Integer.numberOfTrailingZeros(alphabet.length());
    this.padded = padded;
    Arrays.fill(lookup, -1);
    for (int i = 0; i < alphabet.length(); i++) {
      char c = alphabet.charAt(i);
      lookup[c] = i;
      if (caseInsensitive) {
        lookup[Character.toLowerCase(c)] = i;
        lookup[Character.toUpperCase(c)] = i;
      }
    }
  }

  /** Characters per padded group: the least multiple of bitsPerChar that is whole bytes. */
  private int groupChars() {
    int bits = bitsPerChar;
    while (bits % 8 != 0) {
      bits += bitsPerChar;
    }
    return bits / bitsPerChar;
  }

  @Override
  public String encode(byte[] data) {
    StringBuilder out = new StringBuilder((data.length * 8 + bitsPerChar - 1) / bitsPerChar + 8);
    int mask = (1 << bitsPerChar) - 1;
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= bitsPerChar) {
        bits -= bitsPerChar;
        out.append(alphabet.charAt((buffer >>> bits) & mask));
      }
      buffer &= (1 << bits) - 1;
    }
    if (bits > 0) {
      out.append(alphabet.charAt((buffer << (bitsPerChar - bits)) & mask));
    }
    if (padded) {
      int group = groupChars();
      while (out.length() % group != 0) {
        out.append('=');
      }
    }
    return out.toString();
  }

  @Override
  public byte[] decode(String text) {
    int end = text.length();
    if (padded) {
      while (end > 0 && text.charAt(end - 1) == '=') {
        end--;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(end * bitsPerChar / 8);
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      int v = c < 128 ? lookup[c] : -1;
      if (v < 0) {
        throw new IllegalArgumentException("invalid character '" + c + "' at index " + i);
      }
      buffer = (buffer << bitsPerChar) | v;
      bits += bitsPerChar;
      if (bits >= 8) {
        bits -= 8;
        out.write((buffer >>> bits) & 0xFF);
        buffer &= (1 << bits) - 1;
      }
    }
    if (bits >= bitsPerChar) {
      throw new IllegalArgumentException("invalid encoded length " + end);
    }
    if (buffer != 0) {
      throw new IllegalArgumentException("non-zero trailing bits");
    }
    if (padded) {
      int group = groupChars();
      int expectedPad = (group - end % group) % group;
      if (text.length() - end != expectedPad) {
        throw new IllegalArgumentException("invalid padding");
      }
    }
    return out.toByteArray();
  }
}
