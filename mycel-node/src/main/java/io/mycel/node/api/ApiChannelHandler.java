package io.mycel.node.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one connection: each request goes to a virtual thread as soon as its headers arrive,
 * its body streaming in behind it ({@link RequestBody}); requests are answered one at a time and
 * in order (pipelined ones wait).
 */
final class ApiChannelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ApiChannelHandler.class);

  private final ApiServer server;
  private final Executor executor;
  private final ArrayDeque<Object> pending = new ArrayDeque<>();
  private RequestBody body;
  private boolean busy;

  ApiChannelHandler(ApiServer server, Executor executor) {
    this.server = server;
    this.executor = executor;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!pending.isEmpty() || !servableNow(msg)) {
      pending.add(msg);
      ctx.channel().config().setAutoRead(false);
      return;
    }
    dispatch(ctx, msg);
  }

  /** A new request waits while one is served; the body of the one being served goes on. */
  private boolean servableNow(Object msg) {
    boolean forCurrentBody = msg instanceof HttpContent && !(msg instanceof HttpRequest)
        && body != null && !body.ended();
    return !busy || forCurrentBody;
  }

  private void dispatch(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      startRequest(ctx, request);
    }
    if (msg instanceof HttpContent content) {
      if (body != null && !body.ended()) {
        body.offer(content.content().retain());
        if (content instanceof LastHttpContent) {
          body.end();
          // Read nothing more until this request is answered.
          ctx.channel().config().setAutoRead(false);
        }
      }
    }
    ReferenceCountUtil.release(msg);
  }

  private void startRequest(ChannelHandlerContext ctx, HttpRequest request) {
    busy = true;
    Channel channel = ctx.channel();
    DecoderResult result = request.decoderResult();
    if (result.isFailure()) {
      body = RequestBody.empty(channel);
      rejectMalformed(channel, result.cause());
      return;
    }
    // Without a body the request is whole now (its empty last part follows and is dropped), so
    // its answer may keep the connection open however fast it comes.
    boolean hasBody = HttpUtil.isTransferEncodingChunked(request)
        || HttpUtil.getContentLength(request, 0L) > 0;
    body = hasBody ? new RequestBody(channel, server.options().bodyBufferBytes())
        : RequestBody.empty(channel);
    if (!hasBody) {
      channel.config().setAutoRead(false);
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    ApiRequest apiRequest = new ApiRequest(request.method().name(), uri.path(),
        uri.parameters(), request.headers(), body);
    RequestBody current = body;
    try {
      executor.execute(() -> {
        ApiResponse response = server.serve(apiRequest);
        write(channel, request.method().name().equals("HEAD"), keepAlive, current, response);
      });
    } catch (RejectedExecutionException e) {
      channel.close();
    }
  }

  private void rejectMalformed(Channel channel, Throwable cause) {
    int status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "the request line is longer than " + server.options().maxUrlBytes() + " bytes";
    } else if (cause instanceof TooLongHttpHeaderException
        || cause instanceof TooLongFrameException) {
      status = 431;
      message = "the request headers are larger than " + server.options().maxHeaderBytes()
          + " bytes";
    } else {
      status = 400;
      message = "malformed HTTP request: " + cause.getMessage();
    }
    write(channel, false, false, body,
        ApiResponse.json(status, ApiJson.error(status, message)));
  }

  /** Writes {@code response} (on the request's virtual thread) and then reads the next request. */
  private void write(Channel channel, boolean head, boolean keepAlive, RequestBody requestBody,
      ApiResponse response) {
    // A body the handler did not read to its end is not worth draining: close afterwards.
    boolean keep = keepAlive && requestBody.ended();
    HttpResponseStatus status = HttpResponseStatus.valueOf(response.status());
    byte[] bytes = response.bytes();
    ChannelFuture last;
    if (bytes != null) {
      DefaultFullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
          head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
      prepare(full, response, keep);
      full.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
      last = channel.writeAndFlush(full);
    } else {
      DefaultHttpResponse start = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
      prepare(start, response, keep);
      if (response.length() >= 0) {
        start.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.length());
      } else {
        start.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
      channel.write(start);
      if (head) {
        last = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      } else {
        io.mycel.node.gateway.HttpBodyOutputStream out = new io.mycel.node.gateway.HttpBodyOutputStream(channel, server.options().chunkBytes());
        try {
          response.stream().writeTo(out);
          if (response.length() >= 0 && out.bytesWritten() != response.length()) {
            throw new IOException("the body was " + out.bytesWritten()
                + " bytes, not the announced " + response.length());
          }
          last = out.finish();
        } catch (IOException | RuntimeException e) {
          // The status line is gone: cut the connection so the client sees an incomplete body.
          LOG.debug("aborting an API response after {} bytes: {}", out.bytesWritten(),
              e.toString());
          channel.flush();
          channel.close();
          return;
        }
      }
    }
    if (keep) {
      last.addListener((ChannelFutureListener) f -> {
        if (!f.isSuccess()) {
          f.channel().close();
          return;
        }
        ChannelHandlerContext ctx = f.channel().pipeline().context(this);
        if (ctx != null) {
          next(ctx);
        }
      });
    } else {
      last.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static void prepare(HttpResponse http, ApiResponse response, boolean keepAlive) {
    http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    http.headers().set("X-Content-Type-Options", "nosniff");
    for (Map.Entry<String, String> header : response.headers().entrySet()) {
      http.headers().set(header.getKey(), header.getValue());
    }
    HttpUtil.setKeepAlive(http, keepAlive);
  }

  /** On the event loop: the response is out; serve what waited, then read on. */
  private void next(ChannelHandlerContext ctx) {
    busy = false;
    if (body != null) {
      body.close();
    }
    body = null;
    while (!pending.isEmpty() && servableNow(pending.peek())) {
      dispatch(ctx, pending.poll());
    }
    if (pending.isEmpty() && (!busy || !body.ended())) {
      ctx.channel().config().setAutoRead(true);
      ctx.read();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (body != null) {
      body.fail("the client closed the connection");
      body.releaseAll();
    }
    while (!pending.isEmpty()) {
      ReferenceCountUtil.release(pending.poll());
    }
    super.channelInactive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      LOG.debug("closing idle API connection {}", ctx.channel().remoteAddress());
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("API connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
