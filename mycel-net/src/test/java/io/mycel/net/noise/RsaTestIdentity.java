package io.mycel.net.noise;

import com.google.protobuf.ByteString;
import io.mycel.core.crypto.KeyType;
import io.mycel.core.crypto.Keys;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.crypto.PublicKey;
import io.mycel.core.crypto.pb.CryptoProtos;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;

/** An RSA identity for tests: signs as libp2p RSA keys do (PKCS#1 v1.5 over SHA-256). */
final class RsaTestIdentity implements PrivateKey {
  private final KeyPair pair;
  private final PublicKey publicKey;

  RsaTestIdentity() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    byte[] marshalled =
        CryptoProtos.PublicKey.newBuilder()
            .setType(CryptoProtos.KeyType.RSA)
            .setData(ByteString.copyFrom(pair.getPublic().getEncoded()))
            .build()
            .toByteArray();
    publicKey = Keys.unmarshalPublicKey(marshalled);
  }

  @Override
  public KeyType type() {
    return KeyType.RSA;
  }

  @Override
  public byte[] raw() {
    return pair.getPrivate().getEncoded();
  }

  @Override
  public byte[] sign(byte[] data) {
    try {
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(pair.getPrivate());
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public byte[] marshal() {
    throw new UnsupportedOperationException("not needed in tests");
  }
}
