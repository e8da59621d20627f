package io.mycel.node.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A response body written from a virtual thread in chunks of a fixed size. When the connection's
 * outbound buffer passes its high-water mark the writer waits for its last chunk to go out, so a
 * slow client holds at most a buffer's worth of a large body in memory.
 */
final class ResponseBodyStream extends OutputStream {
  private final Channel channel;
  private final byte[] buffer;
  private int filled;
  private long written;

  ResponseBodyStream(Channel channel, int chunkBytes) {
    this.channel = channel;
    this.buffer = new byte[chunkBytes];
  }

  @Override
  public void write(int b) throws IOException {
    if (filled == buffer.length) {
      send();
    }
    buffer[filled++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (filled == buffer.length) {
        send();
      }
      int n = Math.min(len, buffer.length - filled);
      System.arraycopy(b, off, buffer, filled, n);
      filled += n;
      off += n;
      len -= n;
    }
  }

  /** Sends what is buffered now (newline-delimited progress is flushed line by line). */
  @Override
  public void flush() throws IOException {
    if (filled > 0) {
      send();
    }
  }

  long bytesWritten() {
    return written + filled;
  }

  /** Sends the rest and the end of the body. */
  ChannelFuture finish() throws IOException {
    flush();
    return channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  private void send() throws IOException {
    if (!channel.isActive()) {
      throw new IOException("the client closed the connection after " + written + " bytes");
    }
    byte[] chunk = Arrays.copyOf(buffer, filled);
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
