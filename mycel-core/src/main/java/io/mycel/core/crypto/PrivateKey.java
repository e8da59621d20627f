package io.mycel.core.crypto;

/** A private key of any libp2p key type. Implementations are immutable. */
public interface PrivateKey {

  KeyType type();

  /**
   * The key bytes carried in the protobuf {@code Data} field; for Ed25519 the 32-byte seed
   * followed by the 32-byte public key.
   */
  byte[] raw();

  /** Signs {@code data}. */
  byte[] sign(byte[] data);

  PublicKey publicKey();

  /** The deterministic libp2p protobuf {@code PrivateKey} encoding. */
  byte[] marshal();
}
