package io.mycel.node.api;

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
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API: JSON routes under {@code /api/v0/} registered in {@link #routes()}, and
 * whatever else is registered there (static files, {@code /metrics}). Requests run on virtual
 * threads with their bodies streamed in and out. Every request passes the access policy first
 * ({@link ApiAccess}: same origin only, loopback host names on a loopback address, the bearer
 * token when one is configured); errors are answered as {@code {"error": "...", "code": status}}.
 *
 * <pre>{@code
 * try (ApiServer api = new ApiServer(ApiOptions.defaults())) {
 *   api.routes().add("GET", "/api/v0/version", request -> ApiResponse.json(Map.of("v", 1)));
 *   InetSocketAddress at = api.start(new InetSocketAddress("127.0.0.1", 7070));
 * }
 * }</pre>
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  /** The prefix of the API's own JSON routes. */
  public static final String PREFIX = "/api/v0/";
  private static final int WRITE_LOW_WATER = 64 * 1024;
  private static final int WRITE_HIGH_WATER = 256 * 1024;

  private final ApiOptions options;
  private final ApiRoutes routes = new ApiRoutes();
  private final EventLoopGroup group;
  private final ExecutorService requests = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("api-request-", 0).factory());
  private final ChannelGroup channels = new DefaultChannelGroup("api",
      GlobalEventExecutor.INSTANCE);
  private volatile ApiAccess access;
  private Channel serverChannel;
  private boolean closed;

  public ApiServer(ApiOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.group = new MultiThreadIoEventLoopGroup(options.eventLoopThreads(),
        NioIoHandler.newFactory());
  }

  /** The route table; routes may be added before or after {@link #start}. */
  public ApiRoutes routes() {
    return routes;
  }

  public ApiOptions options() {
    return options;
  }

  /**
   * Starts listening on {@code bind} (port 0 picks a free port).
   *
   * @return the address listened on
   * @throws IllegalArgumentException when {@code bind} is not a loopback address and no token is
   *     configured
   */
  public synchronized InetSocketAddress start(InetSocketAddress bind) throws IOException {
    if (closed) {
      throw new IllegalStateException("the API server is closed");
    }
    if (serverChannel != null) {
      throw new IllegalStateException("the API server already listens on " + address());
    }
    boolean loopback = bind.getAddress() != null && bind.getAddress().isLoopbackAddress();
    if (!loopback && options.token().isEmpty()) {
      throw new IllegalArgumentException("the API may listen on " + bind.getHostString()
          + ", which is not a loopback address, only with a token (api.token)");
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
                    .setMaxInitialLineLength(options.maxUrlBytes() + 32)
                    .setMaxHeaderSize(options.maxHeaderBytes())))
                .addLast(new HttpServerExpectContinueHandler())
                .addLast(new ApiChannelHandler(ApiServer.this, requests));
          }
        });
    ChannelFuture bound = bootstrap.bind(bind).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new IOException("the API cannot listen on " + bind + ": "
          + bound.cause().getMessage(), bound.cause());
    }
    serverChannel = bound.channel();
    InetSocketAddress at = address();
    access = new ApiAccess(at, options.token());
    LOG.info("API listening on {}", url());
    return at;
  }

  /** The address listened on, or null before {@link #start}. */
  public synchronized InetSocketAddress address() {
    return serverChannel == null ? null : (InetSocketAddress) serverChannel.localAddress();
  }

  /** The API's base URL, e.g. {@code http://127.0.0.1:7070}, or null before {@link #start}. */
  public String url() {
    InetSocketAddress at = address();
    if (at == null) {
      return null;
    }
    return io.mycel.node.HttpUrls.base(at);
  }

  /** Every registered route. */
  public List<ApiRoutes.Route> routeList() {
    return routes.list();
  }

  /** Answers one request: access policy, route, handler, errors as JSON. */
  ApiResponse serve(ApiRequest request) {
    try {
      access.check(request);
      ApiHandler handler = routes.find(request.method(), request.path());
      if (handler == null) {
        List<String> methods = routes.methods(request.path());
        if (!methods.isEmpty()) {
          return error(new ApiException(405, request.method() + " is not allowed on "
              + request.path() + "; use " + String.join(" or ", methods)
              + (methods.contains("POST") ? " (changes are made with POST only)" : "")))
              .header("Allow", String.join(", ", methods));
        }
        throw ApiException.notFound("no such API route: " + request.path());
      }
      ApiResponse response = handler.handle(request);
      if (response == null) {
        throw new IllegalStateException("the handler of " + request.path() + " gave no answer");
      }
      return response;
    } catch (ApiException e) {
      return error(e);
    } catch (IllegalArgumentException e) {
      return error(new ApiException(400, e.getMessage()));
    } catch (FileNotFoundException | java.nio.file.NoSuchFileException
        | io.mycel.content.unixfs.PathNotFoundException e) {
      return error(new ApiException(404, e.getMessage()));
    } catch (io.mycel.content.blockstore.BlockUnavailableException e) {
      return error(new ApiException(504, e.getMessage()));
    } catch (io.mycel.content.blockstore.BlockNotFoundException e) {
      return error(new ApiException(404, e.getMessage()));
    } catch (io.mycel.content.blockstore.BlockstoreFullException e) {
      return error(new ApiException(507, e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(new ApiException(503, "the node is stopping"));
    } catch (Exception e) {
      LOG.warn("API {} {} failed", request.method(), request.path(), e);
      return error(new ApiException(500, e.getMessage() != null ? e.getMessage() : e.toString()));
    }
  }

  private static ApiResponse error(ApiException e) {
    ApiResponse response = ApiResponse.json(e.status(), ApiJson.error(e.status(), e.getMessage()));
    if (e.status() == 401) {
      response.header("WWW-Authenticate", "Bearer realm=\"mycel\"");
    }
    return response;
  }

  /** How long {@link #close()} lets requests in progress finish before it ends them. */
  public static final java.time.Duration DRAIN_TIMEOUT = java.time.Duration.ofSeconds(10);

  /**
   * Stops listening, lets requests in progress finish (an add being written, a response being
   * sent) for up to {@link #DRAIN_TIMEOUT}, then closes every connection and ends what is left.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly();
    }
    requests.shutdown();
    try {
      if (!requests.awaitTermination(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("API requests still running {} after the daemon began to stop; ending them",
            DRAIN_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channels.close().awaitUninterruptibly();
    requests.shutdownNow();
    try {
      if (!requests.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("API requests still running after close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
