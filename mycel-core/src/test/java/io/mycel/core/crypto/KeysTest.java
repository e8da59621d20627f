package io.mycel.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Key vectors of the libp2p peer-ids spec ("Test vectors" section), and bad keys. */
class KeysTest {

  private static final HexFormat HEX = HexFormat.of();

  static final String ED25519_PRIVATE = "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e14"
      + "8ec9da60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  static final String ED25519_PUBLIC =
      "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  static final String ECDSA_PUBLIC = "0803125b3059301306072a8648ce3d020106082a8648ce3d030107034200"
      + "04de3d300fa36ae0e8f5d530899d83abab44abf3161f162a4bc901d8e6ecda020e8b6d5f8da30525e71d68515"
      + "10c098e5c47c646a597fb4dcec034e9f77c409e62";
  static final String SECP256K1_PUBLIC =
      "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99";
  static final String RSA_PUBLIC = KeysTestVectors.RSA_PUBLIC;

  @Test
  void ed25519PrivateKeyVectorRoundTrips() {
    PrivateKey key = Keys.unmarshalPrivateKey(HEX.parseHex(ED25519_PRIVATE));
    assertThat(key.type()).isEqualTo(KeyType.ED25519);
    assertThat(key.marshal()).isEqualTo(HEX.parseHex(ED25519_PRIVATE));
    assertThat(key.publicKey().marshal()).isEqualTo(HEX.parseHex(ED25519_PUBLIC));
  }

  @Test
  void ed25519PublicKeyVectorRoundTrips() {
    PublicKey key = Keys.unmarshalPublicKey(HEX.parseHex(ED25519_PUBLIC));
    assertThat(key.type()).isEqualTo(KeyType.ED25519);
    assertThat(key.raw()).isEqualTo(HEX.parseHex(ED25519_PUBLIC.substring(8)));
    assertThat(key.marshal()).isEqualTo(HEX.parseHex(ED25519_PUBLIC));
  }

  @Test
  void ed25519SignaturesVerifyAcrossTheEnvelope() {
    PrivateKey key = Keys.unmarshalPrivateKey(HEX.parseHex(ED25519_PRIVATE));
    byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
    byte[] sig = key.sign(data);
    PublicKey pub = Keys.unmarshalPublicKey(HEX.parseHex(ED25519_PUBLIC));
    assertThat(pub.verify(data, sig)).isTrue();
    assertThat(pub.verify("hellp".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
  }

  @Test
  void ecdsaPublicKeyVectorRoundTrips() {
    PublicKey key = Keys.unmarshalPublicKey(HEX.parseHex(ECDSA_PUBLIC));
    assertThat(key.type()).isEqualTo(KeyType.ECDSA);
    assertThat(key.marshal()).isEqualTo(HEX.parseHex(ECDSA_PUBLIC));
  }

  @Test
  void rsaPublicKeyVectorRoundTrips() {
    PublicKey key = Keys.unmarshalPublicKey(HEX.parseHex(RSA_PUBLIC));
    assertThat(key.type()).isEqualTo(KeyType.RSA);
    assertThat(key.marshal()).isEqualTo(HEX.parseHex(RSA_PUBLIC));
  }

  @Test
  void secp256k1PublicKeyVectorRoundTrips() {
    PublicKey key = Keys.unmarshalPublicKey(HEX.parseHex(SECP256K1_PUBLIC));
    assertThat(key.type()).isEqualTo(KeyType.SECP256K1);
    assertThat(key.marshal()).isEqualTo(HEX.parseHex(SECP256K1_PUBLIC));
  }

  @Test
  void verifiesEcdsaP256Signature() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = gen.generateKeyPair();
    byte[] data = "ecdsa".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pair.getPrivate());
    signer.update(data);
    byte[] sig = signer.sign();

    PublicKey key = Keys.unmarshalPublicKey(Keys.marshalPublic(KeyType.ECDSA,
        pair.getPublic().getEncoded()));
    assertThat(key.verify(data, sig)).isTrue();
    assertThat(key.verify("other".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
    assertThat(key.verify(data, new byte[] {1, 2, 3})).isFalse();
  }

  @Test
  void verifiesRsaSignature() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair pair = gen.generateKeyPair();
    byte[] data = "rsa".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(pair.getPrivate());
    signer.update(data);
    byte[] sig = signer.sign();

    PublicKey key = Keys.unmarshalPublicKey(Keys.marshalPublic(KeyType.RSA,
        pair.getPublic().getEncoded()));
    assertThat(key.verify(data, sig)).isTrue();
    assertThat(key.verify("other".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
  }

  @Test
  void rejectsSmallRsaKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(1024);
    byte[] der = gen.generateKeyPair().getPublic().getEncoded();
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(Keys.marshalPublic(KeyType.RSA, der)))
        .isInstanceOf(UnsupportedKeyTypeException.class)
        .hasMessageContaining("1024 bits");
  }

  @Test
  void rejectsGarbageRsaDer() {
    byte[] pb = Keys.marshalPublic(KeyType.RSA, new byte[] {0x30, 0x03, 0x01, 0x02, 0x03});
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(pb))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed RSA");
  }

