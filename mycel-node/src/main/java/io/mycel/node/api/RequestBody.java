package io.mycel.node.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * A request body read on a virtual thread while the event loop receives it. Back-pressure: when
 * more than {@code highWater} bytes wait unread the connection stops reading, and reads again
 * when the handler has drained them below half of that, so an upload of any size holds about
 * {@code highWater} bytes in memory.
 */
final class RequestBody extends InputStream {
  private final Channel channel;
  private final int highWater;
  private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
  private long queued;
  private long received;
  private boolean ended;
  private boolean discarded;
  private boolean paused;
  private IOException failure;

  RequestBody(Channel channel, int highWater) {
    this.channel = channel;
    this.highWater = highWater;
  }

  /** An empty, ended body. */
  static RequestBody empty(Channel channel) {
    RequestBody body = new RequestBody(channel, 1);
    body.ended = true;
    return body;
  }

  /** On the event loop: a piece of the body arrived; takes ownership of {@code content}. */
  synchronized void offer(ByteBuf content) {
    if (discarded || ended) {
      content.release();
      return;
    }
    received += content.readableBytes();
    if (content.isReadable()) {
      chunks.add(content);
      queued += content.readableBytes();
    } else {
      content.release();
    }
    if (queued > highWater && !paused) {
      paused = true;
      channel.config().setAutoRead(false);
    }
    notifyAll();
  }

  /** On the event loop: the last piece has arrived. */
  synchronized void end() {
    ended = true;
    notifyAll();
  }

  /** On the event loop: the connection failed before the body ended. */
  synchronized void fail(String why) {
    if (!ended) {
      failure = new IOException(why + " after " + received + " bytes of the request body");
      ended = true;
    }
    notifyAll();
  }

  /** Whether every byte of the body has arrived (or the connection failed). */
  synchronized boolean ended() {
    return ended;
  }

  @Override
  public synchronized int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (chunks.isEmpty()) {
      if (discarded) {
        throw new IOException("the request body was closed");
      }
      if (ended) {
        if (failure != null) {
          throw failure;
        }
        return -1;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading the request body");
      }
    }
    int total = 0;
    while (total < len && !chunks.isEmpty()) {
      ByteBuf head = chunks.peek();
      int n = Math.min(len - total, head.readableBytes());
      head.readBytes(b, off + total, n);
      total += n;
      if (!head.isReadable()) {
        chunks.poll().release();
      }
    }
    queued -= total;
    resumeIfDrained();
    return total;
  }

  @Override
  public synchronized int available() {
    return (int) Math.min(Integer.MAX_VALUE, queued);
  }

  /** Drops what is queued and what is still to come. */
  @Override
  public synchronized void close() {
    discarded = true;
    releaseAll();
    resumeIfDrained();
    notifyAll();
  }

  /** Releases every queued buffer (also when the connection closes). */
  synchronized void releaseAll() {
    while (!chunks.isEmpty()) {
      chunks.poll().release();
    }
    queued = 0;
  }

  private void resumeIfDrained() {
    if (paused && queued <= highWater / 2) {
      paused = false;
      channel.eventLoop().execute(() -> {
        // A body that has ended leaves reading off until its response is written.
        if (!ended()) {
          channel.config().setAutoRead(true);
          channel.read();
        }
      });
    }
  }
}
