package io.mycel.node.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A response body written from a virtual thread as HTTP chunks of a fixed size. Back-pressure:
 * when the channel's outbound buffer passes its high-water mark, the writer waits until its last
 * chunk has gone out, so a slow client holds at most one buffer's worth of a large body in memory
 * and no blocking read ever runs on the event loop. The gateway and the HTTP API both send their
 * streamed bodies with it.
 */
public final class HttpBodyOutputStream extends OutputStream {
  private final Channel channel;
  private final byte[] buffer;
  private int filled;
  private long written;
  private boolean finished;

  public HttpBodyOutputStream(Channel channel, int chunkBytes) {
    this.channel = channel;
    this.buffer = new byte[chunkBytes];
  }

  @Override
  public void write(int b) throws IOException {
    if (filled == buffer.length) {
      sendBuffer();
    }
    buffer[filled++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (filled == buffer.length) {
        sendBuffer();
      }
      int n = Math.min(len, buffer.length - filled);
      System.arraycopy(b, off, buffer, filled, n);
      filled += n;
      off += n;
      len -= n;
    }
  }

  /** Sends what is buffered now (callers such as a CAR writer flush only at the end). */
  @Override
  public void flush() throws IOException {
    if (filled > 0) {
      sendBuffer();
    }
  }

  public long bytesWritten() {
    return written + filled;
  }

  /** Sends the rest and the end of the body; returns the future of that last write. */
  public ChannelFuture finish() throws IOException {
    flush();
    finished = true;
    return channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  public boolean finished() {
    return finished;
  }

  private void sendBuffer() throws IOException {
    if (!channel.isActive()) {
      throw new IOException("the client closed the connection after " + written + " bytes");
    }
    byte[] chunk = java.util.Arrays.copyOf(buffer, filled);
    written += filled;
    filled = 0;
    ChannelFuture f = channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
    if (!channel.isWritable()) {
      try {
        f.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while the client was reading");
      }
      if (!f.isSuccess()) {
        throw new IOException("writing to the client failed after " + written + " bytes",
            f.cause());
      }
    }
  }
}
