package io.mycel.content.dagpb;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dag-pb blocks of the IPLD codec fixtures (github.com/ipld/codec-fixtures, fixtures/dagpb_*):
 * each decodes, re-encodes to the same bytes and hashes to the fixture's CID.
 */
class DagPbFixturesTest {
  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "dagpb_empty, bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku, ''",
      "dagpb_Data_zero, bafybeiaqfni3s5s2k2r6rgpxz4hohdsskh44ka5tk6ztbjerqpvxwfkwaq, 0a00",
      "dagpb_Data_some, bafybeibazl2z4vqp2tmwcfag6wirmtpnomxknqcgrauj7m2yisrz3qjbom, 0a050001020304",
      "dagpb_simple_forms_1, bafybeia2qk4u55f2qj7zimmtpulejgz7urp7rzs44cvledcaj42gltkk3u, 0a03010203",
      "dagpb_1link, bafybeihyivpglm6o6wrafbe36fp5l67abmewk7i2eob5wacdbhz7as5obe, "
          + "12240a2212207521fe19c374a97759226dc5c0c8e674e73950e81b211f7dd3b6b30883a08a51",
      "dagpb_Links_Hash_some, bafybeia53f5n75ituvc3yupuf7tdnxf6fqetrmo2alc6g6iljkmk7ys5mm, "
          + "120b0a09015500050001020304",
      "dagpb_Links_Hash_some_Name_some, "
          + "bafybeifq4hcxma3kjljrpxtunnljtc6tvbkgsy3vldyfpfbx2lij76niyu, "
          + "12160a090155000500010203041209736f6d65206e616d65",
      "dagpb_Links_Hash_some_Name_zero, "
          + "bafybeie7fstnkm4yshfwnmpp7d3mlh4f4okmk7a54d6c3ffr755q7qzk44, "
          + "120d0a090155000500010203041200",
      "dagpb_Links_Hash_some_Tsize_some, "
          + "bafybeiezymjvhwfuharanxmzxwuomzjjuzqjewjolr4phaiyp6l7qfwo64, "
          + "12140a0901550005000102030418ffffffffffffff0f",
      "dagpb_Links_Hash_some_Tsize_zero, "
          + "bafybeichjs5otecmbvwh5azdr4jc45mp2qcofh2fr54wjdxhz4znahod2i, "
          + "120d0a090155000500010203041800",
      "dagpb_simple_forms_2, bafybeiahfgovhod2uvww72vwdgatl5r6qkoeegg7at2bghiokupfphqcku, "
          + "120b0a0901550005000102030412100a09015500050001020304120362617212100a090155000500"
          + "010203041203666f6f",
      "dagpb_simple_forms_3, bafybeidrg2f6slbv4yzydqtgmsi2vzojajnt7iufcreynfpxndca4z5twm, "
          + "120b0a09015500050001020304120e0a09015500050001020304120161120e0a09015500050001"
          + "020304120161",
      "dagpb_simple_forms_4, bafybeieube7zxmzoc5bgttub2aqofi6xdzimv5munkjseeqccn36a6v6j4, "
          + "120e0a09015500050001020304120161120e0a09015500050001020304120161",
      "dagpb_2link+data, bafybeibh647pmxyksmdm24uad6b5f7tx4dhvilzbg2fiqgzll4yek7g7y4, "
          + "12340a2212208ab7a6c5e74737878ac73863cb76739d15d4666de44e5756bf55a2f9e9ab5f4312"
          + "09736f6d65206c696e6b1880c2d72f12370a2212208ab7a6c5e74737878ac73863cb76739d15d4"
          + "666de44e5756bf55a2f9e9ab5f44120f736f6d65206f74686572206c696e6b18080a09736f6d65"
          + "2064617461",
      "dagpb_4namedlinks+data, bafybeigcsevw74ssldzfwhiijzmg7a35lssfmjkuoj2t5qs5u5aztj47tq, "
          + "12390a221220b4397c02da5513563d33eef894bf68f2ccdf1bdfc14a976956ab3d1c72f735a012"
          + "0e617564696f5f6f6e6c792e6d346118cda88f0b12310a221220025c13fcd1a885df444f64a4a8"
          + "2a26aea867b1148c68cb671e83589f971149321208636861742e74787418e40712340a2212205d"
          + "44a305b9b328ab80451d0daa72a12a7bf2763c5f8bbe327597a31ee40d1e48120c706c61796261"
          + "636b2e6d3375187412360a2212202539ed6e85f2a6f9097db9d76cffd49bf3042eb2e3e8e9af4a"
          + "3ce842d49dea22120a7a6f6f6d5f302e6d70341897fb8592010a020801",
  })
  void fixtureRoundTripsAndHashesToItsCid(String name, String cid, String hex) {
    byte[] block = HEX.parseHex(hex);
    PBNode node = DagPbDecoder.decode(block);
    assertThat(DagPbEncoder.encode(node)).isEqualTo(block);
    assertThat(Cid.v1(Multicodec.DAG_PB, Multihash.sha2_256(block)).toString()).isEqualTo(cid);
  }

  @Test
  void fourNamedLinksDecodeToTheirFields() {
    PBNode node = DagPbDecoder.decode(HEX.parseHex(
        "12390a221220b4397c02da5513563d33eef894bf68f2ccdf1bdfc14a976956ab3d1c72f735a0120e6175"
            + "64696f5f6f6e6c792e6d346118cda88f0b12310a221220025c13fcd1a885df444f64a4a82a26aea867"
            + "b1148c68cb671e83589f971149321208636861742e74787418e40712340a2212205d44a305b9b328ab"
            + "80451d0daa72a12a7bf2763c5f8bbe327597a31ee40d1e48120c706c61796261636b2e6d33751874"
            + "12360a2212202539ed6e85f2a6f9097db9d76cffd49bf3042eb2e3e8e9af4a3ce842d49dea22120a7a"
            + "6f6f6d5f302e6d70341897fb8592010a020801"));
    assertThat(node.data()).hasValueSatisfying(d -> assertThat(d).containsExactly(8, 1));
    assertThat(node.links()).containsExactly(
        PBLink.of(Cid.parse("QmaUAwAQJNtvUdJB42qNbTTgDpzPYD1qdsKNtctM5i7DGB"),
            "audio_only.m4a", 23319629),
        PBLink.of(Cid.parse("QmNVrxbB25cKTRuKg2DuhUmBVEK9NmCwWEHtsHPV6YutHw"), "chat.txt", 996),
        PBLink.of(Cid.parse("QmUcjKzDLXBPmB6BKHeKSh6ZoFZjss4XDhMRdLYRVuvVfu"),
            "playback.m3u", 116),
        PBLink.of(Cid.parse("QmQqy2SiEkKgr2cw5UbQ93TtLKEMsD8TdcWggR8q9JabjX"),
            "zoom_0.mp4", 306281879));
  }

  @Test
  void absentAndEmptyFieldsStayDistinct() {
    Cid raw = Cid.parse("bafkqabiaaebagba");
    assertThat(DagPbDecoder.decode(HEX.parseHex("120b0a09015500050001020304")).links())
        .containsExactly(new PBLink(raw, Optional.empty(), OptionalLong.empty()));
    assertThat(DagPbDecoder.decode(HEX.parseHex("120d0a090155000500010203041200")).links())
        .containsExactly(new PBLink(raw, Optional.of(""), OptionalLong.empty()));
    assertThat(DagPbDecoder.decode(HEX.parseHex("120d0a090155000500010203041800")).links())
        .containsExactly(new PBLink(raw, Optional.empty(), OptionalLong.of(0)));
    assertThat(DagPbDecoder.decode(new byte[0]).hasData()).isFalse();
    assertThat(DagPbDecoder.decode(HEX.parseHex("0a00")).hasData()).isTrue();
  }

  /** codec-fixtures noncanonical-fixtures/dag-pb/decode/field-order.json. */
  @Test
  void dataBeforeLinksDecodesAndReencodesCanonically() {
    byte[] block = HEX.parseHex("0a02080112330a24015512205891b5b522d5df086d0ff0b110fbd9d21bb4fc7"
        + "163af34d08286a2e846f6be03120968656c6c6f2e7478741806");
    byte[] canonical = DagPbEncoder.encode(DagPbDecoder.decode(block));
    assertThat(HEX.formatHex(canonical)).isEqualTo("12330a24015512205891b5b522d5df086d0ff0b110"
        + "fbd9d21bb4fc7163af34d08286a2e846f6be03120968656c6c6f2e74787418060a020801");
    assertThat(Cid.v1(Multicodec.DAG_PB, Multihash.sha2_256(canonical)).toString())
        .isEqualTo("bafybeigdcg7pksx2zk5336vrfsktjodlr4rbfz37qr3koc5xboxe5ekv24");
  }

  @Test
  void encoderWritesLinksBeforeData() {
    Cid raw = Cid.parse("bafkqabiaaebagba");
    byte[] block = DagPbEncoder.encode(List.of(PBLink.of(raw, "a", 5)), new byte[] {8, 1});
    assertThat(block[0]).isEqualTo((byte) 0x12);
    assertThat(HEX.formatHex(block)).endsWith("0a020801");
  }
}
