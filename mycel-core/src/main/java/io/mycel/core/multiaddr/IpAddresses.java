package io.mycel.core.multiaddr;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Strict parsing and canonical formatting of IP address literals, without ever asking DNS (as
 * {@link java.net.InetAddress#getByName} may).
 */
final class IpAddresses {

  private IpAddresses() {}

  /** Dotted-quad IPv4: four decimal parts 0..255 without leading zeros. */
  static byte[] parseIp4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("invalid IPv4 address: " + text);
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      try {
        out[i] = (byte) ValueCodec.parseDecimal(parts[i], 255);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid IPv4 address: " + text, e);
      }
    }
    return out;
  }

  static String formatIp4(byte[] a) {
    return (a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF);
  }

  /** RFC 4291 text: hex groups, at most one "::", optionally a dotted-quad tail. */
  static byte[] parseIp6(String text) {
    int[] groups = new int[8];
    int count = 0;
    int gap = -1;
    String rest = text;
    if (rest.startsWith("::")) {
      gap = 0;
      rest = rest.substring(2);
    } else if (rest.startsWith(":")) {
      throw invalidIp6(text);
    }
    byte[] out = new byte[16];
    while (!rest.isEmpty()) {
      int colon = rest.indexOf(':');
      String part = colon < 0 ? rest : rest.substring(0, colon);
      if (part.indexOf('.') >= 0) {
        if (colon >= 0 || count > 6) {
          throw invalidIp6(text);
        }
        byte[] v4;
        try {
          v4 = parseIp4(part);
        } catch (IllegalArgumentException e) {
          throw invalidIp6(text);
        }
        groups[count++] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
        groups[count++] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
        rest = "";
        break;
      }
      if (part.isEmpty() || part.length() > 4 || count == 8) {
        throw invalidIp6(text);
      }
      int value = 0;
      for (int i = 0; i < part.length(); i++) {
        char c = part.charAt(i);
        if (c >= 128 || !HexFormat.isHexDigit(c)) {
          throw invalidIp6(text);
        }
        value = (value << 4) | HexFormat.fromHexDigit(c);
      }
      groups[count++] = value;
      if (colon < 0) {
        rest = "";
      } else if (rest.startsWith("::", colon)) {
        if (gap >= 0) {
          throw invalidIp6(text);
        }
        gap = count;
        rest = rest.substring(colon + 2);
      } else {
        rest = rest.substring(colon + 1);
        if (rest.isEmpty()) {
          throw invalidIp6(text);
        }
      }
    }
    if (gap < 0 ? count != 8 : count > 7) {
      throw invalidIp6(text);
    }
    int[] full = new int[8];
    if (gap < 0) {
      full = groups;
    } else {
      int tail = count - gap;
      System.arraycopy(groups, 0, full, 0, gap);
      System.arraycopy(groups, gap, full, 8 - tail, tail);
    }
    for (int i = 0; i < 8; i++) {
      out[2 * i] = (byte) (full[i] >>> 8);
      out[2 * i + 1] = (byte) full[i];
    }
    return out;
  }

  private static IllegalArgumentException invalidIp6(String text) {
    return new IllegalArgumentException("invalid IPv6 address: " + text);
  }

  /**
   * RFC 5952 canonical text: lower-case hex, the longest run of two or more zero groups (the
   * first of equals) written "::". IPv4-mapped addresses are written {@code ::ffff:a.b.c.d}.
   */
  static String formatIp6(byte[] a) {
    boolean mapped = true;
    for (int i = 0; i < 10; i++) {
      mapped &= a[i] == 0;
    }
    mapped &= (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF;
    if (mapped) {
      return "::ffff:" + formatIp4(Arrays.copyOfRange(a, 12, 16));
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((a[2 * i] & 0xFF) << 8) | (a[2 * i + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
