package io.mycel.core.crypto;

import java.security.interfaces.ECPublicKey;

/**
 * An ECDSA public key received from a peer: DER SubjectPublicKeyInfo on a NIST curve
 * (P-256, P-384 or P-521); signatures are DER-encoded (r, s) over SHA-256, as go-libp2p makes
 * them whatever the curve.
 */
final class EcdsaPublicKey extends X509PublicKey<ECPublicKey> {

  private EcdsaPublicKey(byte[] der, ECPublicKey key) {
    super(KeyType.ECDSA, "SHA256withECDSA", der, key);
  }

  static EcdsaPublicKey fromDer(byte[] der) {
    ECPublicKey key = parse(der, "EC", ECPublicKey.class, "ECDSA");
    int fieldBits = key.getParams().getCurve().getField().getFieldSize();
    if (fieldBits != 256 && fieldBits != 384 && fieldBits != 521) {
      throw new UnsupportedKeyTypeException("unsupported ECDSA curve of " + fieldBits + " bits");
    }
    requireCanonical(der, key, "ECDSA");
    return new EcdsaPublicKey(der, key);
  }

  @Override
  public String toString() {
    return "EcdsaPublicKey[" + key.getParams().getCurve().getField().getFieldSize() + " bits]";
  }
}
