package io.mycel.net.yamux;

import io.mycel.net.mux.MuxedStream;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Two Yamux sessions straight over a loopback TCP connection, without security. */
final class YamuxPair implements AutoCloseable {
  final YamuxSession client;
  final YamuxSession server;
  final Channel clientChannel;
  final Channel serverChannel;
  /** Streams the server opened, as the client's acceptor received them. */
  final LinkedBlockingQueue<MuxedStream> clientInbound;
  private final Channel listener;

  private YamuxPair(YamuxSession client, YamuxSession server, Channel clientChannel,
      Channel serverChannel, LinkedBlockingQueue<MuxedStream> clientInbound, Channel listener) {
    this.client = client;
    this.server = server;
    this.clientChannel = clientChannel;
    this.serverChannel = serverChannel;
    this.clientInbound = clientInbound;
    this.listener = listener;
  }

  /**
   * Connects a client session to a server session whose acceptor is {@code serverAcceptor}.
   *
   * @param socketBuffer SO_SNDBUF and SO_RCVBUF of both sockets, or 0 for the system's
   */
  static YamuxPair start(EventLoopGroup group, YamuxConfig clientConfig, YamuxConfig serverConfig,
      Consumer<MuxedStream> serverAcceptor, int socketBuffer) throws Exception {
    CompletableFuture<Channel> accepted = new CompletableFuture<>();
    YamuxSession server = new YamuxSession(false, serverConfig, serverAcceptor);
    ServerBootstrap serverBootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(server);
            accepted.complete(ch);
          }
        });
    Bootstrap clientBootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class);
    if (socketBuffer > 0) {
      serverBootstrap.childOption(ChannelOption.SO_RCVBUF, socketBuffer)
          .childOption(ChannelOption.SO_SNDBUF, socketBuffer);
      clientBootstrap.option(ChannelOption.SO_RCVBUF, socketBuffer)
          .option(ChannelOption.SO_SNDBUF, socketBuffer);
    }
    Channel listener = serverBootstrap.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    LinkedBlockingQueue<MuxedStream> clientInbound = new LinkedBlockingQueue<>();
    YamuxSession client = new YamuxSession(true, clientConfig, clientInbound::add);
    Channel clientChannel = clientBootstrap.handler(client).connect(listener.localAddress()).sync().channel();
    Channel serverChannel = accepted.get(5, TimeUnit.SECONDS);
    return new YamuxPair(client, server, clientChannel, serverChannel, clientInbound, listener);
  }

  @Override
  public void close() throws Exception {
    clientChannel.close().sync();
    serverChannel.close().sync();
    listener.close().sync();
    client.closeFuture().get(5, TimeUnit.SECONDS);
    server.closeFuture().get(5, TimeUnit.SECONDS);
    clientInbound.forEach(MuxedStream::reset);
  }
}
