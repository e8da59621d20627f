package io.mycel.net.multistream;

import io.mycel.core.varint.Varint;
import io.mycel.net.ProtocolViolationException;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Encoding and decoding of multistream-select 1.0 messages, without I/O.
 *
 * <p>A message is an unsigned varint length, then that many bytes: UTF-8 text followed by a
 * newline, which the length counts (<a
 * href="https://github.com/libp2p/specs/blob/master/connections/README.md#multistream-select">libp2p
 * connections spec, multistream-select</a>). The answer to {@code ls} is one message whose text is
 * itself a sequence of messages, one per protocol (<a
 * href="https://github.com/multiformats/multistream-select#ls-example-in-detail">multistream-select,
 * ls</a>):
 *
 * <pre>
 * varint(total) { varint(len) protocol '\n' }* '\n'
 * </pre>
 */
public final class MultistreamMessages {

  /** The protocol id of multistream-select itself, sent first by both sides. */
  public static final String PROTOCOL_ID = "/multistream/1.0.0";

  /** The listener's answer to a protocol it does not support. */
  public static final String NA = "na";

  /** The dialer's request for the listener's protocols. */
  public static final String LS = "ls";

  /** How many received bytes an error message shows. */
  static final int DESCRIBE_BYTES = 32;

  private static final byte NEWLINE = '\n';

  private static final byte[] HEADER = encode(PROTOCOL_ID);

  private MultistreamMessages() {}

  /** The header message as sent on the wire: {@code 0x13 "/multistream/1.0.0\n"}. */
  public static byte[] header() {
    return HEADER.clone();
  }

  static int headerLength() {
    return HEADER.length;
  }

  static byte headerByte(int index) {
    return HEADER[index];
  }

  /**
   * Encodes one message, limited to {@link MultistreamLimits#DEFAULT_MAX_MESSAGE_LENGTH}.
   *
   * @throws IllegalArgumentException if the text holds a newline or is too long
   */
  public static byte[] encode(String message) {
    return encode(message, MultistreamLimits.DEFAULT_MAX_MESSAGE_LENGTH);
  }

  /**
   * Encodes one message of at most {@code maxMessageLength} bytes (newline included).
   *
   * @throws IllegalArgumentException if the text holds a newline or is too long
   */
  public static byte[] encode(String message, int maxMessageLength) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    for (byte b : text) {
      if (b == NEWLINE) {
        throw new IllegalArgumentException("a multistream-select message may not hold a newline");
      }
    }
    int length = text.length + 1;
    if (length > maxMessageLength) {
      throw new IllegalArgumentException(
          "multistream-select message of "
              + length
              + " bytes exceeds the "
              + maxMessageLength
              + "-byte limit");
    }
    return frame(text);
  }

  /** Encodes several messages back to back, to be sent in one write. */
  public static byte[] encodeAll(List<String> messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String message : messages) {
      out.writeBytes(encode(message));
    }
    return out.toByteArray();
  }

  /**
   * Encodes the answer to {@code ls}: one message holding one inner message per protocol,
   * followed by the outer message's newline, as js-libp2p and go-libp2p send it.
   */
  public static byte[] encodeLs(List<String> protocols) {
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    for (String protocol : protocols) {
      inner.writeBytes(encode(protocol));
    }
    return frame(inner.toByteArray());
  }

  /**
   * Decodes the bytes of one message after its length prefix.
   *
   * @throws ProtocolViolationException if they do not end with a newline or are not UTF-8
   */
  public static String decodePayload(byte[] payload) {
    if (payload.length == 0 || payload[payload.length - 1] != NEWLINE) {
      throw new ProtocolViolationException(
          "multistream-select message does not end with a newline: "
              + describe(payload, 0, payload.length));
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload, 0, payload.length - 1))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolViolationException(
          "multistream-select message is not UTF-8: " + describe(payload, 0, payload.length), e);
    }
  }

  /**
   * Decodes the bytes of an {@code ls} answer after its outer length prefix. Accepts the inner
   * messages with or without the outer trailing newline, since implementations differ on it.
   *
   * @throws ProtocolViolationException if an inner message is malformed or over the limit
   */
  public static List<String> decodeLsPayload(byte[] payload, int maxMessageLength) {
    ByteBuffer buf = ByteBuffer.wrap(payload);
    List<String> protocols = new ArrayList<>();
    while (buf.hasRemaining()) {
      if (buf.remaining() == 1 && buf.get(buf.position()) == NEWLINE) {
        break;
      }
      long length;
      try {
        length = Varint.decode(buf);
      } catch (BufferUnderflowException | IllegalArgumentException e) {
        throw new ProtocolViolationException("malformed length in the ls answer", e);
      }
      if (length == 0 || length > maxMessageLength || length > buf.remaining()) {
        throw new ProtocolViolationException(
            "ls answer announces an entry of "
                + length
                + " bytes with "
                + buf.remaining()
                + " bytes left (limit "
                + maxMessageLength
                + ")");
      }
      byte[] entry = new byte[(int) length];
      buf.get(entry);
      protocols.add(decodePayload(entry));
    }
    return List.copyOf(protocols);
  }

  /**
   * Describes received bytes for an error message: the hex of at most the first
   * {@value #DESCRIBE_BYTES} bytes and their printable ASCII rendering.
   */
  public static String describe(byte[] bytes, int offset, int length) {
    int shown = Math.min(length, DESCRIBE_BYTES);
    StringBuilder ascii = new StringBuilder(shown);
    for (int i = 0; i < shown; i++) {
      int b = bytes[offset + i] & 0xFF;
      ascii.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
    }
    String more = length > shown ? "..." : "";
    return "0x"
        + HexFormat.of().formatHex(bytes, offset, offset + shown)
        + more
        + " (\""
        + ascii
        + "\""
        + more
        + ", "
        + length
        + " bytes)";
  }

  private static byte[] frame(byte[] text) {
    int length = text.length + 1;
    byte[] prefix = Varint.encode(length);
    byte[] out = new byte[prefix.length + length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(text, 0, out, prefix.length, text.length);
    out[out.length - 1] = NEWLINE;
    return out;
  }
}
