package io.mycel.core.cid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.multibase.Multibase;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Examples of the CID spec, and invalid CIDs. */
class CidTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String V0 = "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n";
  private static final String V1 = "bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

  @Test
  void parsesV0() {
    Cid cid = Cid.parse(V0);
    assertThat(cid.version()).isZero();
    assertThat(cid.codec()).isEqualTo(Multicodec.DAG_PB);
    assertThat(cid.multihash().code()).isEqualTo(Multicodec.SHA2_256);
    assertThat(cid.toString()).isEqualTo(V0);
    assertThat(cid.bytes()).hasSize(34);
  }

  @Test
  void convertsV0ToV1AndBack() {
    Cid v1 = Cid.parse(V0).toV1();
    assertThat(v1.toString()).isEqualTo(V1);
    assertThat(Cid.parse(V1)).isEqualTo(v1);
    assertThat(v1.toV0().toString()).isEqualTo(V0);
    assertThat(v1.bytes()).startsWith(0x01, 0x70, 0x12, 0x20);
  }

  @Test
  void v1InOtherBasesParsesToTheSameCid() {
    Cid v1 = Cid.parse(V1);
    for (Multibase base : Multibase.values()) {
      assertThat(Cid.parse(v1.toString(base))).as(base.name()).isEqualTo(v1);
    }
  }

  @Test
  void rawBlockCidOfHelloWorld() {
    Multihash mh = Multihash.sha2_256("hello world".getBytes(StandardCharsets.UTF_8));
    Cid cid = Cid.v1(Multicodec.RAW, mh);
    assertThat(cid.toString())
        .isEqualTo("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
  }

  @Test
  void readsCidsBackToBack() {
    Cid a = Cid.parse(V0);
    Cid b = Cid.parse(V1);
    ByteBuffer buf = ByteBuffer.allocate(a.bytes().length + b.bytes().length);
    buf.put(a.bytes()).put(b.bytes()).flip();
    assertThat(Cid.read(buf)).isEqualTo(a);
    assertThat(Cid.read(buf)).isEqualTo(b);
    assertThat(buf.hasRemaining()).isFalse();
  }

  @Test
  void v0HasNoOtherBase() {
    assertThatThrownBy(() -> Cid.parse(V0).toString(Multibase.BASE32))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rawCidHasNoV0Form() {
    Cid cid = Cid.v1(Multicodec.RAW, Multihash.sha2_256(new byte[0]));
    assertThatThrownBy(cid::toV0).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsMultibaseEncodedV0() {
    String encoded = Multibase.encode(Multibase.BASE32, Cid.parse(V0).bytes());
    assertThatThrownBy(() -> Cid.parse(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CIDv0");
  }

  @Test
  void rejectsShortMultihashLength() {
    byte[] bytes = Cid.parse(V1).bytes();
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 1);
    assertThatThrownBy(() -> Cid.fromBytes(truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("declares 32");
  }

  @Test
  void rejectsTrailingBytes() {
    byte[] bytes = Cid.parse(V1).bytes();
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> Cid.fromBytes(longer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void rejectsDigestLongerThanTheHash() {
    // sha2-256 declaring a 33-byte digest.
    byte[] bytes = HEX.parseHex("01551221" + "00".repeat(33));
    assertThatThrownBy(() -> Cid.fromBytes(bytes))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsVersionTwo() {
    assertThatThrownBy(() -> Cid.fromBytes(HEX.parseHex("02551220" + "00".repeat(32))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void rejectsTruncatedV0() {
    assertThatThrownBy(() -> Cid.fromBytes(HEX.parseHex("1220" + "00".repeat(31))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsEmptyBytes() {
    assertThatThrownBy(() -> Cid.fromBytes(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsGarbageText() {
    assertThatThrownBy(() -> Cid.parse("bafyinvalid")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsV0TextWithBadCharacter() {
    assertThatThrownBy(() -> Cid.parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR10"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
