package io.mycel.net.host;

import io.mycel.net.Stream;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a Netty channel over a {@link Stream} of another connection, so that a relayed
 * connection runs the same upgrade pipeline (multistream, Noise, Yamux) as a TCP one.
 *
 * <p>Each carried connection is a pair of in-process channels: the connection end runs the
 * upgrade pipeline; the pump end hands what the connection writes to the stream and what the
 * stream delivers to the connection, on two virtual threads. Both ends use Netty's default
 * allocator, like TCP channels. Closing either side closes the other: the stream's end (FIN or
 * reset) closes the channel, and the channel's close closes the stream. The in-process channels run on their own small event loop group, created on first use
 * and shut down with the host.
 */
final class StreamChannels implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamChannels.class);
  /** Largest chunk read from the carrying stream at once. */
  static final int READ_CHUNK = 64 * 1024;
  private static final int EVENT_LOOPS = 2;

  private final Executor executor;
  private final Map<SocketAddress, CompletableFuture<Pump>> pending = new ConcurrentHashMap<>();
  /** Both ends of every carried connection, closed before the event loops stop. */
  private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private EventLoopGroup group;
  private Channel server;
  private boolean closed;

  StreamChannels(Executor executor) {
    this.executor = executor;
  }

  /**
   * Opens a channel whose bytes travel over {@code carrier}. The returned channel has
   * auto-read off, like a freshly dialed TCP channel, so the caller can install its handlers
   * first.
   */
  CompletableFuture<Channel> open(Stream carrier) {
    Bootstrap bootstrap;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("host is closed"));
      }
      startIfNeeded();
      bootstrap = new Bootstrap()
          .group(group)
          .channel(LocalChannel.class)
          .option(ChannelOption.AUTO_READ, false)
          .handler(new ChannelInitializer<LocalChannel>() {
            @Override
            protected void initChannel(LocalChannel ch) {}
          });
    }
    CompletableFuture<Channel> result = new CompletableFuture<>();
    bootstrap.connect(server.localAddress()).addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(f.cause());
        return;
      }
      Channel ch = f.channel();
      open.add(ch);
      pumpFor(ch.localAddress()).whenComplete((pump, err) -> {
        pending.remove(ch.localAddress());
        if (err != null) {
          ch.close();
          result.completeExceptionally(err);
        } else {
          pump.attach(carrier, executor);
          result.complete(ch);
        }
      });
    });
    return result;
  }

  private CompletableFuture<Pump> pumpFor(SocketAddress connectionEnd) {
    return pending.computeIfAbsent(connectionEnd, k -> new CompletableFuture<>());
  }

  private void startIfNeeded() {
    if (group != null) {
      return;
    }
    group = new MultiThreadIoEventLoopGroup(EVENT_LOOPS, LocalIoHandler.newFactory());
    server = new ServerBootstrap()
        .group(group)
        .channel(LocalServerChannel.class)
        .childHandler(new ChannelInitializer<LocalChannel>() {
          @Override
          protected void initChannel(LocalChannel ch) {
            open.add(ch);
            Pump pump = new Pump(ch);
            ch.pipeline().addLast(pump);
            pumpFor(ch.remoteAddress()).complete(pump);
          }
        })
        .bind(new LocalAddress("mycel-relayed-" + UUID.randomUUID()))
        .syncUninterruptibly()
        .channel();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (group != null) {
      server.close();
      // Closed while their event loops still run, so that queued buffers are released in order.
      open.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /**
   * The stream end of a carried connection. Bytes the connection writes arrive here in
   * {@link #channelRead} and queue until the writer thread hands them to the stream; a
   * reader thread turns the stream's bytes into writes towards the connection.
   */
  private static final class Pump extends ChannelInboundHandlerAdapter {
    private static final Object END = new Object();
    private final Channel channel;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private boolean attached;
    private boolean ended;

    Pump(Channel channel) {
      this.channel = channel;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      synchronized (this) {
        if (!ended) {
          queue.add(msg);
          notifyAll();
          return;
        }
      }
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      synchronized (this) {
        queue.add(END);
        notifyAll();
        if (!attached) {
          drain();
        }
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("relayed channel failed: {}", cause.toString());
      ctx.close();
    }

    void attach(Stream carrier, Executor executor) {
      synchronized (this) {
        attached = true;
      }
      executor.execute(() -> toStream(carrier));
      executor.execute(() -> fromStream(carrier));
    }

    /** Connection to stream: writes queued buffers, flushing when the queue runs dry. */
    private void toStream(Stream carrier) {
      OutputStream out = carrier.output();
      // Copied through an array of our own: ByteBuf.readBytes(OutputStream) of a direct buffer
      // goes through a temporary array that other virtual threads may share while a write
      // blocks on the stream's window.
      byte[] copy = new byte[READ_CHUNK];
      boolean broken = false;
      while (true) {
        Object next;
        boolean more;
        synchronized (this) {
          while (queue.isEmpty()) {
            try {
              wait();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              channel.close();
              drainAfterInterrupt();
              carrier.reset();
              return;
            }
          }
          next = queue.poll();
          more = !queue.isEmpty();
        }
        if (next == END) {
          break;
        }
        ByteBuf buf = (ByteBuf) next;
        try {
          if (!broken) {
            while (buf.isReadable()) {
              int n = Math.min(copy.length, buf.readableBytes());
              buf.readBytes(copy, 0, n);
              out.write(copy, 0, n);
            }
            if (!more) {
              out.flush();
            }
          }
        } catch (IOException | RuntimeException e) {
          LOG.debug("relayed stream {} failed while writing: {}", carrier, e.toString());
          broken = true;
          channel.close();
        } finally {
          buf.release();
        }
      }
      synchronized (this) {
        ended = true;
      }
      if (broken) {
        carrier.reset();
      } else {
        carrier.close();
      }
    }

    private void drainAfterInterrupt() {
      synchronized (this) {
        ended = true;
        drain();
      }
    }

    /** Releases every queued buffer; called with the monitor held. */
    private void drain() {
      Object o;
      while ((o = queue.poll()) != null) {
        if (o != END) {
          ReferenceCountUtil.release(o);
        }
      }
    }

    /** Stream to connection: every chunk read is written to the connection end. */
    private void fromStream(Stream carrier) {
      InputStream in = carrier.input();
      byte[] chunk = new byte[READ_CHUNK];
      try {
        while (channel.isActive()) {
          int n = in.read(chunk);
          if (n < 0) {
            break;
          }
          if (n == 0) {
            continue;
          }
          ByteBuf buf = channel.alloc().buffer(n);
          buf.writeBytes(chunk, 0, n);
          ChannelFuture written = channel.writeAndFlush(buf);
          if (!channel.isWritable()) {
            written.awaitUninterruptibly();
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("relayed stream {} failed while reading: {}", carrier, e.toString());
      } finally {
        channel.close();
      }
    }
  }
}
