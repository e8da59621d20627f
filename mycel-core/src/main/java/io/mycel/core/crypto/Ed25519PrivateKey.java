package io.mycel.core.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/** An Ed25519 private key: the 32-byte seed, with its public key. */
final class Ed25519PrivateKey implements PrivateKey {

  private final byte[] seed;
  private final byte[] publicRaw;
  private final Ed25519PublicKey publicKey;

  /** {@code publicRaw} must be the public key of {@code seed}; signing relies on it. */
  Ed25519PrivateKey(byte[] seed, byte[] publicRaw) {
    this.seed = seed.clone();
    this.publicRaw = publicRaw.clone();
    this.publicKey = new Ed25519PublicKey(publicRaw);
  }

  @Override
  public KeyType type() {
    return KeyType.ED25519;
  }

  @Override
  public byte[] raw() {
    byte[] out = Arrays.copyOf(seed, 2 * Ed25519.KEY_LENGTH);
    System.arraycopy(publicRaw, 0, out, Ed25519.KEY_LENGTH, Ed25519.KEY_LENGTH);
    return out;
  }

  /** The 32-byte seed alone. */
  byte[] seed() {
    return seed.clone();
  }

  @Override
  public byte[] sign(byte[] data) {
    byte[] signature = new byte[Ed25519PublicKey.SIGNATURE_LENGTH];
    org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
        seed, 0, publicRaw, 0, data, 0, data.length, signature, 0);
    return signature;
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public byte[] marshal() {
    byte[] raw = raw();
    try {
      return Keys.marshalPrivate(KeyType.ED25519, raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PrivateKey other
        && MessageDigest.isEqual(seed, other.seed);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  /** Never shows the secret. */
  @Override
  public String toString() {
    return "Ed25519PrivateKey[public=" + publicKey + "]";
  }
}