  @Test
  void rejectsEd25519KeyOfWrongLength() {
    byte[] pb = Keys.marshalPublic(KeyType.ED25519, new byte[31]);
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(pb))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }

  @Test
  void rejectsProtobufWithoutData() {
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(HEX.parseHex("0801")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed public key protobuf");
  }

  @Test
  void rejectsUnknownKeyTypeNumber() {
    byte[] pb = HEX.parseHex("0809120100");
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(pb))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsTruncatedProtobuf() {
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(HEX.parseHex(ED25519_PUBLIC.substring(0, 40))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsOversizedEncoding() {
    byte[] huge = new byte[Keys.MAX_ENCODED_KEY_LENGTH + 1];
    assertThatThrownBy(() -> Keys.unmarshalPublicKey(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds");
  }

  @Test
  void rejectsSecp256k1PrivateKey() {
    byte[] pb = Keys.marshalPrivate(KeyType.SECP256K1, new byte[32]);
    assertThatThrownBy(() -> Keys.unmarshalPrivateKey(pb))
        .isInstanceOf(UnsupportedKeyTypeException.class);
  }

  @Test
  void secp256k1GarbageSignatureDoesNotVerify() {
    PublicKey key = Keys.unmarshalPublicKey(HEX.parseHex(SECP256K1_PUBLIC));
    assertThat(key.verify(new byte[1], new byte[70])).isFalse();
  }

  @Test
  void rejectsEd25519PrivateKeyWithMismatchedPublicHalf() {
    byte[] raw = HEX.parseHex(ED25519_PRIVATE.substring(8));
    raw[63] ^= 1;
    byte[] pb = Keys.marshalPrivate(KeyType.ED25519, raw);
    assertThatThrownBy(() -> Keys.unmarshalPrivateKey(pb))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void acceptsLegacyNinetySixBytePrivateKey() {
    byte[] raw64 = HEX.parseHex(ED25519_PRIVATE.substring(8));
    byte[] raw96 = new byte[96];
    System.arraycopy(raw64, 0, raw96, 0, 64);
    System.arraycopy(raw64, 32, raw96, 64, 32);
    PrivateKey key = Keys.unmarshalPrivateKey(Keys.marshalPrivate(KeyType.ED25519, raw96));
    assertThat(key.marshal()).isEqualTo(HEX.parseHex(ED25519_PRIVATE));
  }

  @Test
  void rejectsLegacyPrivateKeyWithDifferingCopies() {
    byte[] raw64 = HEX.parseHex(ED25519_PRIVATE.substring(8));
    byte[] raw96 = new byte[96];
    System.arraycopy(raw64, 0, raw96, 0, 64);
    byte[] pb = Keys.marshalPrivate(KeyType.ED25519, raw96);
    assertThatThrownBy(() -> Keys.unmarshalPrivateKey(pb))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched");
  }
}
