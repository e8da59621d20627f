package io.mycel.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Signatures made by OpenSSL 3.0 ({@code openssl dgst -sha256 -sign} with secp256k1 keys) over
 * the message below, with the signers' compressed public keys.
 */
class Secp256k1Test {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] MESSAGE = "mycel secp256k1 vector".getBytes(StandardCharsets.UTF_8);

  private static PublicKey key(String compressedHex) {
    return Keys.unmarshalPublicKey(
        Keys.marshalPublic(KeyType.SECP256K1, HEX.parseHex(compressedHex)));
  }

  @ParameterizedTest
  @CsvSource({
    "023d3d2784864063b807721d94f1340656b689594930fce770805dd7b3f955a3ba, "
        + "304402202818b8479fa4d3460e9aae66851c307214fce3d1b1e4d07e521014c8fc78dd92022044d59d1c49"
        + "fe6a48ef7b6a6c9032bcc0b22a74176dc3dc252e32e7403f2fda01",
    "022a4818761addc48a25764145bf4fc2684856ed2b7b2df31878286f3ae562e754, "
        + "304402201d7364d27086363ce0a723aa1aaa6c79649fa101e07e01b13b4e2d09e3e529b90220312c439d08"
        + "3e3b213a2793119a3dd4b17b7a16e4d49edfbb3ff19b95829308cd",
    "03c258292e48c956a83cf225260d859f944753147fdea7366ad96ab99f964b5f29, "
        + "3046022100c4e0f51d17c828695b9bb466431eb18f523d9065874434f9de26ff50537c87fd022100f0eba0"
        + "b4297f01fc45cad7a23becca7374adf7ea4efe66e7103d418252dcb81b",
    "0314a888bcd8172b749054763590570b4548d1403b320b765e58e5ca9dea436b6c, "
        + "3046022100e9b224624e64df5c38488ad39bb067235b29cd93e01696d3ab4748b9dadfca4d022100a4ade6"
        + "8ea05ff803fac29044082439de95df367188a4e0c5de540e1451c6dca4",
    "033f420f95b00d46cee6b91dbb5b09c444bd2a5561179dfe4dca944b78605b8abc, "
        + "30440220778c780201986a6fc7a77e3bfda238bdf04b9ee98657ffed348354c82aab218302203100a1bd0c"
        + "a53616c9f761ba22b24dbc2d5cbe20d194bbb54871d36d5a8e23dc",
    "034178a001e44b608b992f8905cc8df5ffacfb3fa8dff218a92ea845f10f2d0bff, "
        + "3045022016dc6a0eedfbc9afa63f48291488c659d5903fbe3307ceaee434b9e1655185ea022100803c5bb7"
        + "318da0d2faef9bff59e9a817abcec494e15558d99889c3bfc35d0dbe",
    "0269744eed58d7accb60000adf4725a4d050d66a7060e59cd12717dcb6fb671c55, "
        + "3046022100ab4dbaebdbf719febb3db23b1e86331935f89bf109df2695d4c10dba5952b88f02210087e3de"
        + "9a3d1ebbdbc574c701e48f26a725c6da6353cf42fac5642f78233efa82",
  })
  void verifiesOpenSslSignatures(String pub, String sig) {
    PublicKey key = key(pub);
    assertThat(key.verify(MESSAGE, HEX.parseHex(sig))).isTrue();
    assertThat(key.verify("another message".getBytes(StandardCharsets.UTF_8), HEX.parseHex(sig)))
        .isFalse();
    byte[] tampered = HEX.parseHex(sig);
    tampered[10] ^= 1;
    assertThat(key.verify(MESSAGE, tampered)).isFalse();
  }

  @Test
  void signatureOfAnotherKeyDoesNotVerify() {
    PublicKey other = key("022a4818761addc48a25764145bf4fc2684856ed2b7b2df31878286f3ae562e754");
    byte[] sig = HEX.parseHex("304402202818b8479fa4d3460e9aae66851c307214fce3d1b1e4d07e521014c8fc7"
        + "8dd92022044d59d1c49fe6a48ef7b6a6c9032bcc0b22a74176dc3dc252e32e7403f2fda01");
    assertThat(other.verify(MESSAGE, sig)).isFalse();
  }

  @Test
  void rejectsNonMinimalDerInteger() {
    PublicKey key = key("023d3d2784864063b807721d94f1340656b689594930fce770805dd7b3f955a3ba");
    // r padded with a needless leading zero byte.
    byte[] sig = HEX.parseHex("30450221002818b8479fa4d3460e9aae66851c307214fce3d1b1e4d07e521014c8f"
        + "c78dd92022044d59d1c49fe6a48ef7b6a6c9032bcc0b22a74176dc3dc252e32e7403f2fda01");
    assertThat(key.verify(MESSAGE, sig)).isFalse();
  }

  @Test
  void rejectsPointNotOnCurve() {
    // x = 5: 5^3 + 7 = 132 is not a square modulo p.
    String notOnCurve = "02" + "00".repeat(31) + "05";
    assertThatThrownBy(() -> key(notOnCurve))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not on the curve");
  }

  @Test
  void rejectsUncompressedPoint() {
    assertThatThrownBy(() -> key("04" + "11".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsXOutOfRange() {
    assertThatThrownBy(() -> key("02" + "ff".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
