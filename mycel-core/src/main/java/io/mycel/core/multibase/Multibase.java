package io.mycel.core.multibase;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Self-describing base encodings: a one-character prefix names the base.
 *
 * <p>See the <a href="https://github.com/multiformats/multibase">multibase spec</a> and its
 * <a href="https://github.com/multiformats/multibase/blob/master/multibase.csv">table</a>.
 * Decoding is strict: a character outside the alphabet, an impossible length, non-zero trailing
 * bits or wrong padding is an {@link IllegalArgumentException}. As the table specifies, base16,
 * base32, base32hex and base36 text decodes in either letter case; encoding always writes the
 * case the prefix names.
 */
public enum Multibase {
  BASE2('0', "base2", new Rfc4648("01", false, false)),
  BASE8('7', "base8", new Rfc4648("01234567", false, false)),
  BASE10('9', "base10", new BaseX("0123456789", false)),
  BASE16('f', "base16", new Rfc4648(Alphabets.HEX, false, true)),
  BASE16_UPPER('F', "base16upper", new Rfc4648(Alphabets.HEX_UPPER, false, true)),
  BASE32('b', "base32", new Rfc4648(Alphabets.B32, false, true)),
  BASE32_UPPER('B', "base32upper", new Rfc4648(Alphabets.B32_UPPER, false, true)),
  BASE32_PAD('c', "base32pad", new Rfc4648(Alphabets.B32, true, true)),
  BASE32_PAD_UPPER('C', "base32padupper", new Rfc4648(Alphabets.B32_UPPER, true, true)),
  BASE32_HEX('v', "base32hex", new Rfc4648(Alphabets.B32_HEX, false, true)),
  BASE32_HEX_UPPER('V', "base32hexupper", new Rfc4648(Alphabets.B32_HEX_UPPER, false, true)),
  BASE32_HEX_PAD('t', "base32hexpad", new Rfc4648(Alphabets.B32_HEX, true, true)),
  BASE32_HEX_PAD_UPPER('T', "base32hexpadupper",
      new Rfc4648(Alphabets.B32_HEX_UPPER, true, true)),
  BASE32_Z('h', "base32z", new Rfc4648(Alphabets.B32_Z, false, false)),
  BASE36('k', "base36", new BaseX(Alphabets.B36, true)),
  BASE36_UPPER('K', "base36upper", new BaseX(Alphabets.B36_UPPER, true)),
  BASE58_BTC('z', "base58btc", new BaseX(Alphabets.B58_BTC, false)),
  BASE58_FLICKR('Z', "base58flickr", new BaseX(Alphabets.B58_FLICKR, false)),
  BASE64('m', "base64", new Rfc4648(Alphabets.B64, false, false)),
  BASE64_PAD('M', "base64pad", new Rfc4648(Alphabets.B64, true, false)),
  BASE64_URL('u', "base64url", new Rfc4648(Alphabets.B64_URL, false, false)),
  BASE64_URL_PAD('U', "base64urlpad", new Rfc4648(Alphabets.B64_URL, true, false));

  /**
   * Longest text accepted by the big-number bases (base10, base36, base58), whose decoding time
   * grows with the square of the length. Identifiers are far shorter.
   */
  public static final int MAX_BASE_X_LENGTH = 8192;

  private static final Map<Character, Multibase> BY_PREFIX = new HashMap<>();

  static {
    for (Multibase b : values()) {
      BY_PREFIX.put(b.prefix, b);
    }
  }

  private final char prefix;
  private final String encodingName;
  private final Codec codec;

  Multibase(char prefix, String encodingName, Codec codec) {
    this.prefix = prefix;
    this.encodingName = encodingName;
    this.codec = codec;
  }

  /** The name in the multibase table, such as {@code base32hexpad}. */
  public String encodingName() {
    return encodingName;
  }

  /** The base with table name {@code name}, if known. */
  public static Optional<Multibase> forName(String name) {
    for (Multibase b : values()) {
      if (b.encodingName.equals(name)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  /** The prefix character naming this base. */
  public char prefix() {
    return prefix;
  }

  /** The base named by {@code prefix}, if known. */
  public static Optional<Multibase> forPrefix(char prefix) {
    return Optional.ofNullable(BY_PREFIX.get(prefix));
  }

  /** Encodes {@code data} in {@code base}, with the prefix character. */
  public static String encode(Multibase base, byte[] data) {
    return base.prefix + base.encodeBare(data);
  }

  /**
   * Decodes prefixed multibase text.
   *
   * @throws IllegalArgumentException on an empty text, an unknown prefix or invalid text
   */
  public static byte[] decode(String text) {
    return baseOf(text).decodeBare(text.substring(1));
  }

  /**
   * The base named by the prefix of {@code text}.
   *
   * @throws IllegalArgumentException if the text is empty or the prefix is unknown
   */
  public static Multibase baseOf(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty multibase text");
    }
    Multibase base = BY_PREFIX.get(text.charAt(0));
    if (base == null) {
      throw new IllegalArgumentException("unknown multibase prefix '" + text.charAt(0) + "'");
    }
    return base;
  }

  /** Encodes {@code data} in this base, without the prefix character. */
  public String encodeBare(byte[] data) {
    return codec.encode(data);
  }

  /**
   * Decodes text in this base that has no prefix character.
   *
   * @throws IllegalArgumentException if the text is not valid in this base
   */
  public byte[] decodeBare(String text) {
    return codec.decode(text);
  }
}
