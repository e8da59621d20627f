package io.mycel.core.multiaddr;

import io.mycel.core.multibase.Multibase;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Conversions of component values between text and binary, as go-multiaddr and js-multiaddr
 * do them. Every method throws {@link IllegalArgumentException} on an invalid value.
 */
enum ValueCodec {
  NONE {
    @Override
    byte[] toBytes(String text) {
      throw new IllegalArgumentException("protocol takes no value");
    }

    @Override
    String toText(byte[] value) {
      return "";
    }
  },
  IP4 {
    @Override
    byte[] toBytes(String text) {
      return IpAddresses.parseIp4(text);
    }

    @Override
    String toText(byte[] value) {
      return IpAddresses.formatIp4(value);
    }
  },
  IP6 {
    @Override
    byte[] toBytes(String text) {
      return IpAddresses.parseIp6(text);
    }

    @Override
    String toText(byte[] value) {
      return IpAddresses.formatIp6(value);
    }
  },
  PORT {
    @Override
    byte[] toBytes(String text) {
      int port = parseDecimal(text, 65535);
      return new byte[] {(byte) (port >>> 8), (byte) port};
    }

    @Override
    String toText(byte[] value) {
      return Integer.toString(((value[0] & 0xFF) << 8) | (value[1] & 0xFF));
    }
  },
  BYTE {
    @Override
    byte[] toBytes(String text) {
      return new byte[] {(byte) parseDecimal(text, 255)};
    }

    @Override
    String toText(byte[] value) {
      return Integer.toString(value[0] & 0xFF);
    }
  },
  UINT64 {
    @Override
    byte[] toBytes(String text) {
      checkDigits(text);
      long v;
      try {
        v = Long.parseUnsignedLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("number out of range: " + text);
      }
      return ByteBuffer.allocate(8).putLong(v).array();
    }

    @Override
    String toText(byte[] value) {
      return Long.toUnsignedString(ByteBuffer.wrap(value).getLong());
    }
  },
  /** UTF-8 text without '/', not empty: DNS names, zones, SNI. */
  TEXT {
    @Override
    byte[] toBytes(String text) {
      byte[] value = text.getBytes(StandardCharsets.UTF_8);
      validate(value);
      return value;
    }

    @Override
    String toText(byte[] value) {
      return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    void validate(byte[] value) {
      String text = strictUtf8(value);
      if (text.isEmpty()) {
        throw new IllegalArgumentException("empty value");
      }
      if (text.indexOf('/') >= 0) {
        throw new IllegalArgumentException("value may not contain '/': " + text);
      }
    }
  },
  /** A file system path that in text takes the rest of the address. */
  PATH {
    @Override
    byte[] toBytes(String text) {
      byte[] value = text.getBytes(StandardCharsets.UTF_8);
      validate(value);
      return value;
    }

    @Override
    String toText(byte[] value) {
      return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    void validate(byte[] value) {
      if (strictUtf8(value).isEmpty()) {
        throw new IllegalArgumentException("empty path");
      }
    }
  },
  PEER_ID {
    @Override
    byte[] toBytes(String text) {
      return PeerId.parse(text).bytes();
    }

    @Override
    String toText(byte[] value) {
      return PeerId.fromBytes(value).toBase58();
    }

    @Override
    void validate(byte[] value) {
      PeerId.fromBytes(value);
    }
  },
  CERTHASH {
    @Override
    byte[] toBytes(String text) {
      byte[] value = Multibase.decode(text);
      validate(value);
      return value;
    }

    @Override
    String toText(byte[] value) {
      return Multibase.encode(Multibase.BASE64_URL, value);
    }

    @Override
    void validate(byte[] value) {
      Multihash.fromBytes(value);
    }
  },
  ONION {
    @Override
    byte[] toBytes(String text) {
      return onionToBytes(text, 16, 10);
    }

    @Override
    String toText(byte[] value) {
      return onionToText(value);
    }

    @Override
    void validate(byte[] value) {
      checkOnionPort(value);
    }
  },
  ONION3 {
    @Override
    byte[] toBytes(String text) {
      return onionToBytes(text, 56, 35);
    }

    @Override
    String toText(byte[] value) {
      return onionToText(value);
    }

    @Override
    void validate(byte[] value) {
      checkOnionPort(value);
    }
  },
  /** A URL path, percent-escaped in text like Go's url.PathEscape. */
  HTTP_PATH {
    @Override
    byte[] toBytes(String text) {
      byte[] value = percentDecode(text);
      validate(value);
      return value;
    }

    @Override
    String toText(byte[] value) {
      StringBuilder out = new StringBuilder();
      HexFormat hex = HexFormat.of().withUpperCase();
      for (byte b : value) {
        int c = b & 0xFF;
        if (isPathSegmentSafe(c)) {
          out.append((char) c);
        } else {
          out.append('%').append(hex.toHexDigits((byte) c));
        }
      }
      return out.toString();
    }

    @Override
    void validate(byte[] value) {
      if (strictUtf8(value).isEmpty()) {
        throw new IllegalArgumentException("empty http-path");
      }
    }
  };

  abstract byte[] toBytes(String text);

  abstract String toText(byte[] value);

  /** Checks a binary value read from the wire (fixed sizes are checked by the caller). */
  void validate(byte[] value) {}

  private static void checkDigits(String text) {
    if (text.isEmpty() || text.length() > 20) {
      throw new IllegalArgumentException("invalid number: '" + text + "'");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("invalid number: '" + text + "'");
      }
    }
  }

  static int parseDecimal(String text, int max) {
    checkDigits(text);
    if (text.length() > 1 && text.charAt(0) == '0') {
      throw new IllegalArgumentException("number with leading zero: " + text);
    }
    long v = text.length() > 10 ? Long.MAX_VALUE : Long.parseLong(text);
    if (v > max) {
      throw new IllegalArgumentException("number out of range 0.." + max + ": " + text);
    }
    return (int) v;
  }

  private static String strictUtf8(byte[] value) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("value is not valid UTF-8");
    }
  }

  private static byte[] onionToBytes(String text, int hostChars, int hostBytes) {
    int colon = text.indexOf(':');
    if (colon != hostChars || text.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException("onion address must be " + hostChars
          + " base32 characters, ':' and a port: " + text);
    }
    byte[] host = Multibase.BASE32.decodeBare(text.substring(0, colon).toLowerCase(Locale.ROOT));
    if (host.length != hostBytes) {
      throw new IllegalArgumentException("invalid onion host: " + text);
    }
    int port = parseDecimal(text.substring(colon + 1), 65535);
    if (port == 0) {
      throw new IllegalArgumentException("onion port must be 1..65535");
    }
    byte[] out = Arrays.copyOf(host, hostBytes + 2);
    out[hostBytes] = (byte) (port >>> 8);
    out[hostBytes + 1] = (byte) port;
    return out;
  }

  private static String onionToText(byte[] value) {
    int n = value.length - 2;
    int port = ((value[n] & 0xFF) << 8) | (value[n + 1] & 0xFF);
    return Multibase.BASE32.encodeBare(Arrays.copyOf(value, n)) + ":" + port;
  }

  private static void checkOnionPort(byte[] value) {
    int n = value.length - 2;
    if (value[n] == 0 && value[n + 1] == 0) {
      throw new IllegalArgumentException("onion port must be 1..65535");
    }
  }

  /** The bytes Go's url.PathEscape leaves as they are. */
  private static boolean isPathSegmentSafe(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-_.~$&+,;=:@".indexOf(c) >= 0;
  }

  private static byte[] percentDecode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    int runStart = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) != '%') {
        continue;
      }
      out.writeBytes(text.substring(runStart, i).getBytes(StandardCharsets.UTF_8));
      if (i + 2 >= text.length()) {
        throw new IllegalArgumentException("truncated percent escape in: " + text);
      }
      char hi = text.charAt(i + 1);
      char lo = text.charAt(i + 2);
      if (!HexFormat.isHexDigit(hi) || !HexFormat.isHexDigit(lo)) {
        throw new IllegalArgumentException("invalid percent escape in: " + text);
      }
      out.write((HexFormat.fromHexDigit(hi) << 4) | HexFormat.fromHexDigit(lo));
      i += 2;
      runStart = i + 1;
    }
    out.writeBytes(text.substring(runStart).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
