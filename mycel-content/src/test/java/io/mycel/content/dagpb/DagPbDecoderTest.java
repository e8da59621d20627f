package io.mycel.content.dagpb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DagPbDecoderTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String LINK_1 =
      "12240a221220cf92fdefcdc34cac009c8b05eb662be0618db9de55ecd42785e9ec6712f8df65";

  private static PBNode decodeHex(String hex) {
    return DagPbDecoder.decode(HEX.parseHex(hex));
  }

  @Test
  void randomNodesRoundTrip() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      int n = random.nextInt(20);
      List<String> names = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        names.add(Integer.toString(random.nextInt(1000)) + "é☃");
      }
      names.sort((a, b) -> java.util.Arrays.compareUnsigned(
          a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          b.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      List<PBLink> links = new ArrayList<>();
      for (String name : names) {
        byte[] payload = new byte[random.nextInt(50)];
        random.nextBytes(payload);
        Cid cid = random.nextBoolean() ? Cid.v0(Multihash.sha2_256(payload))
            : Cid.v1(Multicodec.RAW, Multihash.sha2_256(payload));
        links.add(new PBLink(cid, random.nextBoolean() ? Optional.of(name) : Optional.empty(),
            random.nextBoolean() ? OptionalLong.of(random.nextLong(Long.MAX_VALUE))
                : OptionalLong.empty()));
      }
      links.sort((a, b) -> java.util.Arrays.compareUnsigned(
          a.nameOrEmpty().getBytes(java.nio.charset.StandardCharsets.UTF_8),
          b.nameOrEmpty().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      byte[] data = null;
      if (random.nextBoolean()) {
        data = new byte[random.nextInt(300)];
        random.nextBytes(data);
      }
      PBNode node = new PBNode(links, data);
      byte[] block = DagPbEncoder.encode(node);
      assertThat(DagPbDecoder.decode(block)).isEqualTo(node);
      assertThat(DagPbEncoder.encode(DagPbDecoder.decode(block))).isEqualTo(block);
    }
  }

  @Test
  void encoderRejectsUnsortedLinks() {
    Cid raw = Cid.parse("bafkqabiaaebagba");
    assertThatThrownBy(() -> DagPbEncoder.encode(
        List.of(PBLink.of(raw, "b", 1), PBLink.of(raw, "a", 1)), null))
        .isInstanceOf(DagPbFormatException.class).hasMessageContaining("sorted");
  }

  // codec-fixtures negative-fixtures/dag-pb/decode/edges.json, one test each

  @Test
  void linkWithNoHash() {
    assertThatThrownBy(() -> decodeHex("1200")).isInstanceOf(DagPbFormatException.class)
        .hasMessageContaining("no Hash");
  }

  @Test
  void dataAndLinkWithNoHash() {
    assertThatThrownBy(() -> decodeHex("12000a050001020304"))
        .isInstanceOf(DagPbFormatException.class).hasMessageContaining("no Hash");
  }

  @Test
  void linkWithZeroLengthHash() {
    assertThatThrownBy(() -> decodeHex("12020a00")).isInstanceOf(DagPbFormatException.class)
        .hasMessageContaining("invalid Hash");
  }

  @Test
  void linkWithOnlyAName() {
    assertThatThrownBy(() -> decodeHex("120b1209736f6d65206e616d65"))
        .isInstanceOf(DagPbFormatException.class).hasMessageContaining("no Hash");
  }

  @Test
  void linkWithOnlyATsize() {
    assertThatThrownBy(() -> decodeHex("120318f207"))
        .isInstanceOf(DagPbFormatException.class).hasMessageContaining("no Hash");
  }

  @Test
  void dataBetweenLinks() {
    assertThatThrownBy(() -> decodeHex(LINK_1 + "0a04080218061" + "2" + LINK_1.substring(2)))
        .isInstanceOf(DagPbFormatException.class).hasMessageContaining("duplicate Links");
  }

  // further malformed forms

  @Test
  void duplicateData() {
    assertThatThrownBy(() -> decodeHex("0a01000a0100")).isInstanceOf(DagPbFormatException.class)
        .hasMessageContaining("duplicate Data");
  }

  @Test
  void unknownNodeField() {
    assertThatThrownBy(() -> decodeHex("1a0100")).isInstanceOf(DagPbFormatException.class)
        .hasMessageContaining("unexpected field 3");
  }

  @Test
  void dataWithWrongWireType() {
    assertThatThrownBy(() -> decodeHex("0801")).isInstanceOf(DagPbFormatException.class)
        .hasMessageContaining("wrong wire type");
  }

  @Test
  void linksWithWrongWireType() {
    assertThatThrownBy(() -> decodeHex("1001")).isInstanceOf(DagPbFormatException.class)
        .hasMessageContaining("wrong wire type");
  }

  @Test
  void unknownLinkField() {
    assertThatThrownBy(() -> decodeHex("120d0a090155000500010203042001"))
        .isInstanceOf(DagPbFormatException.class).hasMessageContaining("unexpected field 4");
  }

  @Test
  void tsizeWithWrongWireType() {
    assertThatThrownBy(() -> decodeHex("120e0a090155000500010203041a0100"))
        .isInstanceOf(DagPbFormatException.class).hasMessageContaining("wrong wire type");
  }

  @Test
  void linkFieldsOutOfOrder() {
    assertThatThrownBy(() -> decodeHex("12100a09015500050001020304180112017a"))
        .isInstanceOf(DagPbFormatException.class).hasMessageContaining("after field 3");
  }

  @Test
  void duplicateLinkName() {
    assertThatThrownBy(() -> decodeHex("12110a0901550005000102030412017a12017a"))
        .isInstanceOf(DagPbFormatException.class).hasMessageContaining("duplicate field 2");
  }

  @Test
  void hashThatIsNotACid() {
    assertThatThrownBy(() -> decodeHex("12050a03050607")).isInstanceOf(DagPbFormatException.class)
        .hasMessageContaining("invalid Hash");
  }

  @Test
  void hashWithTrailingBytes() {
    assertThatThrownBy(() -> decodeHex("120c0a0a0155000500010203040f"))
        .isInstanceOf(DagPbFormatException.class).hasMessageContaining("invalid Hash");
  }

  @Test
  void truncatedBlock() {
    String full = LINK_1;
    assertThatThrownBy(() -> decodeHex(full.substring(0, full.length() - 2)))
        .isInstanceOf(DagPbFormatException.class).hasMessageContaining("remain");
  }

  @Test
  void truncatedVarint() {
    assertThatThrownBy(() -> decodeHex("0a")).isInstanceOf(DagPbFormatException.class)
        .hasMessageContaining("truncated varint");
  }

  @Test
  void absurdLengthPrefix() {
    assertThatThrownBy(() -> decodeHex("0affffffff0f00")).isInstanceOf(DagPbFormatException.class)
        .hasMessageContaining("declares 4294967295 bytes");
  }

  @Test
  void varintLongerThan64Bits() {
    assertThatThrownBy(() -> decodeHex("12170a09015500050001020304188080808080808080808001"))
        .isInstanceOf(DagPbFormatException.class).hasMessageContaining("overflows");
  }

  @Test
  void tsizeAbove63Bits() {
    assertThatThrownBy(() -> decodeHex("12160a0901550005000102030418ffffffffffffffffff01"))
        .isInstanceOf(DagPbFormatException.class).hasMessageContaining("Tsize of link 0 exceeds");
  }

  @Test
  void blockOverTheSizeLimit() {
    byte[] big = new byte[DagPbLimits.DEFAULT_MAX_BLOCK_SIZE + 1];
    assertThatThrownBy(() -> DagPbDecoder.decode(big)).isInstanceOf(DagPbFormatException.class)
        .hasMessageContaining("exceeds the limit");
  }

  @Test
  void tooManyLinks() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] link = HEX.parseHex("120b0a09015500050001020304");
    for (int i = 0; i < 11; i++) {
      out.writeBytes(link);
    }
    DagPbDecoder decoder = new DagPbDecoder(new DagPbLimits(1024, 10));
    assertThatThrownBy(() -> decoder.decodeNode(out.toByteArray()))
        .isInstanceOf(DagPbFormatException.class).hasMessageContaining("more than 10 links");
  }

  @Test
  void linkDecoderFollowsDagPbAndIgnoresOtherCodecs() {
    byte[] block = HEX.parseHex(LINK_1);
    DagPbLinkDecoder decoder = new DagPbLinkDecoder();
    Multihash mh = Multihash.sha2_256(block);
    assertThat(decoder.links(Cid.v1(Multicodec.DAG_PB, mh), block))
        .containsExactly(Cid.fromBytes(HEX.parseHex(LINK_1.substring(8))));
    assertThat(decoder.links(Cid.v0(mh), block)).hasSize(1);
    assertThat(decoder.links(Cid.v1(Multicodec.RAW, mh), block)).isEmpty();
    assertThat(decoder.links(Cid.v1(Multicodec.DAG_CBOR, mh), new byte[] {(byte) 0xa0}))
        .isEmpty();
    assertThatThrownBy(() -> decoder.links(Cid.v1(Multicodec.DAG_PB, mh), HEX.parseHex("1200")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
