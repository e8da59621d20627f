package io.mycel.node.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each request to a virtual thread and stops reading the connection until its response
 * is written, so pipelined requests are answered in order and no blocking work runs on the
 * event loop.
 */
final class GatewayHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

  private final PathGateway gateway;
  private final Executor executor;
  private final GatewayOptions options;
  private final GatewayStats stats;

  GatewayHandler(PathGateway gateway, Executor executor, GatewayOptions options,
      GatewayStats stats) {
    super(false);
    this.gateway = gateway;
    this.executor = executor;
    this.options = options;
    this.stats = stats;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    long arrived = System.nanoTime();
    ctx.channel().config().setAutoRead(false);
    DecoderResult result = request.decoderResult();
    if (result.isFailure()) {
      request.release();
      rejectMalformed(ctx, request, result.cause(), arrived);
      return;
    }
    Exchange exchange = new Exchange(ctx.channel(), request, options.chunkBytes(), stats, arrived);
    try {
      executor.execute(() -> {
        try {
          gateway.serve(exchange);
        } finally {
          request.release();
          exchange.recordUnanswered();
        }
      });
    } catch (RejectedExecutionException e) {
      request.release();
      exchange.recordUnanswered();
      ctx.close();
    }
  }

  private void rejectMalformed(ChannelHandlerContext ctx, FullHttpRequest request,
      Throwable cause, long arrivedNanos) {
    HttpResponseStatus status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
      message = "the request line is longer than " + options.maxUrlBytes() + " bytes";
    } else if (cause instanceof TooLongHttpHeaderException
        || cause instanceof TooLongFrameException) {
      status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
      message = "the request headers are larger than " + options.maxHeaderBytes() + " bytes";
    } else {
      status = HttpResponseStatus.BAD_REQUEST;
      message = "malformed HTTP request: " + cause.getMessage();
    }
    HttpUtil.setKeepAlive(request, false);
    new Exchange(ctx.channel(), request, options.chunkBytes(), stats, arrivedNanos)
        .sendError(status, message, new DefaultHttpHeaders());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      LOG.debug("closing idle gateway connection {}", ctx.channel().remoteAddress());
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("gateway connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
