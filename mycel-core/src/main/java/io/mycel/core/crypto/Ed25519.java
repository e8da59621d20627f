package io.mycel.core.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Ed25519 keys (RFC 8032) on raw bytes, as libp2p carries them.
 *
 * <p>Key derivation, signing and verification use Bouncy Castle's lightweight implementation
 * rather than the JDK's {@code Ed25519}: the JDK's implementations are about ten times slower, and
 * the handshake rate depends on them (every secure-channel handshake signs once and verifies
 * once). Seeds still come from {@link SecureRandom}.
 */
public final class Ed25519 {

  /** Length of a raw public key and of a private seed. */
  public static final int KEY_LENGTH = 32;

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

  /** The RFC 8032 public key of a 32-byte seed. */
  private static byte[] derivePublic(byte[] seed) {
    byte[] pub = new byte[KEY_LENGTH];
    org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, pub, 0);
    return pub;
  }
}
