package io.mycel.core.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A Secp256k1 public key: the 33-byte compressed point. It can name a peer, but the JDK has no
 * secp256k1 curve, so verification is not available.
 */
final class Secp256k1PublicKey implements PublicKey {

  static final int COMPRESSED_LENGTH = 33;

  private final byte[] compressed;

  private Secp256k1PublicKey(byte[] compressed) {
    this.compressed = compressed.clone();
  }

  static Secp256k1PublicKey fromCompressed(byte[] data) {
    if (data.length != COMPRESSED_LENGTH || (data[0] != 0x02 && data[0] != 0x03)) {
      throw new IllegalArgumentException("Secp256k1 public key must be a 33-byte compressed point");
    }
    return new Secp256k1PublicKey(data);
  }

  @Override
  public KeyType type() {
    return KeyType.SECP256K1;
  }

  @Override
  public byte[] raw() {
    return compressed.clone();
  }

  /**
   * Not available.
   *
   * @throws UnsupportedKeyTypeException always
   */
  @Override
  public boolean verify(byte[] data, byte[] signature) {
    throw new UnsupportedKeyTypeException("Secp256k1 signature verification is not supported");
  }

  @Override
  public byte[] marshal() {
    return Keys.marshalPublic(KeyType.SECP256K1, compressed);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secp256k1PublicKey other && Arrays.equals(compressed, other.compressed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(compressed);
  }

  @Override
  public String toString() {
    return "Secp256k1PublicKey[" + HexFormat.of().formatHex(compressed) + "]";
  }
}
