package io.mycel.net;

import io.mycel.core.varint.Varint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Messages framed by an unsigned-varint length prefix, as identify, AutoNAT, DCUtR and Circuit
 * Relay send their protobufs on a stream. A read takes one message and nothing after it (the
 * sender may keep its side open), refuses a length past the caller's limit before reading the
 * body, and says which protocol's message was cut short.
 *
 * @see <a href="https://github.com/multiformats/unsigned-varint">unsigned-varint</a>
 */
public final class LengthPrefixed {
  private LengthPrefixed() {}

  /** Writes {@code message} with its length prefix in one write, and flushes. */
  public static void write(OutputStream out, byte[] message) throws IOException {
    byte[] prefix = Varint.encode(message.length);
    byte[] framed = new byte[prefix.length + message.length];
    System.arraycopy(prefix, 0, framed, 0, prefix.length);
    System.arraycopy(message, 0, framed, prefix.length, message.length);
    out.write(framed);
    out.flush();
  }

  /**
   * Reads one message of at most {@code maxSize} bytes; {@code what} names it in errors
   * (e.g. {@code "Identify"}).
   *
   * @throws ProtocolViolationException if the length exceeds {@code maxSize}, its prefix is too
   *     long, or the stream ends inside the prefix or the message
   * @throws ConnectionClosedException if the stream ends before the message starts
   */
  public static byte[] read(InputStream in, int maxSize, String what) throws IOException {
    long length = 0;
    for (int i = 0; ; i++) {
      if (i == Varint.MAX_BYTES) {
        throw new ProtocolViolationException(what + " length prefix is too long");
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
