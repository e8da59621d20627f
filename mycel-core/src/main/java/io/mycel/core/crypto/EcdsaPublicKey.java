package io.mycel.core.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * An ECDSA public key received from a peer: DER SubjectPublicKeyInfo on a NIST curve
 * (P-256, P-384 or P-521); signatures are DER-encoded (r, s) over SHA-256, as go-libp2p makes
 * them whatever the curve.
 */
final class EcdsaPublicKey implements PublicKey {

  private final byte[] der;
  private final ECPublicKey key;

  private EcdsaPublicKey(byte[] der, ECPublicKey key) {
    this.der = der.clone();
    this.key = key;
  }

  static EcdsaPublicKey fromDer(byte[] der) {
    ECPublicKey key;
    try {
      key = (ECPublicKey) KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("malformed ECDSA public key: " + e.getMessage(), e);
    }
    int fieldBits = key.getParams().getCurve().getField().getFieldSize();
    if (fieldBits != 256 && fieldBits != 384 && fieldBits != 521) {
      throw new UnsupportedKeyTypeException("unsupported ECDSA curve of " + fieldBits + " bits");
    }
    if (!Arrays.equals(key.getEncoded(), der)) {
      throw new IllegalArgumentException("ECDSA public key is not canonical DER");
    }
    return new EcdsaPublicKey(der, key);
  }

  @Override
  public KeyType type() {
    return KeyType.ECDSA;
  }

  @Override
  public byte[] raw() {
    return der.clone();
  }

  @Override
  public boolean verify(byte[] data, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public byte[] marshal() {
    return Keys.marshalPublic(KeyType.ECDSA, der);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EcdsaPublicKey other && Arrays.equals(der, other.der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "EcdsaPublicKey[" + key.getParams().getCurve().getField().getFieldSize() + " bits]";
  }
}
