package io.mycel.net.relay;

import com.google.protobuf.InvalidProtocolBufferException;
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
    io.mycel.net.LengthPrefixed.write(out, message);
  }

  private static byte[] readFramed(InputStream in, int maxSize, String what) throws IOException {
    return io.mycel.net.LengthPrefixed.read(in, maxSize, what);
  }
}
