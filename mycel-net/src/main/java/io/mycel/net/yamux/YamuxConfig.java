package io.mycel.net.yamux;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timers of a {@link YamuxSession}. Every field has a named default; {@link #defaults()}
 * gives them all and the {@code with*} methods change one.
 *
 * @param initialStreamWindow the receive window of a new stream. The spec fixes the starting
 *     window at 256 KiB; a larger value is announced to the peer in the SYN or ACK frame.
 * @param maxStreamWindow how far auto-tuning may grow a stream's receive window when the
 *     application reads as fast as the window allows
 * @param maxConnectionWindowGrowth how many bytes of receive window auto-tuning may grant, over
 *     all streams of a connection together, beyond their initial windows; bounds the memory a
 *     peer can make one connection hold
 * @param maxStreams streams open at once on a connection, both directions together; an inbound
 *     stream past it is reset, {@link YamuxSession#openStream()} past it fails
 * @param maxFrameSize the largest data frame payload accepted from the peer, whatever its window
 * @param maxSendFrameSize the largest data frame payload sent: writes are cut into frames of at
 *     most this (and the peer's window), so one busy stream cannot hold the connection for long
 *     while other streams wait (go-yamux and js-libp2p also send at most 64 KiB per frame)
 * @param maxPendingInboundStreams inbound streams waiting for the acceptor; more are reset
 * @param keepAliveInterval how often a ping is sent to keep the connection alive and measure the
 *     round trip (which drives window auto-tuning); a ping still unanswered at the next tick
 *     closes the connection. {@link Duration#ZERO} disables keep-alive.
 * @param idleStreamTimeout a stream without traffic in either direction for this long is reset;
 *     {@link Duration#ZERO} disables the timeout
 * @param closeGracePeriod after {@link YamuxStream#close()}, how long the peer has to close its
 *     side before the stream is reset
 */
public record YamuxConfig(
    int initialStreamWindow,
    int maxStreamWindow,
    long maxConnectionWindowGrowth,
    int maxStreams,
    int maxFrameSize,
    int maxSendFrameSize,
    int maxPendingInboundStreams,
    Duration keepAliveInterval,
    Duration idleStreamTimeout,
    Duration closeGracePeriod) {

  /** The window every stream starts with, fixed by the spec. */
  public static final int SPEC_INITIAL_WINDOW = 256 * 1024;

  public static final int DEFAULT_INITIAL_STREAM_WINDOW = SPEC_INITIAL_WINDOW;
  public static final int DEFAULT_MAX_STREAM_WINDOW = 16 * 1024 * 1024;
  public static final long DEFAULT_MAX_CONNECTION_WINDOW_GROWTH = 64L * 1024 * 1024;
  public static final int DEFAULT_MAX_STREAMS = 1024;
  /**
   * The largest data frame accepted. The Yamux spec bounds frames only by the receive window,
   * and js-yamux sends frames as large as the window it was granted (2 MiB and more), so the
   * default is the largest window this side ever grants.
   */
  public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;
  /**
   * 64 KiB less 29 bytes: a data frame and its 12-byte header then fill one Noise transport
   * message (65519 bytes of plaintext) exactly, so the receiver gets each payload whole.
   */
  public static final int DEFAULT_MAX_SEND_FRAME_SIZE = 65519 - 12;
  public static final int DEFAULT_MAX_PENDING_INBOUND_STREAMS = 256;
  public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_IDLE_STREAM_TIMEOUT = Duration.ofMinutes(2);
  public static final Duration DEFAULT_CLOSE_GRACE_PERIOD = Duration.ofSeconds(30);

  private static final YamuxConfig DEFAULTS =
      new YamuxConfig(
          DEFAULT_INITIAL_STREAM_WINDOW,
          DEFAULT_MAX_STREAM_WINDOW,
          DEFAULT_MAX_CONNECTION_WINDOW_GROWTH,
          DEFAULT_MAX_STREAMS,
          DEFAULT_MAX_FRAME_SIZE,
          DEFAULT_MAX_SEND_FRAME_SIZE,
          DEFAULT_MAX_PENDING_INBOUND_STREAMS,
          DEFAULT_KEEP_ALIVE_INTERVAL,
          DEFAULT_IDLE_STREAM_TIMEOUT,
          DEFAULT_CLOSE_GRACE_PERIOD);

  public YamuxConfig {
    if (initialStreamWindow < SPEC_INITIAL_WINDOW) {
      throw new IllegalArgumentException(
          "initialStreamWindow below the spec's " + SPEC_INITIAL_WINDOW + ": " + initialStreamWindow);
    }
    if (maxStreamWindow < initialStreamWindow) {
      throw new IllegalArgumentException(
          "maxStreamWindow " + maxStreamWindow + " below initialStreamWindow " + initialStreamWindow);
    }
    if (maxConnectionWindowGrowth < 0) {
      throw new IllegalArgumentException("negative maxConnectionWindowGrowth");
    }
    if (maxStreams <= 0) {
      throw new IllegalArgumentException("maxStreams must be positive: " + maxStreams);
    }
    if (maxFrameSize <= 0) {
      throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize);
    }
    if (maxSendFrameSize <= 0) {
      throw new IllegalArgumentException("maxSendFrameSize must be positive: " + maxSendFrameSize);
    }
    if (maxPendingInboundStreams <= 0) {
      throw new IllegalArgumentException(
          "maxPendingInboundStreams must be positive: " + maxPendingInboundStreams);
    }
    requireNotNegative(keepAliveInterval, "keepAliveInterval");
    requireNotNegative(idleStreamTimeout, "idleStreamTimeout");
    requireNotNegative(closeGracePeriod, "closeGracePeriod");
  }

  public static YamuxConfig defaults() {
    return DEFAULTS;
  }

  public YamuxConfig withInitialStreamWindow(int value) {
    return new YamuxConfig(value, Math.max(value, maxStreamWindow), maxConnectionWindowGrowth,
        maxStreams, maxFrameSize, maxSendFrameSize, maxPendingInboundStreams, keepAliveInterval,
        idleStreamTimeout, closeGracePeriod);
  }

  public YamuxConfig withMaxStreamWindow(int value) {
    return new YamuxConfig(initialStreamWindow, value, maxConnectionWindowGrowth, maxStreams,
        maxFrameSize, maxSendFrameSize, maxPendingInboundStreams, keepAliveInterval,
        idleStreamTimeout, closeGracePeriod);
  }

  public YamuxConfig withMaxConnectionWindowGrowth(long value) {
    return new YamuxConfig(initialStreamWindow, maxStreamWindow, value, maxStreams, maxFrameSize,
        maxSendFrameSize, maxPendingInboundStreams, keepAliveInterval, idleStreamTimeout,
        closeGracePeriod);
  }

  public YamuxConfig withMaxStreams(int value) {
    return new YamuxConfig(initialStreamWindow, maxStreamWindow, maxConnectionWindowGrowth, value,
        maxFrameSize, maxSendFrameSize, maxPendingInboundStreams, keepAliveInterval,
        idleStreamTimeout, closeGracePeriod);
  }

  public YamuxConfig withMaxFrameSize(int value) {
    return new YamuxConfig(initialStreamWindow, maxStreamWindow, maxConnectionWindowGrowth,
        maxStreams, value, maxSendFrameSize, maxPendingInboundStreams, keepAliveInterval,
        idleStreamTimeout, closeGracePeriod);
  }

  public YamuxConfig withMaxSendFrameSize(int value) {
    return new YamuxConfig(initialStreamWindow, maxStreamWindow, maxConnectionWindowGrowth,
        maxStreams, maxFrameSize, value, maxPendingInboundStreams, keepAliveInterval,
        idleStreamTimeout, closeGracePeriod);
  }

  public YamuxConfig withMaxPendingInboundStreams(int value) {
    return new YamuxConfig(initialStreamWindow, maxStreamWindow, maxConnectionWindowGrowth,
        maxStreams, maxFrameSize, maxSendFrameSize, value, keepAliveInterval, idleStreamTimeout,
        closeGracePeriod);
  }

  public YamuxConfig withKeepAliveInterval(Duration value) {
    return new YamuxConfig(initialStreamWindow, maxStreamWindow, maxConnectionWindowGrowth,
        maxStreams, maxFrameSize, maxSendFrameSize, maxPendingInboundStreams, value,
        idleStreamTimeout, closeGracePeriod);
  }

  public YamuxConfig withIdleStreamTimeout(Duration value) {
    return new YamuxConfig(initialStreamWindow, maxStreamWindow, maxConnectionWindowGrowth,
        maxStreams, maxFrameSize, maxSendFrameSize, maxPendingInboundStreams, keepAliveInterval,
        value, closeGracePeriod);
  }

  public YamuxConfig withCloseGracePeriod(Duration value) {
    return new YamuxConfig(initialStreamWindow, maxStreamWindow, maxConnectionWindowGrowth,
        maxStreams, maxFrameSize, maxSendFrameSize, maxPendingInboundStreams, keepAliveInterval,
        idleStreamTimeout, value);
  }

  private static void requireNotNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " is negative: " + value);
    }
  }
}
