package io.mycel.net.relay;

import com.google.protobuf.InvalidProtocolBufferException;
import io.mycel.core.varint.Varint;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.relay.pb.CircuitProtos.HopMessage;
import io.mycel.net.relay.pb.CircuitProtos.StopMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Hop and stop messages on the wire: each one protobuf message prefixed with its length as an
 * unsigned varint (<a
 * href="https://github.com/libp2p/specs/blob/master/relay/circuit-v2.md#wire-format">spec</a>),
 * at most {@link #MAX_MESSAGE_SIZE} bytes.
 */
public final class RelayMessages {
  /** Largest hop or stop message accepted, as go-libp2p and js-libp2p. */
  public static final int MAX_MESSAGE_SIZE = 4096;

  private RelayMessages() {}

  public static void write(OutputStream out, HopMessage message) throws IOException {
    writeFramed(out, message.toByteArray());
  }

  public static void write(OutputStream out, StopMessage message) throws IOException {
    writeFramed(out, message.toByteArray());
  }

  /**
   * Reads one hop message, and nothing after it.
   *
   * @throws ProtocolViolationException if it is larger than {@code maxSize} or malformed
   */
  public static HopMessage readHop(InputStream in, int maxSize) throws IOException {
    byte[] bytes = readFramed(in, maxSize, "hop");
    try {
      return HopMessage.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed hop message: " + e.getMessage(), e);
    }
  }

  /**
   * Reads one stop message, and nothing after it.
   *
   * @throws ProtocolViolationException if it is larger than {@code maxSize} or malformed
   */
  public static StopMessage readStop(InputStream in, int maxSize) throws IOException {
    byte[] bytes = readFramed(in, maxSize, "stop");
    try {
      return StopMessage.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed stop message: " + e.getMessage(), e);
    }
  }

  static void writeFramed(OutputStream out, byte[] message) throws IOException {
    byte[] prefix = Varint.encode(message.length);
    byte[] framed = new byte[prefix.length + message.length];
    System.arraycopy(prefix, 0, framed, 0, prefix.length);
    System.arraycopy(message, 0, framed, prefix.length, message.length);
    out.write(framed);
    out.flush();
  }

  private static byte[] readFramed(InputStream in, int maxSize, String what) throws IOException {
    long length = 0;
    for (int i = 0; ; i++) {
      if (i == Varint.MAX_BYTES) {
        throw new ProtocolViolationException(what + " message length prefix is too long");
      }
      int b = in.read();
      if (b < 0) {
        if (i == 0) {
          throw new ConnectionClosedException("stream ended before the " + what + " message");
        }
        throw new ProtocolViolationException("stream ended inside the " + what + " length prefix");
      }
      length |= (long) (b & 0x7F) << (7 * i);
      if (length > maxSize) {
        throw new ProtocolViolationException(
            what + " message exceeds the " + maxSize + "-byte limit");
      }
      if ((b & 0x80) == 0) {
        break;
      }
    }
    byte[] message = in.readNBytes((int) length);
    if (message.length < length) {
      throw new ProtocolViolationException("stream ended inside the " + what + " message after "
          + message.length + " of " + length + " bytes");
    }
    return message;
  }
}
