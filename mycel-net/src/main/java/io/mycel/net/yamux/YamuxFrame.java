package io.mycel.net.yamux;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * One Yamux frame: a 12-byte header (version, type, flags, stream id, length, all big-endian) and,
 * for {@link YamuxFrameType#DATA} frames only, {@code length} payload bytes.
 *
 * <p>A data frame owns its {@code payload}: whoever takes the frame releases the payload (or hands
 * it on). Other frames have no payload, and {@code length} carries the window delta, the ping's
 * opaque value or the go-away code.
 *
 * @see <a href="https://github.com/hashicorp/yamux/blob/master/spec.md#framing">Yamux spec,
 *     Framing</a>
 */
public record YamuxFrame(YamuxFrameType type, int flags, long streamId, long length, ByteBuf payload) {
  /** The only protocol version defined. */
  public static final int VERSION = 0;

  /** Bytes of the frame header. */
  public static final int HEADER_LENGTH = 12;

  /** Largest value of the 32-bit stream id and length fields. */
  public static final long MAX_UINT32 = 0xFFFF_FFFFL;

  /** Opens a stream (with data or a window update); on a ping, asks for an answer. */
  public static final int FLAG_SYN = 0x1;

  /** Accepts a stream; on a ping, answers it. */
  public static final int FLAG_ACK = 0x2;

  /** Half-closes the stream: the sender sends no more data. */
  public static final int FLAG_FIN = 0x4;

  /** Aborts the stream in both directions. */
  public static final int FLAG_RST = 0x8;

  /** Go-away code of a normal termination. */
  public static final int GO_AWAY_NORMAL = 0;

  /** Go-away code sent when the peer broke the protocol. */
  public static final int GO_AWAY_PROTOCOL_ERROR = 1;

  /** Go-away code of a local failure. */
  public static final int GO_AWAY_INTERNAL_ERROR = 2;

  public YamuxFrame {
    Objects.requireNonNull(type, "type");
    if (flags < 0 || flags > 0xFFFF) {
      throw new IllegalArgumentException("flags out of 16 bits: " + flags);
    }
    if (streamId < 0 || streamId > MAX_UINT32) {
      throw new IllegalArgumentException("stream id out of 32 bits: " + streamId);
    }
    if (length < 0 || length > MAX_UINT32) {
      throw new IllegalArgumentException("length out of 32 bits: " + length);
    }
    if (type == YamuxFrameType.DATA) {
      Objects.requireNonNull(payload, "payload of a data frame");
      if (payload.readableBytes() != length) {
        throw new IllegalArgumentException(
            "data frame length " + length + " but " + payload.readableBytes() + " payload bytes");
      }
    } else if (payload != null) {
      throw new IllegalArgumentException(type + " frames carry no payload");
    }
    if ((type == YamuxFrameType.PING || type == YamuxFrameType.GO_AWAY) && streamId != 0) {
      throw new IllegalArgumentException(type + " frames use stream id 0");
    }
  }

  /** A data frame carrying {@code payload}, which the frame now owns. */
  public static YamuxFrame data(long streamId, int flags, ByteBuf payload) {
    return new YamuxFrame(YamuxFrameType.DATA, flags, streamId, payload.readableBytes(), payload);
  }

  /** A window update adding {@code delta} to the peer's send window. */
  public static YamuxFrame windowUpdate(long streamId, int flags, long delta) {
    return new YamuxFrame(YamuxFrameType.WINDOW_UPDATE, flags, streamId, delta, null);
  }

  /** A ping ({@link #FLAG_SYN}) or its answer ({@link #FLAG_ACK}). */
  public static YamuxFrame ping(int flags, long opaque) {
    return new YamuxFrame(YamuxFrameType.PING, flags, 0, opaque, null);
  }

  /** A go-away with one of the {@code GO_AWAY_*} codes. */
  public static YamuxFrame goAway(long code) {
    return new YamuxFrame(YamuxFrameType.GO_AWAY, 0, 0, code, null);
  }

  public boolean hasFlag(int flag) {
    return (flags & flag) != 0;
  }

  /** Releases the payload of a data frame; no-op for other frames. */
  public void release() {
    if (payload != null) {
      payload.release();
    }
  }

  @Override
  public String toString() {
    return type + "{stream=" + streamId + ", flags=" + flagNames(flags) + ", length=" + length + "}";
  }

  static String flagNames(int flags) {
    StringBuilder sb = new StringBuilder();
    if ((flags & FLAG_SYN) != 0) {
      sb.append("SYN|");
    }
    if ((flags & FLAG_ACK) != 0) {
      sb.append("ACK|");
    }
    if ((flags & FLAG_FIN) != 0) {
      sb.append("FIN|");
    }
    if ((flags & FLAG_RST) != 0) {
      sb.append("RST|");
    }
    int other = flags & ~0xF;
    if (other != 0) {
      sb.append("0x").append(Integer.toHexString(other)).append('|');
    }
    return sb.isEmpty() ? "0" : sb.substring(0, sb.length() - 1);
  }
}
