package io.mycel.net.noise;

import java.util.HexFormat;

/** Small byte helpers shared by the Noise classes. */
final class NoiseBytes {
  private NoiseBytes() {}

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
