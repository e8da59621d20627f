package io.mycel.net.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.peer.PeerId;
import io.mycel.net.PeerIdMismatchException;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Noise over real TCP sockets on 127.0.0.1. */
class NoiseLoopbackTest {
  private static final int SIZE = 1 << 20;

  private final PrivateKey clientKey = Ed25519.generate();
  private final PrivateKey serverKey = Ed25519.generate();
  private EventLoopGroup group;
  private Channel server;
  private final CompletableFuture<NoiseHandler> serverHandler = new CompletableFuture<>();

  @BeforeEach
  void startServer() throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    NoiseHandler noise = new NoiseHandler(false, serverKey, null);
                    ch.pipeline().addLast(noise, new Echo());
                    serverHandler.complete(noise);
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.close().sync();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @Test
  void aMebibyteGoesThereAndBack() throws Exception {
    PeerId serverId = PeerId.fromPublicKey(serverKey.publicKey());
    NoiseHandler noise = new NoiseHandler(true, clientKey, serverId);
    Collector collector = new Collector(SIZE);
    Channel client = connect(noise, collector);

    SecureSession session = noise.handshakeFuture().get(5, TimeUnit.SECONDS);
    assertThat(session.remotePeer()).isEqualTo(serverId);
    assertThat(
            serverHandler
                .get(5, TimeUnit.SECONDS)
                .handshakeFuture()
                .get(5, TimeUnit.SECONDS)
                .remotePeer())
        .isEqualTo(PeerId.fromPublicKey(clientKey.publicKey()));

    byte[] data = new byte[SIZE];
    new Random(7).nextBytes(data);
    client.writeAndFlush(Unpooled.wrappedBuffer(data)).sync();
    assertThat(collector.done.get(10, TimeUnit.SECONDS)).isEqualTo(data);
    client.close().sync();
  }

  @Test
  void dialingTheWrongPeerFailsAndCloses() throws Exception {
    PeerId someoneElse = PeerId.fromPublicKey(Ed25519.generate().publicKey());
    NoiseHandler noise = new NoiseHandler(true, clientKey, someoneElse);
    Channel client = connect(noise, new Collector(1));

    assertThat(noise.handshakeFuture())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(PeerIdMismatchException.class);
    assertThat(client.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(serverHandler.get(5, TimeUnit.SECONDS).handshakeFuture())
        .failsWithin(Duration.ofSeconds(5));
  }

  private Channel connect(NoiseHandler noise, Collector collector) throws InterruptedException {
    return new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(noise, collector);
              }
            })
        .connect(server.localAddress())
        .sync()
        .channel();
  }

  /** Writes every plaintext buffer back. */
  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }

  /** Gathers plaintext until {@code expected} bytes arrived. */
  private static final class Collector extends ChannelInboundHandlerAdapter {
    final CompletableFuture<byte[]> done = new CompletableFuture<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final int expected;

    Collector(int expected) {
      this.expected = expected;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        received.writeBytes(bytes);
      } finally {
        buf.release();
      }
      if (received.size() >= expected) {
        done.complete(received.toByteArray());
      }
    }
  }
}
