package io.mycel.core.varint;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Unsigned LEB128 varints as used by every multiformat.
 *
 * <p>Follows the <a href="https://github.com/multiformats/unsigned-varint">unsigned-varint
 * spec</a>: at most {@value #MAX_BYTES} bytes (63 bits of value), and only the minimal encoding
 * is accepted when decoding (a value may not carry trailing zero groups).
 */
public final class Varint {

  /** The spec caps varints at nine bytes, that is 63 bits of value. */
  public static final int MAX_BYTES = 9;

  private Varint() {}

  /**
   * Encodes a non-negative value.
   *
   * @throws IllegalArgumentException if {@code v} is negative
   */
  public static byte[] encode(long v) {
    byte[] out = new byte[encodedLength(v)];
    int i = 0;
    while ((v & ~0x7FL) != 0) {
      out[i++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[i] = (byte) v;
    return out;
  }

  /**
   * The number of bytes {@link #encode(long)} produces for {@code v}.
   *
   * @throws IllegalArgumentException if {@code v} is negative
   */
  public static int encodedLength(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("varint value must be non-negative: " + v);
    }
    int bits = 64 - Long.numberOfLeadingZeros(v);
    return Math.max(1, (bits + 6) / 7);
  }

  /** Writes {@code v} to {@code out}. */
  public static void write(OutputStream out, long v) throws IOException {
    out.write(encode(v));
  }

  /**
   * Reads one varint from a stream.
   *
   * @throws EOFException if the stream ends before the varint does
   * @throws IllegalArgumentException if the varint is longer than {@value #MAX_BYTES} bytes or
   *     not minimally encoded
   */
  public static long read(InputStream in) throws IOException {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException(i == 0 ? "end of stream before varint" : "truncated varint");
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        checkMinimal(b, i);
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
  }

  /**
   * Reads one varint from {@code buf}, advancing its position past it.
   *
   * <p>On failure the position is left unchanged, so a framing decoder can wait for more bytes
   * after a {@link BufferUnderflowException}.
   *
   * @throws BufferUnderflowException if the buffer ends before the varint does
   * @throws IllegalArgumentException if the varint is longer than {@value #MAX_BYTES} bytes or
   *     not minimally encoded
   */
  public static long decode(ByteBuffer buf) {
    int start = buf.position();
    long value = 0;
    int limit = Math.min(MAX_BYTES, buf.remaining());
    for (int i = 0; i < limit; i++) {
      int b = buf.get(start + i) & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        checkMinimal(b, i);
        buf.position(start + i + 1);
        return value;
      }
    }
    if (limit == MAX_BYTES) {
      throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
    }
    throw new BufferUnderflowException();
  }

  /**
   * Decodes a byte array that holds exactly one varint and nothing else.
   *
   * @throws IllegalArgumentException if the bytes are not exactly one valid varint
   */
  public static long decodeExact(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    long v;
    try {
      v = decode(buf);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated varint");
    }
    if (buf.hasRemaining()) {
      throw new IllegalArgumentException("trailing bytes after varint");
    }
    return v;
  }

  private static void checkMinimal(int lastByte, int index) {
    if (lastByte == 0 && index > 0) {
      throw new IllegalArgumentException("varint is not minimally encoded");
    }
  }
}
