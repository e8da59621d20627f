package io.mycel.net.host;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.Stream;
import io.mycel.net.multistream.Multistream;
import io.mycel.net.mux.MuxedStream;
import io.mycel.net.yamux.YamuxSession;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A TCP or relayed connection secured by Noise and multiplexed by Yamux. */
final class NettyConnection implements Connection {
  private static final Logger LOG = LoggerFactory.getLogger(NettyConnection.class);

  private final NettyHost host;
  private final Channel channel;
  private final YamuxSession muxer;
  private final PeerId remotePeer;
  private final boolean initiator;
  private final Multiaddr remoteAddress;
  private final Multiaddr localAddress;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

  NettyConnection(NettyHost host, Channel channel, YamuxSession muxer, PeerId remotePeer,
      boolean initiator, Multiaddr remoteAddress, Multiaddr localAddress) {
    this.host = host;
    this.channel = channel;
    this.muxer = muxer;
    this.remotePeer = remotePeer;
    this.initiator = initiator;
    this.remoteAddress = remoteAddress;
    this.localAddress = localAddress;
    channel.closeFuture().addListener(f -> closeFuture.complete(null));
  }

  Channel channel() {
    return channel;
  }

  @Override
  public PeerId remotePeer() {
    return remotePeer;
  }

  @Override
  public PeerId localPeer() {
    return host.peerId();
  }

  @Override
  public Multiaddr remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Multiaddr localAddress() {
    return localAddress;
  }

  @Override
  public boolean isInitiator() {
    return initiator;
  }

  @Override
  public String securityProtocol() {
    return NettyHost.NOISE;
  }

  @Override
  public String muxerProtocol() {
    return NettyHost.YAMUX;
  }

  @Override
  public CompletableFuture<Stream> openStream(List<String> protocols) {
    if (protocols.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("no protocol to open"));
    }
    if (!isOpen()) {
      return CompletableFuture.failedFuture(
          new ConnectionClosedException("connection to " + remotePeer + " is closed"));
    }
    return muxer
        .openStream()
        .thenApplyAsync(muxed -> negotiateOutbound(muxed, protocols), host.blockingExecutor());
  }

  private Stream negotiateOutbound(MuxedStream muxed, List<String> protocols) {
    ScheduledFuture<?> deadline = resetAfterTimeout(muxed, "negotiating " + protocols);
    try {
      String chosen = Multistream.select(muxed.input(), muxed.output(), protocols);
      return new HostStream(muxed, this, chosen, host.traffic().protocol(chosen));
    } catch (Exception e) {
      muxed.reset();
      throw e instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(e);
    } finally {
      deadline.cancel(false);
    }
  }

  /** Serves one inbound stream: negotiates its protocol and runs the handler. */
  void serveInbound(MuxedStream muxed) {
    ScheduledFuture<?> deadline = resetAfterTimeout(muxed, "inbound negotiation");
    String protocol;
    try {
      protocol =
          Multistream.respond(
              muxed.input(),
              muxed.output(),
              id -> host.protocols().handler(id).isPresent(),
              host.protocols()::protocols);
    } catch (Exception e) {
      LOG.debug("inbound stream {} from {} failed negotiation: {}", muxed.id(), remotePeer, e.toString());
      muxed.reset();
      return;
    } finally {
      deadline.cancel(false);
    }
    var handler = host.protocols().handler(protocol);
    if (handler.isEmpty()) {
      muxed.reset();
      return;
    }
    HostStream stream = new HostStream(muxed, this, protocol, host.traffic().protocol(protocol));
    try {
      handler.get().handle(stream);
      stream.close();
    } catch (Exception e) {
      LOG.debug("{} handler failed on {}: {}", protocol, stream, e.toString());
      stream.reset();
    }
  }

  private ScheduledFuture<?> resetAfterTimeout(MuxedStream muxed, String what) {
    Duration timeout = host.config().negotiationTimeout();
    return channel
        .eventLoop()
        .schedule(
            () -> {
              LOG.warn("resetting stream {} with {}: {} timed out after {} ms", muxed.id(), remotePeer,
                  what, timeout.toMillis());
              muxed.reset();
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  @Override
  public int streamCount() {
    return muxer.streamCount();
  }

  @Override
  public CompletableFuture<Duration> muxerPing() {
    return muxer.ping();
  }

  @Override
  public CompletableFuture<Void> close() {
    if (channel.isActive()) {
      muxer.goAway(0);
      channel.close();
    }
    return closeFuture;
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public String toString() {
    return (initiator ? "outbound" : "inbound") + " connection with " + remotePeer + " at " + remoteAddress;
  }
}
