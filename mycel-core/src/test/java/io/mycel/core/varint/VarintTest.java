package io.mycel.core.varint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Examples from the unsigned-varint spec, plus the spec's limits. */
class VarintTest {

  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest
  @CsvSource({
    "0, 00",
    "1, 01",
    "127, 7f",
    "128, 8001",
    "255, ff01",
    "300, ac02",
    "16384, 808001",
    "9223372036854775807, ffffffffffffffff7f"
  })
  void encodesAndDecodesSpecExamples(long value, String hex) throws Exception {
    byte[] encoded = HEX.parseHex(hex);
    assertThat(Varint.encode(value)).isEqualTo(encoded);
    assertThat(Varint.encodedLength(value)).isEqualTo(encoded.length);
    assertThat(Varint.decode(ByteBuffer.wrap(encoded))).isEqualTo(value);
    assertThat(Varint.read(new ByteArrayInputStream(encoded))).isEqualTo(value);
    assertThat(Varint.decodeExact(encoded)).isEqualTo(value);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(out, value);
    assertThat(out.toByteArray()).isEqualTo(encoded);
  }

  @Test
  void decodeAdvancesPastTheVarintOnly() {
    ByteBuffer buf = ByteBuffer.wrap(HEX.parseHex("ac02ff"));
    assertThat(Varint.decode(buf)).isEqualTo(300);
    assertThat(buf.position()).isEqualTo(2);
  }

  @Test
  void rejectsNegativeValue() {
    assertThatThrownBy(() -> Varint.encode(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void truncatedBufferUnderflowsAndKeepsPosition() {
    ByteBuffer buf = ByteBuffer.wrap(HEX.parseHex("8080"));
    assertThatThrownBy(() -> Varint.decode(buf)).isInstanceOf(BufferUnderflowException.class);
    assertThat(buf.position()).isZero();
  }

  @Test
  void emptyBufferUnderflows() {
    assertThatThrownBy(() -> Varint.decode(ByteBuffer.allocate(0)))
        .isInstanceOf(BufferUnderflowException.class);
  }

  @Test
  void truncatedStreamIsEof() {
    assertThatThrownBy(() -> Varint.read(new ByteArrayInputStream(HEX.parseHex("ff"))))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void emptyStreamIsEof() {
    assertThatThrownBy(() -> Varint.read(new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void rejectsTenByteVarint() {
    byte[] tooLong = HEX.parseHex("ffffffffffffffffff01");
    assertThatThrownBy(() -> Varint.decode(ByteBuffer.wrap(tooLong)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than 9");
  }

  @Test
  void rejectsTenByteVarintFromStream() {
    byte[] tooLong = HEX.parseHex("ffffffffffffffffff01");
    assertThatThrownBy(() -> Varint.read(new ByteArrayInputStream(tooLong)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNonMinimalEncoding() {
    assertThatThrownBy(() -> Varint.decode(ByteBuffer.wrap(HEX.parseHex("8100"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minimal");
  }

  @Test
  void rejectsNonMinimalZeroFromStream() {
    assertThatThrownBy(() -> Varint.read(new ByteArrayInputStream(HEX.parseHex("8000"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decodeExactRejectsTrailingBytes() {
    assertThatThrownBy(() -> Varint.decodeExact(HEX.parseHex("0101")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
