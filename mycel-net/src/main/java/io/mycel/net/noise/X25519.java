package io.mycel.net.noise;

import io.mycel.net.ProtocolViolationException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * X25519 on raw 32-byte keys (RFC 7748 encoding: little-endian u-coordinate), over the JDK's XDH.
 *
 * @see <a href="https://noiseprotocol.org/noise.html#the-25519-dh-functions">Noise, the 25519 DH
 *     functions</a>
 */
final class X25519 {
  static final int KEY_LENGTH = 32;

  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  private static final byte[] BASE_POINT = basePoint();

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
    random.nextBytes(scalar);
    return fromPrivateKey(scalar);
  }

  static KeyPair fromPrivateKey(byte[] scalar) {
    return new KeyPair(scalar, rawAgreement(scalar, BASE_POINT));
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
    return rawAgreement(scalar, publicKey);
  }

  private static byte[] rawAgreement(byte[] scalar, byte[] publicKey) {
    byte[] secret;
    try {
      KeyFactory factory = KeyFactory.getInstance("XDH");
      var privateKey =
          factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
      var peerKey =
          factory.generatePublic(
              new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(publicKey)));
      KeyAgreement agreement = KeyAgreement.getInstance("XDH");
      agreement.init(privateKey);
      agreement.doPhase(peerKey, true);
      secret = agreement.generateSecret();
    } catch (GeneralSecurityException | IllegalStateException e) {
      // the JDK signals a small-order peer key with IllegalStateException
      throw new ProtocolViolationException("invalid X25519 public key", e);
    }
    if (isAllZero(secret)) {
      throw new ProtocolViolationException("X25519 public key of small order");
    }
    return secret;
  }

  /** Encodes a JDK public key as its raw little-endian u-coordinate. */
  static byte[] encode(XECPublicKey key) {
    return encodeU(key.getU());
  }

  /** RFC 7748 section 5: little-endian, most significant bit masked, reduced mod p. */
  static BigInteger decodeU(byte[] raw) {
    byte[] bigEndian = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH; i++) {
      bigEndian[i] = raw[KEY_LENGTH - 1 - i];
    }
    bigEndian[0] &= 0x7f;
    return new BigInteger(1, bigEndian).mod(P);
  }

  static byte[] encodeU(BigInteger u) {
    byte[] bigEndian = u.toByteArray();
    byte[] raw = new byte[KEY_LENGTH];
    for (int i = 0; i < Math.min(bigEndian.length, KEY_LENGTH); i++) {
      raw[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return raw;
  }

  private static boolean isAllZero(byte[] bytes) {
    int acc = 0;
    for (byte b : bytes) {
      acc |= b;
    }
    return acc == 0;
  }

  private static byte[] basePoint() {
    byte[] base = new byte[KEY_LENGTH];
    base[0] = 9;
    return base;
  }

  static void wipe(byte[] bytes) {
    if (bytes != null) {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
