package io.mycel.node.gateway;

import io.mycel.content.blockstore.Blockstore;
import io.mycel.core.cid.Cid;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only IPFS HTTP gateway over a {@link Blockstore}: the path gateway
 * {@code GET/HEAD /ipfs/{cid}[/path]} with UnixFS files and folders, byte ranges, and the
 * trustless responses ({@code ?format=raw}, {@code ?format=car}, or the matching
 * {@code Accept} types); {@code /ipns/{name}[/path]} when given a {@link NameResolver}; and the
 * subdomain gateway ({@code {cid}.ipfs.localhost}, {@code {name}.ipns.localhost}, see
 * {@link GatewayOptions#subdomainHost}) where sites' {@code _redirects} and {@code 404.html}
 * apply. Requests are served on virtual threads; bodies are streamed.
 *
 * <pre>{@code
 * try (Gateway gateway = new Gateway(repo.blocks(), GatewayOptions.defaults())) {
 *   InetSocketAddress at = gateway.start(new InetSocketAddress("127.0.0.1", 8080));
 * }
 * }</pre>
 *
 * @see <a href="https://specs.ipfs.tech/http-gateways/path-gateway/">Path Gateway</a>
 * @see <a href="https://specs.ipfs.tech/http-gateways/trustless-gateway/">Trustless Gateway</a>
 * @see <a href="https://specs.ipfs.tech/http-gateways/subdomain-gateway/">Subdomain Gateway</a>
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  /** Most bytes of a request body accepted (the gateway reads none; this bounds what it drops). */
  static final int MAX_REQUEST_BODY_BYTES = 64 * 1024;
  private static final int WRITE_LOW_WATER = 64 * 1024;
  private static final int WRITE_HIGH_WATER = 256 * 1024;

  private final GatewayOptions options;
  private final PathGateway pathGateway;
  private final GatewayStats stats = new GatewayStats();
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final ExecutorService requests = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("gateway-request-", 0).factory());
  private final ChannelGroup channels = new DefaultChannelGroup("gateway",
      GlobalEventExecutor.INSTANCE);
  private Channel serverChannel;
  private boolean closed;

  /** A gateway with its own event loop group. */
  public Gateway(Blockstore store, GatewayOptions options) {
    this(store, options, null, null);
  }

  /** A gateway with its own event loop group that serves {@code /ipns/} through {@code names}. */
  public Gateway(Blockstore store, GatewayOptions options, NameResolver names) {
    this(store, options, null, names);
  }

  /**
   * A gateway on {@code sharedGroup} (not shut down by {@link #close}), or on a group of its own
   * when that is null.
   */
  public Gateway(Blockstore store, GatewayOptions options, EventLoopGroup sharedGroup) {
    this(store, options, sharedGroup, null);
  }

  /**
   * A gateway that also serves {@code /ipns/{name}} through {@code names} (none when null: such
   * requests are answered 501), on {@code sharedGroup} or on a group of its own when that is null.
   */
  public Gateway(Blockstore store, GatewayOptions options, EventLoopGroup sharedGroup,
      NameResolver names) {
    this(store, options, sharedGroup, names, root -> {});
  }

  /**
   * As {@link #Gateway(Blockstore, GatewayOptions, EventLoopGroup, NameResolver)}, telling
   * {@code served} the root CID of each request answered with content (a cache announces it).
   */
  public Gateway(Blockstore store, GatewayOptions options, EventLoopGroup sharedGroup,
      NameResolver names, Consumer<Cid> served) {
    Objects.requireNonNull(store, "store");
    this.options = Objects.requireNonNull(options, "options");
    this.pathGateway = new PathGateway(store, options, names, Objects.requireNonNull(served,
        "served"));
    this.ownsGroup = sharedGroup == null;
    this.group = ownsGroup
        ? new MultiThreadIoEventLoopGroup(options.eventLoopThreads(), NioIoHandler.newFactory())
        : sharedGroup;
  }

  /**
   * Starts listening on {@code bind} (port 0 picks a free port).
   *
   * @return the address listened on
   */
  public synchronized InetSocketAddress start(InetSocketAddress bind) throws IOException {
    if (closed) {
      throw new IllegalStateException("the gateway is closed");
    }
    if (serverChannel != null) {
      throw new IllegalStateException("the gateway already listens on " + address());
    }
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(WRITE_LOW_WATER, WRITE_HIGH_WATER))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            channels.add(ch);
            ch.pipeline()
                .addLast(new IdleStateHandler(0, 0, options.idleTimeout().toMillis(),
                    TimeUnit.MILLISECONDS))
                .addLast(new HttpServerCodec(new HttpDecoderConfig()
                    // the request line also holds the method and the version
                    .setMaxInitialLineLength(options.maxUrlBytes() + 32)
                    .setMaxHeaderSize(options.maxHeaderBytes())))
                .addLast(new HttpObjectAggregator(MAX_REQUEST_BODY_BYTES))
                .addLast(new GatewayHandler(pathGateway, requests, options, stats));
          }
        });
    ChannelFuture bound = bootstrap.bind(bind).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new IOException("the gateway cannot listen on " + bind + ": "
          + bound.cause().getMessage(), bound.cause());
    }
    serverChannel = bound.channel();
    InetSocketAddress at = address();
    LOG.info("gateway listening on http://{}:{}", at.getHostString(), at.getPort());
    return at;
  }

  /** The address listened on, or null before {@link #start}. */
  public synchronized InetSocketAddress address() {
    return serverChannel == null ? null : (InetSocketAddress) serverChannel.localAddress();
  }

  public GatewayOptions options() {
    return options;
  }

  /** Requests answered, their status codes, body bytes and latencies, since the gateway started. */
  public GatewayStats stats() {
    return stats;
  }

  /** Stops listening, closes every connection and ends requests in progress. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly();
    }
    channels.close().awaitUninterruptibly();
    requests.shutdownNow();
    try {
      if (!requests.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("gateway requests still running after close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }
}
