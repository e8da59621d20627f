package io.mycel.core.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * A peer's public key that libp2p carries as DER SubjectPublicKeyInfo and the JDK verifies:
 * RSA and ECDSA. Subclasses name the algorithms and check the key's size.
 */
abstract class X509PublicKey<K extends java.security.PublicKey> implements PublicKey {
  private final KeyType type;
  private final String signatureAlgorithm;
  private final byte[] der;
  protected final K key;

  protected X509PublicKey(KeyType type, String signatureAlgorithm, byte[] der, K key) {
    this.type = type;
    this.signatureAlgorithm = signatureAlgorithm;
    this.der = der.clone();
    this.key = key;
  }

  /** Parses DER of {@code keyAlgorithm}; a key that does not parse or is of another kind is refused. */
  protected static <K extends java.security.PublicKey> K parse(byte[] der, String keyAlgorithm,
      Class<K> kind, String name) {
    try {
      return kind.cast(KeyFactory.getInstance(keyAlgorithm).generatePublic(new X509EncodedKeySpec(der)));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("malformed " + name + " public key: " + e.getMessage(), e);
    }
  }

  /** Refuses a key whose DER would re-encode differently: one key, one encoding, one peer id. */
  protected static void requireCanonical(byte[] der, java.security.PublicKey key, String name) {
    if (!Arrays.equals(key.getEncoded(), der)) {
      throw new IllegalArgumentException(name + " public key is not canonical DER");
    }
  }

  @Override
  public KeyType type() {
    return type;
  }

  @Override
  public byte[] raw() {
    return der.clone();
  }

  @Override
  public boolean verify(byte[] data, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(signatureAlgorithm);
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public byte[] marshal() {
    return Keys.marshalPublic(type, der);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof X509PublicKey<?> other && other.type == type && Arrays.equals(der, other.der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }
}
