package io.mycel.core.crypto;

import java.security.interfaces.RSAPublicKey;

/**
 * An RSA public key received from a peer: DER SubjectPublicKeyInfo; signatures are
 * PKCS#1 v1.5 over SHA-256.
 */
final class RsaPublicKey extends X509PublicKey<RSAPublicKey> {

  /** Smallest modulus accepted, as go-libp2p and js-libp2p require. */
  static final int MIN_BITS = 2048;
  /** Largest modulus accepted, bounding the cost of a verification. */
  static final int MAX_BITS = 8192;

  private RsaPublicKey(byte[] der, RSAPublicKey key) {
    super(KeyType.RSA, "SHA256withRSA", der, key);
  }

  static RsaPublicKey fromDer(byte[] der) {
    RSAPublicKey key = parse(der, "RSA", RSAPublicKey.class, "RSA");
    int bits = key.getModulus().bitLength();
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw new UnsupportedKeyTypeException(
          "RSA modulus of " + bits + " bits outside " + MIN_BITS + ".." + MAX_BITS);
    }
    requireCanonical(der, key, "RSA");
    return new RsaPublicKey(der, key);
  }

  @Override
  public String toString() {
    return "RsaPublicKey[" + key.getModulus().bitLength() + " bits]";
  }
}
