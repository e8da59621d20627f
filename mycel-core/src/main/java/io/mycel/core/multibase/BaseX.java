package io.mycel.core.multibase;

import java.util.Arrays;

/**
 * Big-number codecs (base10, base36, base58): the input is read as one big-endian number, and
 * each leading zero byte is kept as one leading zero character. Quadratic in the input length,
 * so decoding is capped at {@link Multibase#MAX_BASE_X_LENGTH} characters.
 */
final class BaseX implements Codec {

  private final String alphabet;
  private final int base;
  private final int[] lookup = new int[128];
  private final double bytesPerChar;

  BaseX(String alphabet, boolean caseInsensitive) {
    this.alphabet = alphabet;
    this.base = alphabet.length();
    this.bytesPerChar = Math.log(base) / Math.log(256);
    Arrays.fill(lookup, -1);
    for (int i = 0; i < base; i++) {
      char c = alphabet.charAt(i);
      lookup[c] = i;
      if (caseInsensitive) {
        lookup[Character.toLowerCase(c)] = i;
        lookup[Character.toUpperCase(c)] = i;
      }
    }
  }

  @Override
  public String encode(byte[] data) {
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    int size = (int) Math.ceil((data.length - zeros) / bytesPerChar) + 1;
    byte[] digits = new byte[size];
    int length = 0;
    for (int i = zeros; i < data.length; i++) {
      int carry = data[i] & 0xFF;
      int j = 0;
      for (int k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++) {
        carry += 256 * (digits[k] & 0xFF);
        digits[k] = (byte) (carry % base);
        carry /= base;
      }
      length = j;
    }
    int start = size - length;
    StringBuilder out = new StringBuilder(zeros + length);
    for (int i = 0; i < zeros; i++) {
      out.append(alphabet.charAt(0));
    }
    for (int i = start; i < size; i++) {
      out.append(alphabet.charAt(digits[i]));
    }
    return out.toString();
  }

  @Override
  public byte[] decode(String text) {
    if (text.length() > Multibase.MAX_BASE_X_LENGTH) {
      throw new IllegalArgumentException(
          "encoded text longer than " + Multibase.MAX_BASE_X_LENGTH + " characters");
    }
    char zeroChar = alphabet.charAt(0);
    int zeros = 0;
    while (zeros < text.length() && text.charAt(zeros) == zeroChar) {
      zeros++;
    }
    int size = (int) Math.ceil((text.length() - zeros) * bytesPerChar) + 1;
    byte[] bytes = new byte[size];
    int length = 0;
    for (int i = zeros; i < text.length(); i++) {
      char c = text.charAt(i);
      int carry = c < 128 ? lookup[c] : -1;
      if (carry < 0) {
        throw new IllegalArgumentException("invalid character '" + c + "' at index " + i);
      }
      int j = 0;
      for (int k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++) {
        carry += base * (bytes[k] & 0xFF);
        bytes[k] = (byte) carry;
        carry >>>= 8;
      }
      length = j;
    }
    byte[] out = new byte[zeros + length];
    System.arraycopy(bytes, size - length, out, zeros, length);
    return out;
  }
}
