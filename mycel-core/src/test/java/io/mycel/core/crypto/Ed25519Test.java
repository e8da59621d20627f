package io.mycel.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 8032 section 7.1 test vectors. */
class Ed25519Test {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void rfc8032TestOneEmptyMessage() {
    PrivateKey key = Ed25519.fromSeed(
        HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertThat(key.publicKey().raw()).isEqualTo(
        HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    byte[] expected = HEX.parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    assertThat(key.sign(new byte[0])).isEqualTo(expected);
    assertThat(key.publicKey().verify(new byte[0], expected)).isTrue();
  }

  @Test
  void rfc8032TestTwoOneByteMessage() {
    PrivateKey key = Ed25519.fromSeed(
        HEX.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
    assertThat(key.publicKey().raw()).isEqualTo(
        HEX.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"));
    byte[] expected = HEX.parseHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
    assertThat(key.sign(HEX.parseHex("72"))).isEqualTo(expected);
    PublicKey pub = Ed25519.publicKeyFromRaw(key.publicKey().raw());
    assertThat(pub.verify(HEX.parseHex("72"), expected)).isTrue();
    assertThat(pub).isEqualTo(key.publicKey());
  }

  @Test
  void generatedKeysSignAndVerify() {
    PrivateKey key = Ed25519.generate();
    byte[] sig = key.sign(new byte[] {1, 2, 3});
    assertThat(key.publicKey().verify(new byte[] {1, 2, 3}, sig)).isTrue();
    assertThat(Ed25519.generate().publicKey().verify(new byte[] {1, 2, 3}, sig)).isFalse();
  }

  @Test
  void tamperedSignatureDoesNotVerify() {
    PrivateKey key = Ed25519.generate();
    byte[] sig = key.sign(new byte[] {9});
    sig[10] ^= 0x40;
    assertThat(key.publicKey().verify(new byte[] {9}, sig)).isFalse();
  }

  @Test
  void shortSignatureDoesNotVerify() {
    PrivateKey key = Ed25519.generate();
    assertThat(key.publicKey().verify(new byte[] {9}, new byte[63])).isFalse();
  }

  @Test
  void rejectsShortSeed() {
    assertThatThrownBy(() -> Ed25519.fromSeed(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsLongPublicKey() {
    assertThatThrownBy(() -> Ed25519.publicKeyFromRaw(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void privateKeyToStringHidesTheSecret() {
    PrivateKey key = Ed25519.fromSeed(
        HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertThat(key.toString()).doesNotContain("9d61b19d");
  }
}
