package io.mycel.net.yamux;

import io.mycel.net.ProtocolViolationException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * Reads Yamux frames from a byte stream of arbitrary boundaries, enforcing the limits as soon as a
 * header is complete, before any payload byte is buffered: the version must be 0, the type one of
 * the four defined, ping and go-away frames use stream 0 and stream frames do not, and a data
 * frame may be neither longer than the maximum frame size nor longer than the receive window the
 * peer may still fill on that stream.
 *
 * <p>Each data payload is copied into a buffer of its own exact size rather than kept as a slice
 * of the read buffers: a few unread bytes of one stream then never pin a whole read buffer that
 * mostly carried other streams' data, so the memory held for a stream is its window, no more.
 *
 * <p>Not thread-safe: one instance per connection, used on its event loop.
 *
 * @see <a href="https://github.com/hashicorp/yamux/blob/master/spec.md#framing">Yamux spec,
 *     Framing</a>
 */
public final class YamuxFrameDecoder {

  /** Tells the decoder how many data bytes the peer may still send on a stream. */
  @FunctionalInterface
  public interface ReceiveWindow {
    /**
     * The most payload bytes a data frame with these header fields may carry now.
     *
     * @param flags the frame's flags, e.g. a {@link YamuxFrame#FLAG_SYN} for a stream not open yet
     */
    long remaining(long streamId, int flags);
  }

  private final int maxFrameSize;
  private final ReceiveWindow receiveWindow;
  private final byte[] header = new byte[YamuxFrame.HEADER_LENGTH];
  private int headerBytes;
  /**
   * Payloads at least this long that arrive whole in one read buffer are sliced, not copied;
   * smaller ones are copied so that a few bytes cannot pin a large buffer.
   */
  static final int MIN_SLICE_LENGTH = 16 * 1024;

  private ByteBuf payload;
  private int payloadMissing;
  private int payloadFlags;
  private long payloadStreamId;

  /**
   * @param maxFrameSize the largest data payload accepted, whatever the window
   * @param receiveWindow the per-stream limit, consulted when a data frame's header is complete
   */
  public YamuxFrameDecoder(int maxFrameSize, ReceiveWindow receiveWindow) {
    if (maxFrameSize <= 0) {
      throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
    this.receiveWindow = receiveWindow;
  }

  /**
   * Reads bytes of {@code in} until one frame is complete, and returns it; returns null once
   * {@code in} is used up without completing a frame (the partial frame is kept for the next call).
   * The caller owns a returned data frame's payload.
   *
   * @throws ProtocolViolationException if the frame breaks a rule; the decoder is then unusable
   */
  public YamuxFrame decode(ByteBufAllocator alloc, ByteBuf in) {
    if (payloadMissing == 0) {
      int n = Math.min(YamuxFrame.HEADER_LENGTH - headerBytes, in.readableBytes());
      in.readBytes(header, headerBytes, n);
      headerBytes += n;
      if (headerBytes < YamuxFrame.HEADER_LENGTH) {
        return null;
      }
      headerBytes = 0;
      YamuxFrame frame = parseHeader(alloc);
      if (frame != null) {
        return frame;
      }
    }
    if (payload == null) {
      if (in.readableBytes() >= payloadMissing && payloadMissing >= MIN_SLICE_LENGTH
          && (long) payloadMissing * 4 >= in.capacity()) {
        // A large payload that arrived whole is handed on as a slice of the read buffer: no copy,
        // and the slice keeps at most four times its own size alive.
        ByteBuf slice = in.readRetainedSlice(payloadMissing);
        payloadMissing = 0;
        return YamuxFrame.data(payloadStreamId, payloadFlags, slice);
      }
      payload = alloc.buffer(payloadMissing);
    }
    int n = Math.min(payloadMissing, in.readableBytes());
    payload.writeBytes(in, n);
    payloadMissing -= n;
    if (payloadMissing > 0) {
      return null;
    }
    ByteBuf complete = payload;
    payload = null;
    return YamuxFrame.data(payloadStreamId, payloadFlags, complete);
  }

  /** Releases the payload of a partially read frame; call when the connection ends. */
  public void release() {
    if (payload != null) {
      payload.release();
      payload = null;
    }
  }

  /** Returns the frame if it has no payload to read, else prepares the payload and returns null. */
  private YamuxFrame parseHeader(ByteBufAllocator alloc) {
    int version = header[0] & 0xFF;
    if (version != YamuxFrame.VERSION) {
      throw new ProtocolViolationException("unsupported yamux version " + version);
    }
    int typeCode = header[1] & 0xFF;
    YamuxFrameType type = YamuxFrameType.fromCode(typeCode);
    if (type == null) {
      throw new ProtocolViolationException("unknown yamux frame type " + typeCode);
    }
    int flags = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
    long streamId = uint32(4);
    long length = uint32(8);
    switch (type) {
      case PING, GO_AWAY -> {
        if (streamId != 0) {
          throw new ProtocolViolationException(type + " frame on stream " + streamId + ", not 0");
        }
        return new YamuxFrame(type, flags, 0, length, null);
      }
      case WINDOW_UPDATE -> {
        requireStream(type, streamId);
        return new YamuxFrame(type, flags, streamId, length, null);
      }
      default -> {
        requireStream(type, streamId);
        if (length > maxFrameSize) {
          throw new ProtocolViolationException(
              "data frame of " + length + " bytes on stream " + streamId
                  + " exceeds the maximum frame size of " + maxFrameSize + " bytes");
        }
        long window = receiveWindow.remaining(streamId, flags);
        if (length > window) {
          throw new ProtocolViolationException(
              "data frame of " + length + " bytes on stream " + streamId
                  + " exceeds its receive window of " + window + " bytes");
        }
        if (length == 0) {
          return YamuxFrame.data(streamId, flags, Unpooled.EMPTY_BUFFER);
        }
        payloadMissing = (int) length;
        payloadFlags = flags;
        payloadStreamId = streamId;
        return null;
      }
    }
  }

  private static void requireStream(YamuxFrameType type, long streamId) {
    if (streamId == 0) {
      throw new ProtocolViolationException(type + " frame on the session stream id 0");
    }
  }

  private long uint32(int offset) {
    return ((header[offset] & 0xFFL) << 24)
        | ((header[offset + 1] & 0xFFL) << 16)
        | ((header[offset + 2] & 0xFFL) << 8)
        | (header[offset + 3] & 0xFFL);
  }
}
