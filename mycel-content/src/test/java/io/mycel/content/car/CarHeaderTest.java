package io.mycel.content.car;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.blockstore.TestBlocks;
import io.mycel.core.cid.Cid;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CarHeaderTest {
  private final Cid root = TestBlocks.raw("root").cid();

  @Test
  void encodesCanonicalDagCborWithRootsBeforeVersion() {
    byte[] cid = root.bytes();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(0xa2); // map(2)
    expected.write(0x65); // text(5)
    expected.writeBytes("roots".getBytes(StandardCharsets.US_ASCII));
    expected.write(0x81); // array(1)
    expected.writeBytes(new byte[] {(byte) 0xd8, 0x2a}); // tag(42)
    expected.writeBytes(new byte[] {0x58, (byte) (cid.length + 1)}); // bytes(37)
    expected.write(0x00);
    expected.writeBytes(cid);
    expected.write(0x67); // text(7)
    expected.writeBytes("version".getBytes(StandardCharsets.US_ASCII));
    expected.write(0x01);
    assertThat(CarHeader.v1(List.of(root)).encode()).isEqualTo(expected.toByteArray());
  }

  @Test
  void encodesTheFixtureHeaderByteForByte() {
    CarHeader header = CarHeader.v1(List.of(CarFixture.ROOT0, CarFixture.ROOT1));
    byte[] fixtureHeader = Arrays.copyOfRange(CarFixture.BYTES, 1, CarFixture.HEADER_END);
    assertThat(header.encode()).isEqualTo(fixtureHeader);
  }

  @Test
  void decodesWhatItEncodes() throws Exception {
    CarHeader header = CarHeader.v1(List.of(root, TestBlocks.node("n").cid()));
    assertThat(CarHeader.decode(header.encode())).isEqualTo(header);
  }

  @Test
  void decodesKeysInAnyOrderAndIgnoresUnknownKeys() throws Exception {
    byte[] cid = root.bytes();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(0xa3);
    bytes.write(0x67);
    bytes.writeBytes("version".getBytes(StandardCharsets.US_ASCII));
    bytes.write(0x01);
    bytes.write(0x65);
    bytes.writeBytes("extra".getBytes(StandardCharsets.US_ASCII));
    bytes.write(0xf6); // null
    bytes.write(0x65);
    bytes.writeBytes("roots".getBytes(StandardCharsets.US_ASCII));
    bytes.write(0x81);
    bytes.writeBytes(new byte[] {(byte) 0xd8, 0x2a, 0x58, (byte) (cid.length + 1), 0});
    bytes.writeBytes(cid);
    assertThat(CarHeader.decode(bytes.toByteArray())).isEqualTo(CarHeader.v1(List.of(root)));
  }

  @Test
  void headerThatIsNotAMapIsRefused() {
    assertThatThrownBy(() -> CarHeader.decode(hex("8101")))
        .isInstanceOf(CarFormatException.class).hasMessageContaining("not a map");
  }

  @Test
  void headerWithoutVersionIsRefused() {
    // {"roots": []}
    assertThatThrownBy(() -> CarHeader.decode(hex("a165726f6f747380")))
        .isInstanceOf(CarFormatException.class).hasMessageContaining("no 'version'");
  }

  @Test
  void versionThatIsNotAnIntegerIsRefused() {
    // {"version": "1"}
    assertThatThrownBy(() -> CarHeader.decode(hex("a16776657273696f6e6131")))
        .isInstanceOf(CarFormatException.class).hasMessageContaining("not an integer");
  }

  @Test
  void rootsThatAreNotAListAreRefused() {
    // {"roots": 5, "version": 1}
    assertThatThrownBy(() -> CarHeader.decode(hex("a265726f6f7473056776657273696f6e01")))
        .isInstanceOf(CarFormatException.class).hasMessageContaining("not a list");
  }

  @Test
  void rootWithoutTag42IsRefused() {
    // {"roots": [h'00 01 55 00 00'], "version": 1}: a byte string but no tag
    assertThatThrownBy(() -> CarHeader.decode(
        hex("a265726f6f7473814500015500006776657273696f6e01")))
        .isInstanceOf(CarFormatException.class).hasMessageContaining("tag 42");
  }

  @Test
  void rootWithoutTheZeroPrefixIsRefused() {
    // {"roots": [42(h'01 55 00 00')], "version": 1}
    assertThatThrownBy(() -> CarHeader.decode(
        hex("a265726f6f747381d82a44015500006776657273696f6e01")))
        .isInstanceOf(CarFormatException.class).hasMessageContaining("0x00 prefix");
  }

  @Test
  void rootThatIsNotACidIsRefused() {
    // {"roots": [42(h'00 07 55 00 00')], "version": 1}: CID version 7
    assertThatThrownBy(() -> CarHeader.decode(
        hex("a265726f6f747381d82a4500075500006776657273696f6e01")))
        .isInstanceOf(CarFormatException.class).hasMessageContaining("not a valid CID");
  }

  @Test
  void duplicateKeyIsRefused() {
    // {"version": 1, "version": 1}
    assertThatThrownBy(() -> CarHeader.decode(
        hex("a26776657273696f6e016776657273696f6e01")))
        .isInstanceOf(CarFormatException.class).hasMessageContaining("two 'version'");
  }

  @Test
  void bytesAfterTheMapAreRefused() {
    assertThatThrownBy(() -> CarHeader.decode(hex("a16776657273696f6e0100")))
        .isInstanceOf(CarFormatException.class).hasMessageContaining("after its map");
  }

  @Test
  void truncatedCborIsRefused() {
    assertThatThrownBy(() -> CarHeader.decode(hex("a26776657273696f")))
        .isInstanceOf(CarFormatException.class).hasMessageContaining("CAR header");
  }

  private static byte[] hex(String text) {
    return HexFormat.of().parseHex(text);
  }
}
