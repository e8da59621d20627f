package io.mycel.net.host;

import static io.mycel.net.host.HostTest.addressOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.Ed25519;
import io.mycel.net.Connection;
import io.mycel.net.multistream.MultistreamHandler;
import io.mycel.net.noise.NoiseHandler;
import io.mycel.net.ping.PingService;
import io.mycel.net.testing.LogCapture;
import io.mycel.net.testing.TestHosts;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A peer that completes Noise and Yamux negotiation honestly and then writes bad Yamux frames
 * into the encrypted channel: the host must close that connection, say why, and keep serving.
 */
class HostYamuxBadInputTest {
  @RegisterExtension final TestHosts hosts = new TestHosts();
  @RegisterExtension final LogCapture logs = new LogCapture();
  private EventLoopGroup group;

  @BeforeEach
  void startGroup() {
    group = NettyHost.newEventLoopGroup();
  }

  @AfterEach
  void stopGroup() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Connects to {@code host} up to a selected /yamux/1.0.0, with no Yamux session of our own. */
  private Channel secureChannelTo(NettyHost host) throws Exception {
    CompletableFuture<Channel> ready = new CompletableFuture<>();
    var target = host.listenAddresses().get(0).toSocketAddress();
    Channel channel = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.AUTO_READ, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            MultistreamHandler security = new MultistreamHandler(true, List.of("/noise"));
            ch.pipeline().addLast("sink", new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
              }
            });
            ch.pipeline().addBefore("sink", "security", security);
            security.selectedFuture().whenComplete((p, e) -> {
              if (e != null) {
                ready.completeExceptionally(e);
                return;
              }
              NoiseHandler noise = new NoiseHandler(true, Ed25519.generate(), host.peerId());
              ch.pipeline().addBefore("sink", "noise", noise);
              noise.handshakeFuture().whenComplete((s, e2) -> {
                if (e2 != null) {
                  ready.completeExceptionally(e2);
                  return;
                }
                MultistreamHandler muxer = new MultistreamHandler(true, List.of("/yamux/1.0.0"));
                ch.pipeline().addBefore("sink", "muxer", muxer);
                muxer.selectedFuture().whenComplete((p2, e3) -> {
                  if (e3 != null) {
                    ready.completeExceptionally(e3);
                  } else {
                    ready.complete(ch);
                  }
                });
              });
            });
          }
        })
        .connect(target).sync().channel();
    ready.get(10, TimeUnit.SECONDS);
    return channel;
  }

  private static ByteBuf header(int version, int type, int flags, long streamId, long length) {
    ByteBuf buf = Unpooled.buffer(12);
    buf.writeByte(version).writeByte(type).writeShort(flags).writeInt((int) streamId).writeInt((int) length);
    return buf;
  }

  private void assertClosedAndStillServing(NettyHost host, Channel evil) throws Exception {
    assertThat(evil.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
    NettyHost probe = hosts.start();
    Connection c = probe.dial(addressOf(host)).get(10, TimeUnit.SECONDS);
    assertThat(PingService.ping(c).get(10, TimeUnit.SECONDS)).isPositive();
  }

  @Test
  void anUnknownFrameTypeClosesTheConnection() throws Exception {
    NettyHost host = hosts.start();
    Channel evil = secureChannelTo(host);
    evil.writeAndFlush(header(0, 7, 0, 1, 0));
    logs.await(Duration.ofSeconds(10), "yamux", "type");
    assertClosedAndStillServing(host, evil);
  }

  @Test
  void aDataFrameOverTheLimitClosesTheConnection() throws Exception {
    NettyHost host = hosts.start();
    Channel evil = secureChannelTo(host);
    // Open stream 1, then announce 8 MiB of data: far past the 256 KiB window it was granted.
    evil.write(header(0, 1, 1, 1, 0));
    evil.writeAndFlush(header(0, 0, 0, 1, 8L << 20));
    logs.await(Duration.ofSeconds(10), "yamux", "frame");
    assertClosedAndStillServing(host, evil);
  }

  @Test
  void aBadVersionClosesTheConnection() throws Exception {
    NettyHost host = hosts.start();
    Channel evil = secureChannelTo(host);
    evil.writeAndFlush(header(9, 2, 1, 0, 42));
    logs.await(Duration.ofSeconds(10), "yamux", "version");
    assertClosedAndStillServing(host, evil);
  }
}
