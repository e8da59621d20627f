package io.mycel.net.host;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.MycelNetException;
import io.mycel.net.multistream.MultistreamHandler;
import io.mycel.net.noise.NoiseHandler;
import io.mycel.net.yamux.YamuxSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a raw TCP channel into a libp2p connection: multistream-select {@code /noise}, the Noise
 * XX handshake, multistream-select {@code /yamux/1.0.0}, then a Yamux session. Each step's
 * handler is added on the event loop when the previous step completes, before any leftover
 * bytes of the same read are passed on, so no byte is lost between steps.
 */
final class ConnectionUpgrader {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionUpgrader.class);
  static final String GUARD = "guard";

  private final NettyHost host;

  ConnectionUpgrader(NettyHost host) {
    this.host = host;
  }

  /** Starts the upgrade; the future completes with the established connection or the failure. */
  CompletableFuture<NettyConnection> upgrade(Channel channel, boolean initiator, PeerId expected) {
    return upgrade(channel, initiator, expected, NettyHost.toMultiaddr(channel.remoteAddress()),
        NettyHost.toMultiaddr(channel.localAddress()));
  }

  /**
   * Starts the upgrade of a channel whose socket addresses are not multiaddrs (a relayed
   * connection's in-process channel), naming the connection's addresses explicitly.
   */
  CompletableFuture<NettyConnection> upgrade(Channel channel, boolean initiator, PeerId expected,
      Multiaddr remoteAddress, Multiaddr localAddress) {
    CompletableFuture<NettyConnection> result = new CompletableFuture<>();
    String remote = String.valueOf(remoteAddress);
    long timeoutMs = host.config().handshakeTimeout().toMillis();
    ScheduledFuture<?> deadline =
        channel
            .eventLoop()
            .schedule(
                () -> {
                  if (result.completeExceptionally(new MycelNetException(
                      "connection upgrade timed out after " + timeoutMs + " ms"))) {
                    LOG.warn("closing {}: connection upgrade timed out after {} ms", remote, timeoutMs);
                    channel.close();
                  }
                },
                timeoutMs,
                TimeUnit.MILLISECONDS);
    result.whenComplete((c, e) -> deadline.cancel(false));
    channel.pipeline().addLast(GUARD, new Guard(remote, result));

    MultistreamHandler security = new MultistreamHandler(initiator, List.of(NettyHost.NOISE));
    channel.pipeline().addBefore(GUARD, "security-select", security);
    security.selectedFuture().whenComplete((proto, err) -> {
      if (fail(channel, result, err, remote, "security negotiation")) {
        return;
      }
      NoiseHandler noise = new NoiseHandler(initiator, host.privateKey(), expected);
      channel.pipeline().addBefore(GUARD, "noise", noise);
      noise.handshakeFuture().whenComplete((session, err2) -> {
        if (fail(channel, result, err2, remote, "noise handshake")) {
          return;
        }
        MultistreamHandler muxerSelect = new MultistreamHandler(initiator, List.of(NettyHost.YAMUX));
        channel.pipeline().addBefore(GUARD, "muxer-select", muxerSelect);
        muxerSelect.selectedFuture().whenComplete((proto2, err3) -> {
          if (fail(channel, result, err3, remote, "muxer negotiation")) {
            return;
          }
          PeerId remotePeer = session.remotePeer();
          NettyConnection[] holder = new NettyConnection[1];
          YamuxSession yamux = new YamuxSession(initiator, host.yamuxConfig(),
              muxed -> host.blockingExecutor().execute(() -> holder[0].serveInbound(muxed)));
          NettyConnection connection = new NettyConnection(host, channel, yamux, remotePeer, initiator,
              remoteAddress, localAddress);
          holder[0] = connection;
          channel.pipeline().addBefore(GUARD, "yamux", yamux);
          if (!result.complete(connection)) {
            channel.close();
          }
        });
      });
    });
    return result;
  }

  private static boolean fail(Channel channel, CompletableFuture<NettyConnection> result,
      Throwable err, String remote, String step) {
    if (err == null) {
      return false;
    }
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (result.completeExceptionally(cause)) {
      LOG.warn("closing {}: {} failed: {}", remote, step, cause.getMessage());
    }
    channel.close();
    return true;
  }

  /**
   * Last handler of every connection: fails the upgrade if the channel closes early, and closes
   * the channel on any exception that reached the end of the pipeline, naming the reason.
   */
  private static final class Guard extends ChannelInboundHandlerAdapter {
    private final String remote;
    private final CompletableFuture<NettyConnection> upgrade;

    Guard(String remote, CompletableFuture<NettyConnection> upgrade) {
      this.remote = remote;
      this.upgrade = upgrade;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (upgrade.completeExceptionally(new MycelNetException(
          "connection closed by " + remote + " during the upgrade"))) {
        LOG.info("{} closed the connection during the upgrade", remote);
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      io.netty.util.ReferenceCountUtil.release(msg);
      LOG.warn("closing {}: unexpected bytes after the handlers", remote);
      ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (upgrade.completeExceptionally(cause)) {
        LOG.warn("closing {}: connection upgrade failed: {}", remote, cause.getMessage());
      } else {
        LOG.warn("closing {}: {}", remote, cause.getMessage());
      }
      ctx.close();
    }
  }
}
