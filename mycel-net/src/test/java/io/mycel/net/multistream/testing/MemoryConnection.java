package io.mycel.net.multistream.testing;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.Connection;
import io.mycel.net.ProtocolHandler;
import io.mycel.net.Stream;
import io.mycel.net.multistream.Multistream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side of an in-memory connection between two {@link MemoryHost}s. Streams are negotiated
 * with the real multistream-select code and served by the other host's registered handlers on
 * virtual threads.
 */
public final class MemoryConnection implements Connection {

  private static final Logger log = LoggerFactory.getLogger(MemoryConnection.class);

  private final MemoryHost local;
  private final MemoryHost remote;
  private final PeerId remotePeer;
  private final boolean initiator;
  private final Shared shared;
  private MemoryConnection other;

  /** State both sides share. */
  private static final class Shared {
    final AtomicLong nextStreamId = new AtomicLong(1);
    final List<BytePipe> pipes = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  }

  private MemoryConnection(
      MemoryHost local, MemoryHost remote, PeerId remotePeer, boolean initiator, Shared shared) {
    this.local = local;
    this.remote = remote;
    this.remotePeer = remotePeer;
    this.initiator = initiator;
    this.shared = shared;
  }

  /** Creates both sides; {@code bAsSeenByA} lets a test make b claim another identity. */
  static MemoryConnection[] pair(MemoryHost a, MemoryHost b, PeerId bAsSeenByA) {
    Shared shared = new Shared();
    MemoryConnection ab = new MemoryConnection(a, b, bAsSeenByA, true, shared);
    MemoryConnection ba = new MemoryConnection(b, a, a.peerId(), false, shared);
    ab.other = ba;
    ba.other = ab;
    return new MemoryConnection[] {ab, ba};
  }

  @Override
  public PeerId remotePeer() {
    return remotePeer;
  }

  @Override
  public PeerId localPeer() {
    return local.peerId();
  }

  @Override
  public Multiaddr remoteAddress() {
    return remote.connectAddress();
  }

  @Override
  public Multiaddr localAddress() {
    return local.connectAddress();
  }

  @Override
  public boolean isInitiator() {
    return initiator;
  }

  @Override
  public String securityProtocol() {
    return "/memory";
  }

  @Override
  public String muxerProtocol() {
    return "/memory";
  }

  @Override
  public CompletableFuture<Stream> openStream(List<String> protocols) {
    if (!isOpen()) {
      return CompletableFuture.failedFuture(new ConnectionClosedException("connection closed"));
    }
    long id = shared.nextStreamId.getAndIncrement();
    BytePipe toRemote = new BytePipe();
    BytePipe toLocal = new BytePipe();
    shared.pipes.add(toRemote);
    shared.pipes.add(toLocal);
    Thread.ofVirtual().name("memory-responder-" + id).start(() -> serve(id, toRemote, toLocal));
    CompletableFuture<Stream> result = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("memory-dialer-" + id)
        .start(
            () -> {
              try {
                String protocol =
                    Multistream.select(toLocal.input(), toRemote.output(), protocols);
                result.complete(new MemoryStream(id, this, protocol, true, toLocal, toRemote));
              } catch (Throwable t) {
                toRemote.reset();
                toLocal.reset();
                result.completeExceptionally(t);
              }
            });
    return result;
  }

  private void serve(long id, BytePipe fromDialer, BytePipe toDialer) {
    MemoryRegistry registry = remote.protocols();
    MemoryStream stream;
    ProtocolHandler handler;
    try {
      String protocol =
          Multistream.respond(
              fromDialer.input(),
              toDialer.output(),
              p -> registry.handler(p).isPresent(),
              registry::protocols);
      Optional<ProtocolHandler> found = registry.handler(protocol);
      if (found.isEmpty()) {
        fromDialer.reset();
        return;
      }
      handler = found.get();
      stream = new MemoryStream(id, other, protocol, false, fromDialer, toDialer);
    } catch (Exception e) {
      log.debug("inbound negotiation of stream {} failed: {}", id, e.toString());
      fromDialer.reset();
      toDialer.reset();
      return;
    }
    try {
      handler.handle(stream);
      stream.close();
    } catch (Exception e) {
      log.debug("handler of stream {} failed: {}", id, e.toString());
      stream.reset();
    }
  }

  @Override
  public int streamCount() {
    return (int) shared.pipes.stream().filter(p -> !p.isClosed()).count() / 2;
  }

  @Override
  public CompletableFuture<Duration> muxerPing() {
    return CompletableFuture.completedFuture(Duration.ZERO);
  }

  @Override
  public CompletableFuture<Void> close() {
    if (shared.closeFuture.complete(null)) {
      shared.pipes.forEach(BytePipe::reset);
      local.removeConnection(this);
      remote.removeConnection(other);
    }
    return shared.closeFuture;
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return shared.closeFuture;
  }

  @Override
  public boolean isOpen() {
    return !shared.closeFuture.isDone();
  }

  @Override
  public String toString() {
    return "MemoryConnection[" + local.peerId() + " -> " + remotePeer + "]";
  }
}
