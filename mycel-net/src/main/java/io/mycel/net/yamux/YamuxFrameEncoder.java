package io.mycel.net.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Writes Yamux frames: the 12-byte big-endian header, then the payload of a data frame without
 * copying it.
 *
 * @see <a href="https://github.com/hashicorp/yamux/blob/master/spec.md#framing">Yamux spec,
 *     Framing</a>
 */
public final class YamuxFrameEncoder {
  private YamuxFrameEncoder() {}

  /** Appends a frame header to {@code out}. */
  public static void writeHeader(
      ByteBuf out, YamuxFrameType type, int flags, long streamId, long length) {
    out.writeByte(YamuxFrame.VERSION);
    out.writeByte(type.code());
    out.writeShort(flags);
    out.writeInt((int) streamId);
    out.writeInt((int) length);
  }

  /**
   * Encodes {@code frame}. The result takes over the payload of a data frame (it becomes a
   * component of the returned composite buffer); the caller releases the result, not the frame.
   */
  public static ByteBuf encode(ByteBufAllocator alloc, YamuxFrame frame) {
    ByteBuf header = alloc.buffer(YamuxFrame.HEADER_LENGTH);
    writeHeader(header, frame.type(), frame.flags(), frame.streamId(), frame.length());
    if (frame.payload() == null || frame.length() == 0) {
      frame.release();
      return header;
    }
    CompositeByteBuf composite = alloc.compositeBuffer(2);
    composite.addComponents(true, header, frame.payload());
    return composite;
  }
}
