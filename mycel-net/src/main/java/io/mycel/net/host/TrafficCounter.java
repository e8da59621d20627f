package io.mycel.net.host;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First handler of every host connection: counts the raw bytes read from and written to the TCP
 * socket into the host's {@link Traffic}, and passes every message on untouched.
 */
@Sharable
final class TrafficCounter extends ChannelDuplexHandler {
  static final String NAME = "traffic";

  private final Traffic traffic;

  TrafficCounter(Traffic traffic) {
    this.traffic = traffic;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    traffic.connectionRead(sizeOf(msg));
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    traffic.connectionWritten(sizeOf(msg));
    ctx.write(msg, promise);
  }

  private static long sizeOf(Object msg) {
    if (msg instanceof ByteBuf buf) {
      return buf.readableBytes();
    }
    if (msg instanceof ByteBufHolder holder) {
      return holder.content().readableBytes();
    }
    return 0;
  }
}
