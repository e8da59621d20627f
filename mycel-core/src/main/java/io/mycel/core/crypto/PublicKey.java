package io.mycel.core.crypto;

/**
 * A public key of any libp2p key type. Implementations are immutable and equal when type and
 * raw bytes are equal.
 */
public interface PublicKey {

  KeyType type();

  /**
   * The key bytes carried in the protobuf {@code Data} field: 32 bytes for Ed25519, the
   * compressed point for Secp256k1, DER SubjectPublicKeyInfo for RSA and ECDSA.
   */
  byte[] raw();

  /** Whether {@code signature} is a valid signature of {@code data} by this key. */
  boolean verify(byte[] data, byte[] signature);

  /** The deterministic libp2p protobuf {@code PublicKey} encoding. */
  byte[] marshal();
}
