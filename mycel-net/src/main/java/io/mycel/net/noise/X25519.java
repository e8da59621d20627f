package io.mycel.net.noise;

import io.mycel.net.ProtocolViolationException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * X25519 on raw 32-byte keys (RFC 7748 encoding: little-endian u-coordinate).
 *
 * <p>Built on Bouncy Castle's lightweight implementation rather than the JDK's {@code XDH}: the
 * JDK's implementations are about ten times slower, and the handshake rate depends on them (each
 * side of a Noise XX handshake does three DH computations besides generating its keys).
 *
 * @see <a href="https://noiseprotocol.org/noise.html#the-25519-dh-functions">Noise, the 25519 DH
 *     functions</a>
 */
final class X25519 {
  static final int KEY_LENGTH = 32;

  private X25519() {}

  /** A key pair as raw bytes; {@code privateKey} is the scalar as RFC 7748 encodes it. */
  record KeyPair(byte[] privateKey, byte[] publicKey) {
    KeyPair {
      if (privateKey.length != KEY_LENGTH || publicKey.length != KEY_LENGTH) {
        throw new IllegalArgumentException("X25519 keys are 32 bytes");
      }
      privateKey = privateKey.clone();
      publicKey = publicKey.clone();
    }

    @Override
    public byte[] privateKey() {
      return privateKey.clone();
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public String toString() {
      return "X25519.KeyPair[publicKey=" + NoiseBytes.hex(publicKey) + "]";
    }
  }

  static KeyPair generate(SecureRandom random) {
    byte[] scalar = new byte[KEY_LENGTH];
    org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(random, scalar);
    try {
      return fromPrivateKey(scalar);
    } finally {
      wipe(scalar);
    }
  }

  static KeyPair fromPrivateKey(byte[] scalar) {
    if (scalar.length != KEY_LENGTH) {
      throw new IllegalArgumentException("X25519 keys are 32 bytes");
    }
    byte[] publicKey = new byte[KEY_LENGTH];
    org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(scalar, 0, publicKey, 0);
    return new KeyPair(scalar, publicKey);
  }

  /**
   * The shared secret of {@code scalar} and the peer's {@code publicKey}.
   *
   * @throws ProtocolViolationException when the peer's key is unusable or of small order
   */
  static byte[] dh(byte[] scalar, byte[] publicKey) {
    if (publicKey.length != KEY_LENGTH) {
      throw new ProtocolViolationException("X25519 public key must be 32 bytes");
    }
    byte[] secret = new byte[KEY_LENGTH];
    // False when the result is all zeros, which a peer key of small order produces.
    if (!org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(
        scalar, 0, publicKey, 0, secret, 0)) {
      throw new ProtocolViolationException("X25519 public key of small order");
    }
    return secret;
  }

  static void wipe(byte[] bytes) {
    if (bytes != null) {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
