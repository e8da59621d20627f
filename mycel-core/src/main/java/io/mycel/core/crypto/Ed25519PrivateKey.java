package io.mycel.core.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;

/** An Ed25519 private key: the 32-byte seed, with its public key. */
final class Ed25519PrivateKey implements PrivateKey {

  private final byte[] seed;
  private final Ed25519PublicKey publicKey;
  private final java.security.PrivateKey jdkKey;

  Ed25519PrivateKey(byte[] seed, byte[] publicRaw) {
    this.seed = seed.clone();
    this.publicKey = new Ed25519PublicKey(publicRaw);
    try {
      this.jdkKey = Ed25519.toJdkPrivate(this.seed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK rejected an Ed25519 seed", e);
    }
  }

  @Override
  public KeyType type() {
    return KeyType.ED25519;
  }

  @Override
  public byte[] raw() {
    byte[] out = Arrays.copyOf(seed, 2 * Ed25519.KEY_LENGTH);
    System.arraycopy(publicKey.raw(), 0, out, Ed25519.KEY_LENGTH, Ed25519.KEY_LENGTH);
    return out;
  }

  /** The 32-byte seed alone. */
  byte[] seed() {
    return seed.clone();
  }

  @Override
  public byte[] sign(byte[] data) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(jdkKey);
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
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
