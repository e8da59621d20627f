package io.mycel.net.yamux;

import io.mycel.net.ProtocolViolationException;
import io.mycel.net.StreamResetException;
import io.mycel.net.mux.MuxedStream;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Yamux stream, with blocking streams for virtual threads.
 *
 * <p>Reading: inbound data waits in a per-stream queue; the receive window is handed back to the
 * peer (a window update once half of it was read) only as the application reads, so a slow
 * reader stalls the remote writer. Writing blocks while the peer's window is used up or the
 * channel is not writable (the peer stopped reading the connection), so neither lets the sender
 * buffer without bound; each write is cut into frames of at most the window and {@link
 * YamuxConfig#maxSendFrameSize()} and sent at once, so {@code flush()} has nothing to do.
 *
 * <p>{@link #closeWrite()} sends FIN; reads return -1 after the peer's FIN. {@link #close()} also
 * discards unread and further inbound data; if the peer has not closed its side within {@link
 * YamuxConfig#closeGracePeriod()}, the stream is reset. {@link #reset()} and the peer's RST make
 * blocked and later reads and writes throw {@link StreamResetException}, as does the end of the
 * connection. {@link #closeFuture()} completes when both sides closed and the inbound data was read
 * (or discarded), or on reset; the stream then leaves the session.
 *
 * <p>Waits use a {@link ReentrantLock} and are interruptible (an interrupt becomes an {@link
 * InterruptedIOException}). Reads and writes must not run on the event loop: one that would block
 * there throws {@link IllegalStateException}.
 */
public final class YamuxStream implements MuxedStream {
  private static final Logger LOG = LoggerFactory.getLogger(YamuxStream.class);

  private final YamuxSession session;
  private final long id;
  private final boolean initiator;
  private final int maxSendFrameSize;
  private final int maxWindow;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readable = lock.newCondition();
  private final Condition writable = lock.newCondition();
  /** Keeps the frames of concurrent writes, and the FIN after them, in order. */
  private final ReentrantLock writeOrder = new ReentrantLock();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private final Input input = new Input();
  private final Output output = new Output();

  // Guarded by lock.
  private final ArrayDeque<ByteBuf> inbound = new ArrayDeque<>();
  private long queuedBytes;
  /** Bytes the peer may still send. */
  private long receiveWindow;
  /** The window the peer is given back to as the application reads; grows with auto-tuning. */
  private long receiveWindowSize;
  private long grantedGrowth;
  private long windowEpochNanos;
  private long sendWindow = YamuxConfig.SPEC_INITIAL_WINDOW;
  private boolean localClosed;
  private boolean remoteClosed;
  private boolean readClosed;
  private boolean finished;
  private String resetReason;
  private ScheduledFuture<?> graceTimer;

  private volatile long lastActivityNanos;
  private volatile ScheduledFuture<?> idleTimer;

  YamuxStream(YamuxSession session, long id, boolean initiator, int initialWindow) {
    this.session = session;
    this.id = id;
    this.initiator = initiator;
    this.maxSendFrameSize = session.streamConfig().maxSendFrameSize();
    this.maxWindow = session.streamConfig().maxStreamWindow();
    this.receiveWindow = initialWindow;
    this.receiveWindowSize = initialWindow;
    this.windowEpochNanos = session.nanoTime();
    this.lastActivityNanos = windowEpochNanos;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public boolean isInitiator() {
    return initiator;
  }

  @Override
  public InputStream input() {
    return input;
  }

  @Override
  public OutputStream output() {
    return output;
  }

  @Override
  public void closeWrite() {
    lock.lock();
    try {
      if (localClosed || finished) {
        return;
      }
      localClosed = true;
      // A writer blocked on this stream gives up, so the FIN below can follow its frames.
      writable.signalAll();
    } finally {
      lock.unlock();
    }
    writeOrder.lock();
    try {
      if (!isReset()) {
        session.sendHeader(YamuxFrameType.WINDOW_UPDATE, YamuxFrame.FLAG_FIN, id, 0);
        touch();
      }
    } finally {
      writeOrder.unlock();
    }
    boolean done;
    lock.lock();
    try {
      done = finishIfClosedLocked();
      scheduleGraceLocked();
    } finally {
      lock.unlock();
    }
    if (done) {
      onFinished();
    }
  }

  @Override
  public void reset() {
    lock.lock();
    try {
      if (finished) {
        return;
      }
      resetLocked("stream " + id + " was reset by this side");
    } finally {
      lock.unlock();
    }
    session.sendHeader(YamuxFrameType.WINDOW_UPDATE, YamuxFrame.FLAG_RST, id, 0);
    onFinished();
  }

  @Override
  public void close() {
    closeWrite();
    closeRead();
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  /** Whether the stream was reset, by either side or by the end of the connection. */
  public boolean isReset() {
    lock.lock();
    try {
      return resetReason != null;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes this side may still send before the peer grants more window. */
  long sendWindow() {
    lock.lock();
    try {
      return sendWindow;
    } finally {
      lock.unlock();
    }
  }

  /** The window the peer is given back to; grows with auto-tuning. */
  long receiveWindowSize() {
    lock.lock();
    try {
      return receiveWindowSize;
    } finally {
      lock.unlock();
    }
  }

  /** Inbound bytes queued and not read yet. */
  long queuedBytes() {
    lock.lock();
    try {
      return queuedBytes;
    } finally {
      lock.unlock();
    }
  }

  // ---- reading ----

  private int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    int n = 0;
    long credit;
    boolean done;
    lock.lock();
    try {
      while (true) {
        if (resetReason != null) {
          throw new StreamResetException(resetReason);
        }
        if (readClosed) {
          throw new IOException("stream " + id + " is closed for reading");
        }
        if (!inbound.isEmpty()) {
          break;
        }
        if (remoteClosed) {
          return -1;
        }
        await(readable);
      }
      while (n < len && !inbound.isEmpty()) {
        ByteBuf head = inbound.peek();
        int chunk = Math.min(len - n, head.readableBytes());
        head.readBytes(b, off + n, chunk);
        n += chunk;
        if (!head.isReadable()) {
          inbound.poll().release();
        }
      }
      queuedBytes -= n;
      credit = windowCreditLocked();
      done = finishIfClosedLocked();
    } finally {
      lock.unlock();
    }
    if (credit > 0) {
      session.sendHeader(YamuxFrameType.WINDOW_UPDATE, 0, id, credit);
      touch();
    }
    if (done) {
      onFinished();
    }
    return n;
  }

  /**
   * The window to hand back after a read, 0 while less than half of the window was consumed.
   * Doubles the window first when the last half was consumed within four round trips: the reader
   * keeps up, and the window, not the reader, limits the throughput.
   */
  private long windowCreditLocked() {
    if (remoteClosed) {
      return 0;
    }
    long consumed = receiveWindowSize - receiveWindow - queuedBytes;
    if (consumed < receiveWindowSize / 2) {
      return 0;
    }
    long now = session.nanoTime();
    long rtt = session.rttNanos();
    if (rtt > 0 && now - windowEpochNanos < 4 * rtt && receiveWindowSize < maxWindow) {
      long grown = session.reserveWindowGrowth(Math.min(receiveWindowSize, maxWindow - receiveWindowSize));
      receiveWindowSize += grown;
      grantedGrowth += grown;
    }
    windowEpochNanos = now;
    long credit = receiveWindowSize - receiveWindow - queuedBytes;
    receiveWindow += credit;
    return credit;
  }

  private int available() {
    lock.lock();
    try {
      return (int) Math.min(Integer.MAX_VALUE, queuedBytes);
    } finally {
      lock.unlock();
    }
  }

  private void closeRead() {
    boolean done;
    lock.lock();
    try {
      if (readClosed || finished) {
        return;
      }
      readClosed = true;
      releaseInboundLocked();
      readable.signalAll();
      done = finishIfClosedLocked();
      scheduleGraceLocked();
    } finally {
      lock.unlock();
    }
    if (done) {
      onFinished();
    }
  }

  /** Once this side closed both halves, gives the peer the grace period to close its side. */
  private void scheduleGraceLocked() {
    if (finished || !localClosed || !readClosed || remoteClosed || graceTimer != null) {
      return;
    }
    long grace = session.streamConfig().closeGracePeriod().toNanos();
    graceTimer = session.schedule(this::graceExpired, grace);
  }

  private void graceExpired() {
    lock.lock();
    try {
      if (finished) {
        return;
      }
    } finally {
      lock.unlock();
    }
    LOG.debug("yamux: resetting stream {} of {}: the peer did not close it within {} ms", id,
        session.channelName(), session.streamConfig().closeGracePeriod().toMillis());
    reset();
  }

  // ---- writing ----

  private void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    try {
      writeOrder.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to write on stream " + id);
    }
    try {
      while (len > 0) {
        int n;
        lock.lock();
        try {
          while (true) {
            if (resetReason != null) {
              throw new StreamResetException(resetReason);
            }
            if (localClosed) {
              throw new IOException("stream " + id + " is closed for writing");
            }
            if (sendWindow > 0 && session.isChannelWritable()) {
              break;
            }
            await(writable);
          }
          n = (int) Math.min(len, Math.min(sendWindow, maxSendFrameSize));
          sendWindow -= n;
        } finally {
          lock.unlock();
        }
        session.sendData(id, b, off, n);
        touch();
        off += n;
        len -= n;
      }
    } finally {
      writeOrder.unlock();
    }
  }

  private void await(Condition condition) throws InterruptedIOException {
    if (session.inEventLoop()) {
      throw new IllegalStateException("stream " + id + " would block the event loop");
    }
    try {
      condition.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting on stream " + id);
    }
  }

  // ---- events from the session (event loop) ----

  /** Applies a data or window update frame for this stream; takes over its payload. */
  void onFrame(YamuxFrame frame) {
    boolean done;
    boolean rejectData = false;
    lock.lock();
    try {
      if (finished) {
        frame.release();
        return;
      }
      touch();
      if (frame.type() == YamuxFrameType.DATA) {
        rejectData = !acceptDataLocked(frame.payload());
      } else if (frame.length() > 0) {
        sendWindow += frame.length();
        writable.signalAll();
      }
      if (frame.hasFlag(YamuxFrame.FLAG_RST)) {
        resetLocked("stream " + id + " was reset by the remote peer");
      } else if (rejectData) {
        resetLocked("stream " + id + " was reset: the remote peer sent data after closing it");
      } else if (frame.hasFlag(YamuxFrame.FLAG_FIN) && !remoteClosed) {
        remoteClosed = true;
        readable.signalAll();
      }
      done = finished || finishIfClosedLocked();
    } finally {
      lock.unlock();
    }
    if (rejectData && !frame.hasFlag(YamuxFrame.FLAG_RST)) {
      session.sendHeader(YamuxFrameType.WINDOW_UPDATE, YamuxFrame.FLAG_RST, id, 0);
    }
    if (done) {
      onFinished();
    }
  }

  /** Queues a payload; false if the peer had already closed its side. */
  private boolean acceptDataLocked(ByteBuf payload) {
    long length = payload.readableBytes();
    if (length > receiveWindow) {
      payload.release();
      throw new ProtocolViolationException("data frame of " + length + " bytes on stream " + id
          + " exceeds its receive window of " + receiveWindow + " bytes");
    }
    if (remoteClosed && length > 0) {
      payload.release();
      return false;
    }
    receiveWindow -= length;
    if (readClosed || length == 0) {
      // Discarded bytes are not handed back: a peer that keeps sending after close() stalls.
      payload.release();
      return true;
    }
    inbound.add(payload);
    queuedBytes += length;
    readable.signalAll();
    return true;
  }

  void onChannelWritable() {
    lock.lock();
    try {
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void onConnectionClosed() {
    lock.lock();
    try {
      if (finished) {
        return;
      }
      resetLocked("stream " + id + " was reset: the connection closed");
    } finally {
      lock.unlock();
    }
    onFinished();
  }

  long receiveWindowRemaining() {
    lock.lock();
    try {
      return receiveWindow;
    } finally {
      lock.unlock();
    }
  }

  void startIdleTimer() {
    long timeout = session.streamConfig().idleStreamTimeout().toNanos();
    if (timeout > 0) {
      idleTimer = session.schedule(() -> checkIdle(timeout), timeout);
    }
  }

  private void checkIdle(long timeout) {
    lock.lock();
    try {
      if (finished) {
        return;
      }
    } finally {
      lock.unlock();
    }
    long idle = session.nanoTime() - lastActivityNanos;
    if (idle < timeout) {
      idleTimer = session.schedule(() -> checkIdle(timeout), timeout - idle);
      return;
    }
    LOG.debug("yamux: resetting stream {} of {}: no traffic for {} ms", id, session.channelName(),
        timeout / 1_000_000);
    reset();
  }

  private void touch() {
    lastActivityNanos = session.nanoTime();
  }

  // ---- state ----

  private void resetLocked(String reason) {
    resetReason = reason;
    finished = true;
    releaseInboundLocked();
    readable.signalAll();
    writable.signalAll();
  }

  /** Marks the stream finished once both sides closed and no inbound data waits to be read. */
  private boolean finishIfClosedLocked() {
    if (finished || !localClosed || !remoteClosed || !(inbound.isEmpty() || readClosed)) {
      return false;
    }
    finished = true;
    return true;
  }

  private void releaseInboundLocked() {
    ByteBuf buf;
    while ((buf = inbound.poll()) != null) {
      buf.release();
    }
    queuedBytes = 0;
  }

  /** Runs once, after {@code finished} was set: leaves the session and completes the future. */
  private void onFinished() {
    ScheduledFuture<?> idle = idleTimer;
    if (idle != null) {
      idle.cancel(false);
    }
    long growth;
    lock.lock();
    try {
      if (graceTimer != null) {
        graceTimer.cancel(false);
      }
      growth = grantedGrowth;
      grantedGrowth = 0;
    } finally {
      lock.unlock();
    }
    session.onStreamFinished(this, growth);
    closeFuture.complete(null);
  }

  @Override
  public String toString() {
    return "YamuxStream{id=" + id + (initiator ? ", outbound" : ", inbound") + "}";
  }

  private final class Input extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = YamuxStream.this.read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return YamuxStream.this.read(b, off, len);
    }

    @Override
    public int available() {
      return YamuxStream.this.available();
    }

    /** Stops reading: unread and further inbound bytes are discarded. */
    @Override
    public void close() {
      closeRead();
    }
  }

  private final class Output extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      YamuxStream.this.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      YamuxStream.this.write(b, off, len);
    }

    /** Every write is sent when it returns; nothing is buffered here. */
    @Override
    public void flush() {}

    /** Half-closes the stream (FIN). */
    @Override
    public void close() {
      closeWrite();
    }
  }
}
