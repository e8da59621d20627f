package io.mycel.node.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its response, written from a virtual thread. Exactly one {@code send} is
 * made per exchange; afterwards the connection reads the next request, or is closed when the
 * client asked so or a body could not be finished.
 */
final class Exchange {
  private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

  /** Writes a response body. */
  interface Body {
    void writeTo(HttpBodyOutputStream out) throws IOException;
  }

  private final Channel channel;
  private final HttpRequest request;
  private final boolean keepAlive;
  private final int chunkBytes;
  private final GatewayStats stats;
  private final long arrivedNanos;
  private boolean sent;
  private boolean recorded;
  private int status;

  /**
   * @param stats where the response is counted once it is handed to the connection
   * @param arrivedNanos {@link System#nanoTime()} when the request arrived
   */
  Exchange(Channel channel, HttpRequest request, int chunkBytes, GatewayStats stats,
      long arrivedNanos) {
    this.channel = channel;
    this.request = request;
    this.keepAlive = HttpUtil.isKeepAlive(request);
    this.chunkBytes = chunkBytes;
    this.stats = stats;
    this.arrivedNanos = arrivedNanos;
  }

  HttpRequest request() {
    return request;
  }

  boolean isHead() {
    return HttpMethod.HEAD.equals(request.method());
  }

  boolean sent() {
    return sent;
  }

  void sendError(HttpResponseStatus status, String message, HttpHeaders extra) {
    HttpHeaders headers = extra;
    headers.set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.HTML);
    headers.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    sendFull(status, headers, HtmlPages.error(status, message).getBytes(StandardCharsets.UTF_8));
  }

  void sendFull(HttpResponseStatus status, HttpHeaders headers, byte[] body) {
    markSent(status);
    record(isHead() ? 0 : body.length);
    DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        isHead() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    response.headers().set(headers);
    if (!status.equals(HttpResponseStatus.NOT_MODIFIED)) {
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    }
    complete(channel.writeAndFlush(prepare(response)));
  }

  /**
   * Sends {@code length} bytes of {@code body} from {@code offset} with the status line, in one
   * write and without copying them (the array must not change afterwards).
   */
  void sendFull(HttpResponseStatus status, HttpHeaders headers, byte[] body, int offset,
      int length) {
    markSent(status);
    record(isHead() ? 0 : length);
    DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        isHead() || length == 0 ? Unpooled.EMPTY_BUFFER
            : Unpooled.wrappedBuffer(body, offset, length));
    response.headers().set(headers);
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
    complete(channel.writeAndFlush(prepare(response)));
  }

  /** Streams a body; {@code contentLength} is -1 when unknown (chunked transfer coding). */
  void sendStream(HttpResponseStatus status, HttpHeaders headers, long contentLength, Body body) {
    markSent(status);
    DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    response.headers().set(headers);
    if (contentLength >= 0) {
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
    } else {
      response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    channel.write(prepare(response));
    if (isHead()) {
      record(0);
      complete(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
      return;
    }
    HttpBodyOutputStream out = new HttpBodyOutputStream(channel, chunkBytes);
    try {
      body.writeTo(out);
      if (contentLength >= 0 && out.bytesWritten() != contentLength) {
        throw new IOException("body of " + request.uri() + " was " + out.bytesWritten()
            + " bytes, not the announced " + contentLength);
      }
      record(out.bytesWritten());
      complete(out.finish());
    } catch (IOException | RuntimeException e) {
      record(out.bytesWritten());
      // The status line is gone; all that is left is to cut the connection so that the client
      // sees an incomplete body rather than a wrong one.
      LOG.debug("aborting response to {} after {} bytes: {}", request.uri(), out.bytesWritten(),
          e.toString());
      channel.flush();
      channel.close();
    }
  }

  /**
   * Called when the request's handling ended: counts it unless its response was counted
   * already, with status 0 when no response was sent.
   */
  void recordUnanswered() {
    record(0);
  }

  /**
   * Counts the response once, with the status sent ({@code 0} for none), just before its last
   * bytes go to the connection, so that a client never sees a response its counters miss.
   */
  private void record(long bodyBytes) {
    if (recorded) {
      return;
    }
    recorded = true;
    stats.record(status, bodyBytes, Duration.ofNanos(System.nanoTime() - arrivedNanos));
  }

  private void markSent(HttpResponseStatus status) {
    if (sent) {
      throw new IllegalStateException("a response to " + request.uri() + " was already sent");
    }
    sent = true;
    this.status = status.code();
  }

  private HttpResponse prepare(HttpResponse response) {
    HttpUtil.setKeepAlive(response, keepAlive);
    return response;
  }

  private void complete(ChannelFuture last) {
    if (keepAlive) {
      last.addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          f.channel().config().setAutoRead(true);
        } else {
          f.channel().close();
        }
      });
    } else {
      last.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
