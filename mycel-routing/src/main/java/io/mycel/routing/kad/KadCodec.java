package io.mycel.routing.kad;

import com.google.protobuf.InvalidProtocolBufferException;
import io.mycel.core.varint.Varint;
import io.mycel.net.ProtocolViolationException;
import io.mycel.routing.kad.pb.KadProtos.Message;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Varint-length-prefixed protobuf framing of Kademlia messages (<a
 * href="https://github.com/libp2p/specs/blob/master/kad-dht/README.md#rpc-messages">spec</a>).
 * The length is checked against the limit before any byte of the body is read.
 */
public final class KadCodec {

  private final int maxMessageSize;

  public KadCodec(int maxMessageSize) {
    this.maxMessageSize = maxMessageSize;
  }

  /** Writes one framed message and flushes. */
  public void write(OutputStream out, Message message) throws IOException {
    int size = message.getSerializedSize();
    if (size > maxMessageSize) {
      throw new IllegalArgumentException(
          "kad message of " + size + " bytes exceeds the limit of " + maxMessageSize);
    }
    Varint.write(out, size);
    message.writeTo(out);
    out.flush();
  }

  /**
   * Reads one framed message; empty on a clean end of stream before its first byte.
   *
   * @throws ProtocolViolationException on an oversized, truncated or malformed message
   */
  public Optional<Message> read(InputStream in) throws IOException {
    int first = in.read();
    if (first < 0) {
      return Optional.empty();
    }
    long length = first & 0x7f;
    int shift = 7;
    int b = first;
    while ((b & 0x80) != 0) {
      if (shift >= 63) {
        throw new ProtocolViolationException("kad message length varint is too long");
      }
      b = in.read();
      if (b < 0) {
        throw new ProtocolViolationException("kad stream ended inside a length prefix");
      }
      length |= (long) (b & 0x7f) << shift;
      shift += 7;
    }
    if (length > maxMessageSize) {
      throw new ProtocolViolationException(
          "kad message of " + length + " bytes exceeds the limit of " + maxMessageSize);
    }
    byte[] body;
    try {
      body = in.readNBytes((int) length);
    } catch (EOFException e) {
      throw new ProtocolViolationException("kad stream ended inside a message", e);
    }
    if (body.length < length) {
      throw new ProtocolViolationException(
          "kad stream ended after " + body.length + " of " + length + " message bytes");
    }
    try {
      return Optional.of(Message.parseFrom(body));
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed kad message: " + e.getMessage(), e);
    }
  }
}
