package io.mycel.core.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * An RSA public key received from a peer: DER SubjectPublicKeyInfo; signatures are
 * PKCS#1 v1.5 over SHA-256.
 */
final class RsaPublicKey implements PublicKey {

  /** Smallest modulus accepted, as go-libp2p and js-libp2p require. */
  static final int MIN_BITS = 2048;
  /** Largest modulus accepted, bounding the cost of a verification. */
  static final int MAX_BITS = 8192;

  private final byte[] der;
  private final RSAPublicKey key;

  private RsaPublicKey(byte[] der, RSAPublicKey key) {
    this.der = der.clone();
    this.key = key;
  }

  static RsaPublicKey fromDer(byte[] der) {
    RSAPublicKey key;
    try {
      key = (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("malformed RSA public key: " + e.getMessage(), e);
    }
    int bits = key.getModulus().bitLength();
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw new UnsupportedKeyTypeException(
          "RSA modulus of " + bits + " bits outside " + MIN_BITS + ".." + MAX_BITS);
    }
    if (!Arrays.equals(key.getEncoded(), der)) {
      throw new IllegalArgumentException("RSA public key is not canonical DER");
    }
    return new RsaPublicKey(der, key);
  }

  @Override
  public KeyType type() {
    return KeyType.RSA;
  }

  @Override
  public byte[] raw() {
    return der.clone();
  }

  @Override
  public boolean verify(byte[] data, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public byte[] marshal() {
    return Keys.marshalPublic(KeyType.RSA, der);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RsaPublicKey other && Arrays.equals(der, other.der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "RsaPublicKey[" + key.getModulus().bitLength() + " bits]";
  }
}
