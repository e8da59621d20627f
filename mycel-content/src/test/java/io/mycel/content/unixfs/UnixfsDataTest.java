package io.mycel.content.unixfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class UnixfsDataTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void encodesAsTheReferenceDoes() {
    assertThat(HEX.formatHex(UnixfsData.directory().encode())).isEqualTo("0801");
    assertThat(HEX.formatHex(UnixfsData.file(new byte[0], new long[0]).encode()))
        .isEqualTo("08021800");
    assertThat(HEX.formatHex(UnixfsData.file(null, new long[] {262144, 5}).encode()))
        .isEqualTo("080218858010208080102005");
    assertThat(HEX.formatHex(UnixfsData.hamtShard(new byte[] {1}, 256).encode()))
        .isEqualTo("08051201012822308002");
  }

  @Test
  void roundTrips() {
    UnixfsData data = UnixfsData.file("abc".getBytes(), new long[] {7, 9});
    assertThat(UnixfsData.decode(data.encode())).isEqualTo(data);
  }

  @Test
  void unknownFieldIsRejected() {
    assertThatThrownBy(() -> UnixfsData.decode(HEX.parseHex("08024801")))
        .isInstanceOf(UnixfsFormatException.class).hasMessageContaining("unknown fields");
  }

  @Test
  void missingTypeIsRejected() {
    assertThatThrownBy(() -> UnixfsData.decode(HEX.parseHex("1800")))
        .isInstanceOf(UnixfsFormatException.class).hasMessageContaining("no type");
  }

  @Test
  void blockSizeAbove63BitsIsRejected() {
    assertThatThrownBy(() -> UnixfsData.decode(HEX.parseHex("080220ffffffffffffffffff01")))
        .isInstanceOf(UnixfsFormatException.class).hasMessageContaining("exceeds 2^63-1");
  }

  @Test
  void chunkerSpecs() {
    assertThat(ImportOptions.parseChunker("size-262144")).isEqualTo(262144);
    assertThatThrownBy(() -> ImportOptions.parseChunker("rabin-1-2-3"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only fixed-size");
    assertThatThrownBy(() -> ImportOptions.parseChunker("size-0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImportOptions.parseChunker("size-2000000"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void knobsOverrideAProfile() {
    ImportOptions o = ImportOptions.builder(UnixfsProfile.UNIXFS_V0_2015).rawLeaves(true)
        .chunker("size-1000").build();
    assertThat(o.cidVersion()).isZero();
    assertThat(o.rawLeaves()).isTrue();
    assertThat(o.chunkSize()).isEqualTo(1000);
    assertThat(o.maxLinksPerNode()).isEqualTo(174);
    assertThat(UnixfsProfile.fromId("unixfs-v1-2025")).isEqualTo(UnixfsProfile.UNIXFS_V1_2025);
  }
}
