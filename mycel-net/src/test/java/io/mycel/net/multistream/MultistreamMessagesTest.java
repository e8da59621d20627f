package io.mycel.net.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.net.ProtocolViolationException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultistreamMessagesTest {

  @Test
  void naIsEncodedAsInTheSpec() {
    assertThat(HexFormat.of().formatHex(MultistreamMessages.encode("na"))).isEqualTo("036e610a");
  }

  @Test
  void headerIsNineteenBytesPrefixedWithTheirLength() {
    byte[] header = MultistreamMessages.header();
    assertThat(header).hasSize(20);
    assertThat(header[0]).isEqualTo((byte) 0x13);
    assertThat(new String(header, 1, 19, StandardCharsets.UTF_8)).isEqualTo("/multistream/1.0.0\n");
  }

  @Test
  void longMessageGetsTwoByteLengthPrefix() {
    String protocol = "/" + "x".repeat(199);
    byte[] encoded = MultistreamMessages.encode(protocol);
    assertThat(encoded[0] & 0xFF).isEqualTo(0x80 | (201 & 0x7F));
    assertThat(encoded[1]).isEqualTo((byte) 1);
    assertThat(encoded).hasSize(203);
  }

  @Test
  void encodeRejectsNewline() {
    assertThatThrownBy(() -> MultistreamMessages.encode("/a\n/b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encodeRejectsMessageOverLimit() {
    assertThat(MultistreamMessages.encode("/" + "x".repeat(1022))).hasSize(2 + 1024);
    assertThatThrownBy(() -> MultistreamMessages.encode("/" + "x".repeat(1023)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1024");
  }

  @Test
  void decodePayloadStripsNewline() {
    assertThat(MultistreamMessages.decodePayload("/yamux/1.0.0\n".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("/yamux/1.0.0");
  }

  @Test
  void decodePayloadWithoutNewlineIsViolation() {
    assertThatThrownBy(() -> MultistreamMessages.decodePayload("/noise".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("newline");
  }

  @Test
  void decodePayloadWithInvalidUtf8IsViolation() {
    assertThatThrownBy(() -> MultistreamMessages.decodePayload(new byte[] {(byte) 0xC3, '\n'}))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void lsAnswerNestsOneMessagePerProtocolAndEndsWithNewline() {
    byte[] expected = lsAnswer(List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"), true);
    assertThat(MultistreamMessages.encodeLs(List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0")))
        .isEqualTo(expected);
  }

  @Test
  void lsAnswerDecodesWithOrWithoutOuterNewline() {
    List<String> protocols = List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0");
    for (boolean outerNewline : new boolean[] {true, false}) {
      byte[] answer = lsAnswer(protocols, outerNewline);
      byte[] payload = java.util.Arrays.copyOfRange(answer, 1, answer.length);
      assertThat(MultistreamMessages.decodeLsPayload(payload, 1024)).isEqualTo(protocols);
    }
  }

  @Test
  void lsAnswerWithEntryOverrunningItIsViolation() {
    byte[] payload = {0x20, '/', 'a', '\n', '\n'};
    assertThatThrownBy(() -> MultistreamMessages.decodeLsPayload(payload, 1024))
        .isInstanceOf(ProtocolViolationException.class);
  }

  @Test
  void describeShowsHexAndAscii() {
    byte[] bytes = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(MultistreamMessages.describe(bytes, 0, bytes.length))
        .isEqualTo("0x474554202f20485454502f312e310d0a (\"GET / HTTP/1.1..\", 16 bytes)");
  }

  /** Builds the js-libp2p form by hand: one message per protocol inside one outer message. */
  static byte[] lsAnswer(List<String> protocols, boolean outerNewline) {
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    for (String p : protocols) {
      byte[] line = (p + "\n").getBytes(StandardCharsets.UTF_8);
      inner.write(line.length);
      inner.writeBytes(line);
    }
    if (outerNewline) {
      inner.write('\n');
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(inner.size());
    out.writeBytes(inner.toByteArray());
    return out.toByteArray();
  }
}
