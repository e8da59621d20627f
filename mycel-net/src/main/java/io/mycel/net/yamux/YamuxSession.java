package io.mycel.net.yamux;

import io.mycel.net.ConnectionClosedException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.ResourceLimitException;
import io.mycel.net.mux.MuxedStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Yamux session ({@value #PROTOCOL_ID}) over one secured connection: the topmost handler of the
 * channel's pipeline. It reads plaintext bytes of any boundaries from below, and writes frames
 * down.
 *
 * <p>Threads: frames are handled on the channel's event loop. Streams are used from application
 * threads (virtual threads): their reads and writes block on per-stream locks and conditions,
 * never on the event loop, and must not be called on the event loop. The acceptor is called on a
 * virtual thread of the session, one inbound stream at a time in the order the peer opened them;
 * it should hand the stream off quickly, because streams waiting for it count against {@link
 * YamuxConfig#maxPendingInboundStreams()} and are reset past it. Futures returned here complete on
 * the event loop: continue with the {@code *Async} methods for blocking work.
 *
 * <p>Flow control: each stream advertises a receive window that is only replenished as the
 * application reads, so a slow reader stalls the remote writer instead of growing a buffer. A
 * stream's window grows (doubles, up to {@link YamuxConfig#maxStreamWindow()}) when the reader
 * consumed half a window within four round trips, like go-yamux; the round trip comes from the
 * keep-alive pings and from {@link #ping()}.
 *
 * @see <a href="https://github.com/hashicorp/yamux/blob/master/spec.md">Yamux spec</a>
 * @see <a href="https://github.com/libp2p/specs/blob/master/yamux/README.md">libp2p Yamux</a>
 */
public final class YamuxSession extends ChannelDuplexHandler {
  /** The protocol id negotiated with multistream-select. */
  public static final String PROTOCOL_ID = "/yamux/1.0.0";

  private static final Logger LOG = LoggerFactory.getLogger(YamuxSession.class);

  private final boolean client;
  private final YamuxConfig config;
  private final Consumer<MuxedStream> inboundStreamAcceptor;
  private final ConcurrentHashMap<Long, YamuxStream> streams = new ConcurrentHashMap<>();
  private final AtomicInteger streamSlots = new AtomicInteger();
  private final AtomicLong nextStreamId;
  private final AtomicLong windowGrowth = new AtomicLong();
  private final AtomicLong nextPingId = new AtomicLong();
  private final ConcurrentHashMap<Long, PendingPing> pings = new ConcurrentHashMap<>();
  private final Queue<YamuxStream> acceptQueue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingAccepts = new AtomicInteger();
  private final AtomicBoolean accepting = new AtomicBoolean();
  private final AtomicBoolean goAwaySent = new AtomicBoolean();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private final YamuxFrameDecoder decoder;

  private volatile ChannelHandlerContext ctx;
  private volatile Ticker ticker = Ticker.systemTicker();
  private volatile boolean closed;
  private volatile boolean remoteGoAway;
  private volatile long rttNanos;

  // Event loop only.
  private boolean started;
  private boolean failed;
  private boolean reading;
  private boolean flushPending;
  private long refusedStreams;
  private ScheduledFuture<?> keepAliveTask;
  private CompletableFuture<Duration> keepAlivePing;

  /**
   * @param client whether this side is the Yamux client (the dialer): it opens odd stream ids, the
   *     server even ones
   * @param inboundStreamAcceptor receives each stream the peer opens, on a virtual thread
   */
  public YamuxSession(
      boolean client, YamuxConfig config, Consumer<MuxedStream> inboundStreamAcceptor) {
    this.client = client;
    this.config = Objects.requireNonNull(config, "config");
    this.inboundStreamAcceptor = Objects.requireNonNull(inboundStreamAcceptor, "acceptor");
    this.nextStreamId = new AtomicLong(client ? 1 : 2);
    this.decoder = new YamuxFrameDecoder(config.maxFrameSize(), this::receiveWindowOf);
  }

  /**
   * Opens a stream. The SYN goes out at once and the stream is usable immediately, without
   * waiting for the peer's ACK; if the peer refuses it, reads and writes fail with {@link
   * io.mycel.net.StreamResetException}. Fails with {@link ConnectionClosedException} when the
   * session is closed or either side sent go-away, and with {@link ResourceLimitException} at
   * {@link YamuxConfig#maxStreams()}.
   */
  public CompletableFuture<MuxedStream> openStream() {
    if (ctx == null || closed) {
      return CompletableFuture.failedFuture(new ConnectionClosedException("yamux session is closed"));
    }
    if (remoteGoAway) {
      return CompletableFuture.failedFuture(
          new ConnectionClosedException("the remote peer sent go-away: no new streams"));
    }
    if (goAwaySent.get()) {
      return CompletableFuture.failedFuture(
          new ConnectionClosedException("this side sent go-away: no new streams"));
    }
    if (!reserveStreamSlot()) {
      return CompletableFuture.failedFuture(new ResourceLimitException(
          "the connection already has the maximum of " + config.maxStreams() + " streams"));
    }
    long id = nextStreamId.getAndAdd(2);
    if (id > YamuxFrame.MAX_UINT32) {
      streamSlots.decrementAndGet();
      return CompletableFuture.failedFuture(
          new ResourceLimitException("the stream ids of this connection are used up"));
    }
    YamuxStream stream = newStream(id, true);
    streams.put(id, stream);
    sendHeader(YamuxFrameType.WINDOW_UPDATE, YamuxFrame.FLAG_SYN, id, windowAnnouncement());
    if (closed) {
      stream.onConnectionClosed();
    }
    return CompletableFuture.completedFuture(stream);
  }

  /**
   * Sends a ping and completes with the round-trip time when the peer answers; fails with {@link
   * ConnectionClosedException} if the connection closes first. Callers bound the wait with {@code
   * orTimeout}.
   */
  public CompletableFuture<Duration> ping() {
    if (ctx == null || closed) {
      return CompletableFuture.failedFuture(new ConnectionClosedException("yamux session is closed"));
    }
    long opaque = nextPingId.getAndIncrement() & YamuxFrame.MAX_UINT32;
    PendingPing pending = new PendingPing(ticker.nanoTime(), new CompletableFuture<>());
    pings.put(opaque, pending);
    sendHeader(YamuxFrameType.PING, YamuxFrame.FLAG_SYN, 0, opaque);
    if (closed && pings.remove(opaque) != null) {
      pending.future().completeExceptionally(new ConnectionClosedException("yamux session is closed"));
    }
    return pending.future();
  }

  /**
   * Tells the peer this side opens no more streams and accepts none ({@link
   * YamuxFrame#GO_AWAY_NORMAL}, {@link YamuxFrame#GO_AWAY_PROTOCOL_ERROR} or {@link
   * YamuxFrame#GO_AWAY_INTERNAL_ERROR}). Open streams carry on; closing the channel is the
   * caller's. Only the first call sends a frame.
   */
  public void goAway(int code) {
    if (code < 0) {
      throw new IllegalArgumentException("negative go-away code " + code);
    }
    if (!goAwaySent.compareAndSet(false, true) || ctx == null || closed) {
      return;
    }
    sendHeader(YamuxFrameType.GO_AWAY, 0, 0, code);
  }

  /** Streams open now, both directions together. */
  public int streamCount() {
    return streams.size();
  }

  /** Completes when the session ended: the channel closed or this handler was removed. */
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  public boolean isClient() {
    return client;
  }

  public YamuxConfig config() {
    return config;
  }

  // ---- channel events (event loop) ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ticker = ctx.executor().ticker();
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      start();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start();
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    shutdown();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    shutdown();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    reading = true;
    try {
      while (!failed && !closed && in.isReadable()) {
        YamuxFrame frame;
        try {
          frame = decoder.decode(ctx.alloc(), in);
        } catch (ProtocolViolationException e) {
          protocolViolation(e.getMessage());
          break;
        }
        if (frame == null) {
          break;
        }
        handleFrame(frame);
      }
    } finally {
      in.release();
      reading = false;
      if (flushPending) {
        flushPending = false;
        ctx.flush();
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      for (YamuxStream stream : streams.values()) {
        stream.onChannelWritable();
      }
    }
    super.channelWritabilityChanged(ctx);
  }

  private void start() {
    if (started) {
      return;
    }
    started = true;
    long interval = config.keepAliveInterval().toNanos();
    if (interval > 0) {
      keepAliveTask =
          ctx.executor().scheduleAtFixedRate(this::keepAlive, 0, interval, TimeUnit.NANOSECONDS);
    }
  }

  private void keepAlive() {
    if (closed) {
      return;
    }
    CompletableFuture<Duration> last = keepAlivePing;
    if (last != null && !last.isDone()) {
      LOG.warn("yamux: closing {}: a keep-alive ping went unanswered for {} ms", ctx.channel(),
          config.keepAliveInterval().toMillis());
      ctx.close();
      return;
    }
    keepAlivePing = ping();
  }

  private void shutdown() {
    if (closed) {
      return;
    }
    closed = true;
    decoder.release();
    if (keepAliveTask != null) {
      keepAliveTask.cancel(false);
    }
    for (YamuxStream stream : streams.values()) {
      stream.onConnectionClosed();
    }
    for (Long opaque : pings.keySet()) {
      PendingPing pending = pings.remove(opaque);
      if (pending != null) {
        pending.future().completeExceptionally(new ConnectionClosedException("connection closed"));
      }
    }
    closeFuture.complete(null);
  }

  // ---- frame handling (event loop) ----

  private void handleFrame(YamuxFrame frame) {
    switch (frame.type()) {
      case DATA, WINDOW_UPDATE -> handleStreamFrame(frame);
      case PING -> handlePing(frame);
      case GO_AWAY -> handleGoAway(frame);
    }
  }

  private void handleStreamFrame(YamuxFrame frame) {
    long id = frame.streamId();
    YamuxStream stream = streams.get(id);
    boolean opened = false;
    if (frame.hasFlag(YamuxFrame.FLAG_SYN)) {
      if (stream != null) {
        frame.release();
        protocolViolation("SYN for stream " + id + ", which is already open");
        return;
      }
      if (isLocalStreamId(id)) {
        frame.release();
        protocolViolation("SYN for stream " + id + ", an id of this side's numbering");
        return;
      }
      stream = acceptInbound(id);
      if (stream == null) {
        frame.release();
        return;
      }
      opened = true;
    } else if (stream == null) {
      // A stream this side already reset or forgot: late frames are dropped.
      frame.release();
      return;
    }
    try {
      stream.onFrame(frame);
    } catch (ProtocolViolationException e) {
      protocolViolation(e.getMessage());
      return;
    }
    if (opened) {
      dispatchInbound(stream);
    }
  }

  private YamuxStream acceptInbound(long id) {
    if (goAwaySent.get()) {
      LOG.debug("yamux: resetting stream {} opened by {}: this side sent go-away", id, ctx.channel());
      sendHeader(YamuxFrameType.WINDOW_UPDATE, YamuxFrame.FLAG_RST, id, 0);
      return null;
    }
    if (!reserveStreamSlot()) {
      refuse(id, "the connection already has the maximum of " + config.maxStreams() + " streams");
      return null;
    }
    if (pendingAccepts.get() >= config.maxPendingInboundStreams()) {
      streamSlots.decrementAndGet();
      refuse(id, config.maxPendingInboundStreams() + " inbound streams already wait to be accepted");
      return null;
    }
    YamuxStream stream = newStream(id, false);
    streams.put(id, stream);
    sendHeader(YamuxFrameType.WINDOW_UPDATE, YamuxFrame.FLAG_ACK, id, windowAnnouncement());
    return stream;
  }

  /**
   * Resets an inbound stream over a limit. Logged at WARN the 1st, 2nd, 4th, 8th... time on a
   * connection, so a peer flooding streams cannot flood the log; the other times at DEBUG.
   */
  private void refuse(long id, String reason) {
    refusedStreams++;
    if ((refusedStreams & (refusedStreams - 1)) == 0) {
      LOG.warn("yamux: resetting stream {} opened by {}: {} ({} streams refused on this connection)",
          id, ctx.channel(), reason, refusedStreams);
    } else {
      LOG.debug("yamux: resetting stream {} opened by {}: {}", id, ctx.channel(), reason);
    }
    sendHeader(YamuxFrameType.WINDOW_UPDATE, YamuxFrame.FLAG_RST, id, 0);
  }

  private void dispatchInbound(YamuxStream stream) {
    if (stream.isReset()) {
      return;
    }
    pendingAccepts.incrementAndGet();
    acceptQueue.add(stream);
    if (accepting.compareAndSet(false, true)) {
      Thread.ofVirtual().name("yamux-accept-" + ctx.channel().id()).start(this::drainAcceptQueue);
    }
  }

  private void drainAcceptQueue() {
    do {
      try {
        YamuxStream stream;
        while ((stream = acceptQueue.poll()) != null) {
          try {
            if (!stream.isReset()) {
              inboundStreamAcceptor.accept(stream);
            }
          } catch (RuntimeException e) {
            LOG.warn("yamux: the acceptor failed on stream {} of {}; resetting it", stream.id(),
                ctx.channel(), e);
            stream.reset();
          } finally {
            pendingAccepts.decrementAndGet();
          }
        }
      } finally {
        accepting.set(false);
      }
    } while (!acceptQueue.isEmpty() && accepting.compareAndSet(false, true));
  }

  private void handlePing(YamuxFrame frame) {
    if (frame.hasFlag(YamuxFrame.FLAG_SYN)) {
      sendHeader(YamuxFrameType.PING, YamuxFrame.FLAG_ACK, 0, frame.length());
    } else if (frame.hasFlag(YamuxFrame.FLAG_ACK)) {
      PendingPing pending = pings.remove(frame.length());
      if (pending == null) {
        LOG.debug("yamux: {} answered ping {}, which was not sent", ctx.channel(), frame.length());
        return;
      }
      long rtt = Math.max(1, ticker.nanoTime() - pending.startNanos());
      rttNanos = rtt;
      pending.future().complete(Duration.ofNanos(rtt));
    }
  }

  private void handleGoAway(YamuxFrame frame) {
    remoteGoAway = true;
    long code = frame.length();
    if (code == YamuxFrame.GO_AWAY_NORMAL) {
      LOG.debug("yamux: {} sent go-away", ctx.channel());
    } else {
      LOG.warn("yamux: {} sent go-away with error code {} ({})", ctx.channel(), code,
          code == YamuxFrame.GO_AWAY_PROTOCOL_ERROR ? "protocol error"
              : code == YamuxFrame.GO_AWAY_INTERNAL_ERROR ? "internal error" : "unknown code");
    }
  }

  private void protocolViolation(String reason) {
    if (failed) {
      return;
    }
    failed = true;
    goAwaySent.set(true);
    LOG.warn("yamux: closing {}: protocol violation by the peer: {}", ctx.channel(), reason);
    decoder.release();
    ByteBuf goAway = ctx.alloc().buffer(YamuxFrame.HEADER_LENGTH);
    YamuxFrameEncoder.writeHeader(goAway, YamuxFrameType.GO_AWAY, 0, 0,
        YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
    flushPending = false;
    ctx.writeAndFlush(goAway).addListener(ChannelFutureListener.CLOSE);
  }

  private long receiveWindowOf(long streamId, int flags) {
    YamuxStream stream = streams.get(streamId);
    if (stream != null) {
      return stream.receiveWindowRemaining();
    }
    if ((flags & YamuxFrame.FLAG_SYN) != 0) {
      return YamuxConfig.SPEC_INITIAL_WINDOW;
    }
    // Data for a stream already forgotten is read and dropped.
    return config.maxFrameSize();
  }

  // ---- services for the streams ----

  private YamuxStream newStream(long id, boolean initiator) {
    YamuxStream stream = new YamuxStream(this, id, initiator, config.initialStreamWindow());
    stream.startIdleTimer();
    return stream;
  }

  private boolean isLocalStreamId(long id) {
    return ((id & 1) == 1) == client;
  }

  private boolean reserveStreamSlot() {
    while (true) {
      int current = streamSlots.get();
      if (current >= config.maxStreams()) {
        return false;
      }
      if (streamSlots.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  private long windowAnnouncement() {
    return config.initialStreamWindow() - YamuxConfig.SPEC_INITIAL_WINDOW;
  }

  /** Grants up to {@code wanted} bytes of window growth from the connection's budget. */
  long reserveWindowGrowth(long wanted) {
    while (true) {
      long current = windowGrowth.get();
      long grant = Math.min(wanted, config.maxConnectionWindowGrowth() - current);
      if (grant <= 0) {
        return 0;
      }
      if (windowGrowth.compareAndSet(current, current + grant)) {
        return grant;
      }
    }
  }

  /** Called once per stream when it is closed in both directions or reset. */
  void onStreamFinished(YamuxStream stream, long grantedGrowth) {
    if (streams.remove(stream.id(), stream)) {
      streamSlots.decrementAndGet();
    }
    if (grantedGrowth > 0) {
      windowGrowth.addAndGet(-grantedGrowth);
    }
  }

  YamuxConfig streamConfig() {
    return config;
  }

  long nanoTime() {
    return ticker.nanoTime();
  }

  /** The last measured round trip in nanoseconds, 0 while none was measured. */
  long rttNanos() {
    return rttNanos;
  }

  boolean isChannelWritable() {
    ChannelHandlerContext c = ctx;
    return c != null && c.channel().isWritable();
  }

  boolean inEventLoop() {
    ChannelHandlerContext c = ctx;
    return c != null && c.executor().inEventLoop();
  }

  /** Runs {@code task} on the event loop after {@code delayNanos}; null if the loop is gone. */
  ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    ChannelHandlerContext c = ctx;
    if (c == null || closed) {
      return null;
    }
    try {
      return c.executor().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  String channelName() {
    ChannelHandlerContext c = ctx;
    return c == null ? "unattached yamux session" : String.valueOf(c.channel());
  }

  void sendHeader(YamuxFrameType type, int flags, long streamId, long length) {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      return;
    }
    ByteBuf buf = c.alloc().buffer(YamuxFrame.HEADER_LENGTH);
    YamuxFrameEncoder.writeHeader(buf, type, flags, streamId, length);
    send(c, buf);
  }

  /** Sends a data frame; its payload is copied once, straight behind the header. */
  void sendData(long streamId, byte[] bytes, int offset, int length) {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      return;
    }
    ByteBuf buf = c.alloc().buffer(YamuxFrame.HEADER_LENGTH + length);
    YamuxFrameEncoder.writeHeader(buf, YamuxFrameType.DATA, 0, streamId, length);
    buf.writeBytes(bytes, offset, length);
    send(c, buf);
  }

  private void send(ChannelHandlerContext c, ByteBuf buf) {
    if (c.executor().inEventLoop() && reading) {
      // Flushed once at the end of the read: answers to a burst of frames share one flush.
      c.write(buf);
      flushPending = true;
    } else {
      c.writeAndFlush(buf);
    }
  }

  @Override
  public String toString() {
    return "YamuxSession{" + (client ? "client" : "server") + ", " + channelName() + ", streams="
        + streams.size() + "}";
  }

  private record PendingPing(long startNanos, CompletableFuture<Duration> future) {}
}
