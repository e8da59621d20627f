package io.mycel.core.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.mycel.core.crypto.pb.CryptoProtos;

/**
 * Encoding and decoding of the libp2p key envelope.
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md#keys">libp2p
 *     peer-ids: keys</a>
 */
public final class Keys {

  /**
   * Largest encoded key accepted. An 8192-bit RSA public key in DER is about 1.1 KiB; anything
   * much larger is not a key.
   */
  public static final int MAX_ENCODED_KEY_LENGTH = 4096;

  private Keys() {}

  /**
   * Decodes a protobuf {@code PublicKey}.
   *
   * @throws UnsupportedKeyTypeException if the key type, curve or size is not supported
   * @throws IllegalArgumentException if the bytes are not a valid public key
   */
  public static PublicKey unmarshalPublicKey(byte[] protobuf) {
    checkLength(protobuf);
    CryptoProtos.PublicKey pb;
    try {
      pb = CryptoProtos.PublicKey.parseFrom(protobuf);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed public key protobuf: " + e.getMessage(), e);
    }
    byte[] data = pb.getData().toByteArray();
    return switch (pb.getType()) {
      case Ed25519 -> Ed25519.publicKeyFromRaw(data);
      case RSA -> RsaPublicKey.fromDer(data);
      case ECDSA -> EcdsaPublicKey.fromDer(data);
      case Secp256k1 -> Secp256k1PublicKey.fromCompressed(data);
    };
  }

  /**
   * Decodes a protobuf {@code PrivateKey}.
   *
   * @throws UnsupportedKeyTypeException for key types other than Ed25519
   * @throws IllegalArgumentException if the bytes are not a valid private key
   */
  public static PrivateKey unmarshalPrivateKey(byte[] protobuf) {
    checkLength(protobuf);
    CryptoProtos.PrivateKey pb;
    try {
      pb = CryptoProtos.PrivateKey.parseFrom(protobuf);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed private key protobuf: " + e.getMessage(), e);
    }
    if (pb.getType() != CryptoProtos.KeyType.Ed25519) {
      throw new UnsupportedKeyTypeException(
          "private keys of type " + pb.getType() + " are not supported");
    }
    return Ed25519.privateKeyFromLibp2p(pb.getData().toByteArray());
  }

  static byte[] marshalPublic(KeyType type, byte[] data) {
    return CryptoProtos.PublicKey.newBuilder()
        .setType(CryptoProtos.KeyType.forNumber(type.number()))
        .setData(ByteString.copyFrom(data))
        .build()
        .toByteArray();
  }

  static byte[] marshalPrivate(KeyType type, byte[] data) {
    return CryptoProtos.PrivateKey.newBuilder()
        .setType(CryptoProtos.KeyType.forNumber(type.number()))
        .setData(ByteString.copyFrom(data))
        .build()
        .toByteArray();
  }

  private static void checkLength(byte[] protobuf) {
    if (protobuf.length > MAX_ENCODED_KEY_LENGTH) {
      throw new IllegalArgumentException("encoded key of " + protobuf.length
          + " bytes exceeds " + MAX_ENCODED_KEY_LENGTH);
    }
  }
}
