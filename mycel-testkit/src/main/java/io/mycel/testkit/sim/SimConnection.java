package io.mycel.testkit.sim;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.ProtocolHandler;
import io.mycel.net.ProtocolNegotiationException;
import io.mycel.net.Stream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side of a simulated connection. Opening a stream costs no round trip (multistream-select
 * with the request pipelined behind the protocol proposal); the remote handler starts on a
 * virtual thread when the opening arrives, one link latency later.
 */
final class SimConnection implements Connection {

  private static final Logger log = LoggerFactory.getLogger(SimConnection.class);

  private final SimNetwork network;
  private final SimHost local;
  private final SimHost remote;
  private final boolean initiator;
  private final Link out;
  private final Set<SimStream> streams = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private SimConnection other;

  private SimConnection(SimNetwork network, SimHost local, SimHost remote, boolean initiator) {
    this.network = network;
    this.local = local;
    this.remote = remote;
    this.initiator = initiator;
    this.out = new Link(network, local, remote);
  }

  /** Both sides of a new connection: the dialer's first. */
  static SimConnection[] pair(SimNetwork network, SimHost dialer, SimHost listener) {
    SimConnection a = new SimConnection(network, dialer, listener, true);
    SimConnection b = new SimConnection(network, listener, dialer, false);
    a.other = b;
    b.other = a;
    return new SimConnection[] {a, b};
  }

  SimNetwork network() {
    return network;
  }

  Link out() {
    return out;
  }

  void forget(SimStream stream) {
    streams.remove(stream);
  }

  @Override
  public PeerId remotePeer() {
    return remote.peerId();
  }

  @Override
  public PeerId localPeer() {
    return local.peerId();
  }

  @Override
  public Multiaddr remoteAddress() {
    return remote.listenAddresses().getFirst();
  }

  @Override
  public Multiaddr localAddress() {
    return local.listenAddresses().getFirst();
  }

  @Override
  public boolean isInitiator() {
    return initiator;
  }

  @Override
  public String securityProtocol() {
    return "/noise";
  }

  @Override
  public String muxerProtocol() {
    return "/yamux/1.0.0";
  }

  @Override
  public CompletableFuture<Stream> openStream(List<String> protocols) {
    if (!isOpen()) {
      return CompletableFuture.failedFuture(
          new ConnectionClosedException("connection to " + remotePeer() + " is closed"));
    }
    if (protocols.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("openStream needs at least one protocol"));
    }
    String chosen = remote.hasLeft() ? protocols.getFirst() : null;
    for (String p : protocols) {
      if (chosen == null && remote.protocols().handler(p).isPresent()) {
        chosen = p;
      }
    }
    if (chosen == null) {
      CompletableFuture<Stream> refused = new CompletableFuture<>();
      network.schedule(
          2 * out.latencyNanos(),
          () -> refused.completeExceptionally(new ProtocolNegotiationException(protocols)));
      return refused;
    }
    long id = network.nextStreamId();
    SimStream mine = new SimStream(this, id, chosen, true);
    SimStream theirs = new SimStream(other, id, chosen, false);
    SimStream.join(mine, theirs);
    streams.add(mine);
    out.send(() -> other.accept(theirs));
    return CompletableFuture.completedFuture(mine);
  }

  /** A stream opened by the remote side has arrived: runs its protocol's handler. */
  private void accept(SimStream stream) {
    Optional<ProtocolHandler> handler = local.protocols().handler(stream.protocol());
    if (handler.isEmpty()) {
      stream.reset();
      return;
    }
    streams.add(stream);
    Thread.ofVirtual()
        .name("mycel-sim-handler")
        .start(
            () -> {
              try {
                handler.get().handle(stream);
                stream.close();
              } catch (Exception e) {
                log.debug("{} handler on {} failed: {}", stream.protocol(), local, e.toString());
                stream.reset();
              }
            });
  }

  @Override
  public int streamCount() {
    return streams.size();
  }

  @Override
  public CompletableFuture<Duration> muxerPing() {
    CompletableFuture<Duration> pong = new CompletableFuture<>();
    long start = System.nanoTime();
    out.send(
        () ->
            other.out.send(() -> pong.complete(Duration.ofNanos(System.nanoTime() - start))));
    return pong;
  }

  @Override
  public CompletableFuture<Void> close() {
    if (closeFuture.isDone()) {
      return closeFuture;
    }
    for (SimStream s : List.copyOf(streams)) {
      s.reset();
    }
    closeFuture.complete(null);
    local.closed(this);
    out.send(other::close);
    return closeFuture;
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  @Override
  public boolean isOpen() {
    return !closeFuture.isDone();
  }

  @Override
  public String toString() {
    return "SimConnection[" + local.index() + (initiator ? "->" : "<-") + remote.index() + "]";
  }
}
