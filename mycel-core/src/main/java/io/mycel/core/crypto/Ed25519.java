package io.mycel.core.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Ed25519 keys (RFC 8032) on the JDK's own implementation.
 *
 * <p>The JDK speaks X.509 and PKCS#8; libp2p carries raw keys. For Ed25519 both encodings are a
 * fixed DER prefix followed by the 32 raw bytes, so conversion is prefix surgery.
 */
public final class Ed25519 {

  /** Length of a raw public key and of a private seed. */
  public static final int KEY_LENGTH = 32;

  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };
  private static final byte[] PKCS8_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
  };

  private Ed25519() {}

  /** Generates a fresh key from the system's strong random source. */
  public static PrivateKey generate() {
    byte[] seed = new byte[KEY_LENGTH];
    new SecureRandom().nextBytes(seed);
    try {
      return fromSeed(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * The private key with the given 32-byte seed (the RFC 8032 private key).
   *
   * @throws IllegalArgumentException if the seed is not 32 bytes
   */
  public static PrivateKey fromSeed(byte[] seed32) {
    if (seed32.length != KEY_LENGTH) {
      throw new IllegalArgumentException(
          "Ed25519 seed must be " + KEY_LENGTH + " bytes, got " + seed32.length);
    }
    return new Ed25519PrivateKey(seed32, derivePublic(seed32));
  }

  /**
   * The public key with the given 32 raw bytes.
   *
   * @throws IllegalArgumentException if the key is not 32 bytes
   */
  public static PublicKey publicKeyFromRaw(byte[] raw32) {
    if (raw32.length != KEY_LENGTH) {
      throw new IllegalArgumentException(
          "Ed25519 public key must be " + KEY_LENGTH + " bytes, got " + raw32.length);
    }
    return new Ed25519PublicKey(raw32);
  }

  /**
   * The private key from the libp2p {@code Data} field: seed and public key (64 bytes), or the
   * legacy form with the public key repeated (96 bytes). The public part must match the seed.
   */
  static PrivateKey privateKeyFromLibp2p(byte[] data) {
    if (data.length != 2 * KEY_LENGTH && data.length != 3 * KEY_LENGTH) {
      throw new IllegalArgumentException(
          "Ed25519 private key must be 64 or 96 bytes, got " + data.length);
    }
    byte[] seed = Arrays.copyOfRange(data, 0, KEY_LENGTH);
    byte[] pub = Arrays.copyOfRange(data, KEY_LENGTH, 2 * KEY_LENGTH);
    if (data.length == 3 * KEY_LENGTH
        && !Arrays.equals(pub, Arrays.copyOfRange(data, 2 * KEY_LENGTH, 3 * KEY_LENGTH))) {
      throw new IllegalArgumentException("Ed25519 private key has mismatched public key copies");
    }
    try {
      PrivateKey key = fromSeed(seed);
      if (!MessageDigest.isEqual(key.publicKey().raw(), pub)) {
        throw new IllegalArgumentException("Ed25519 private key does not match its public key");
      }
      return key;
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  static java.security.PublicKey toJdkPublic(byte[] raw) throws GeneralSecurityException {
    return KeyFactory.getInstance("Ed25519")
        .generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
  }

  static java.security.PrivateKey toJdkPrivate(byte[] seed) throws GeneralSecurityException {
    byte[] encoded = concat(PKCS8_PREFIX, seed);
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(encoded));
    } finally {
      Arrays.fill(encoded, (byte) 0);
    }
  }

  /**
   * The JDK offers no seed-to-public-key call, but its key pair generator draws exactly the
   * 32-byte seed from the random source it is given; handing it the seed yields the pair.
   */
  private static byte[] derivePublic(byte[] seed) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, new FixedRandom(seed));
      KeyPair pair = generator.generateKeyPair();
      byte[] encoded = pair.getPublic().getEncoded();
      if (encoded.length != X509_PREFIX.length + KEY_LENGTH
          || !Arrays.equals(X509_PREFIX, Arrays.copyOf(encoded, X509_PREFIX.length))) {
        throw new IllegalStateException("unexpected Ed25519 X.509 encoding from the JDK");
      }
      return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks Ed25519", e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Hands out one given seed, once; any further draw is a bug. */
  private static final class FixedRandom extends SecureRandom {
    private byte[] seed;

    FixedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      if (seed == null || bytes.length != seed.length) {
        throw new IllegalStateException("unexpected random draw while deriving an Ed25519 key");
      }
      System.arraycopy(seed, 0, bytes, 0, seed.length);
      Arrays.fill(seed, (byte) 0);
      seed = null;
    }
  }
}
