package io.mycel.core.crypto;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;

/** An Ed25519 public key: 32 raw bytes. */
final class Ed25519PublicKey implements PublicKey {

  static final int SIGNATURE_LENGTH = 64;

  private final byte[] raw;

  Ed25519PublicKey(byte[] raw) {
    this.raw = raw.clone();
  }

  @Override
  public KeyType type() {
    return KeyType.ED25519;
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  @Override
  public boolean verify(byte[] data, byte[] signature) {
    if (signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(Ed25519.toJdkPublic(raw));
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // Not a valid curve point, or a malformed signature: either way, not verified.
      return false;
    }
  }

  @Override
  public byte[] marshal() {
    return Keys.marshalPublic(KeyType.ED25519, raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PublicKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "Ed25519PublicKey[" + HexFormat.of().formatHex(raw) + "]";
  }
}
