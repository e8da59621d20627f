package io.mycel.core.crypto;

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
    // False for a key that is not a valid curve point and for a non-canonical signature as well.
    return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
        signature, 0, raw, 0, data, 0, data.length);
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
