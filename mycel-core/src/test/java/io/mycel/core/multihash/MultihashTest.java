package io.mycel.core.multihash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.multicodec.Multicodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Examples of the multihash spec, and invalid multihashes. */
class MultihashTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] MERKLE = "Merkle–Damgård".getBytes(StandardCharsets.UTF_8);

  @Test
  void sha256OfSpecExample() {
    Multihash mh = Multihash.sha2_256(MERKLE);
    assertThat(mh.toString()).isEqualTo(
        "122041dd7b6443542e75701aa98a0c235951a28a0d851b11564d20022ab11d2589a8");
    assertThat(Multihash.fromBytes(mh.bytes())).isEqualTo(mh);
    assertThat(mh.matches(MERKLE)).isTrue();
    assertThat(mh.matches(new byte[0])).isFalse();
  }

  @Test
  void sha512OfSpecExample() {
    Multihash mh = Multihash.digest(Multicodec.SHA2_512, MERKLE);
    assertThat(mh.toString()).isEqualTo("134052eb4dd19f1ec522859e12d89706156570f8fbab1824870bc6f8c"
        + "7d235eef5f4c2cbbafd365f96fb12b1d98a0334870c2ce90355da25e6a1108a6e17c4aaebb0");
  }

  @Test
  void identityCarriesData() {
    Multihash mh = Multihash.identity(new byte[] {7, 8});
    assertThat(mh.bytes()).isEqualTo(new byte[] {0, 2, 7, 8});
    assertThat(mh.matches(new byte[] {7, 8})).isTrue();
  }

  @Test
  void truncatedDigestMatchesPrefix() {
    byte[] full = Multihash.sha2_256(MERKLE).digest();
    Multihash truncated = Multihash.of(Multicodec.SHA2_256, Arrays.copyOf(full, 20));
    assertThat(truncated.matches(MERKLE)).isTrue();
  }

  @Test
  void rejectsDeclaredLengthBeyondData() {
    assertThatThrownBy(() -> Multihash.fromBytes(HEX.parseHex("1220abcd")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("declares 32");
  }

  @Test
  void rejectsTrailingData() {
    assertThatThrownBy(() -> Multihash.fromBytes(HEX.parseHex("0001aabb")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsMissingLength() {
    assertThatThrownBy(() -> Multihash.fromBytes(HEX.parseHex("12")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void rejectsHugeDeclaredLength() {
    assertThatThrownBy(() -> Multihash.fromBytes(HEX.parseHex("00ffffffff0f")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds");
  }

  @Test
  void rejectsNonMinimalCode() {
    assertThatThrownBy(() -> Multihash.fromBytes(HEX.parseHex("928000")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownFunctionCannotHash() {
    assertThatThrownBy(() -> Multihash.digest(0xb220, new byte[0]))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
