package io.mycel.net.identify;

import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.Host;
import io.mycel.net.PeerIdMismatchException;
import io.mycel.net.PeerStore;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.Stream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p identify protocols (<a
 * href="https://github.com/libp2p/specs/blob/master/identify/README.md">spec</a>): answers
 * {@value #ID} with this host's Identify message, accepts {@value #PUSH_ID} updates, identifies
 * every peer as it connects, and pushes this host's message when its protocols or addresses
 * change.
 *
 * <p>What peers announce goes into the host's {@link PeerStore}, after checking that the
 * announced public key is the key of the peer the connection authenticated; a peer announcing
 * another key has its connection closed.
 */
public final class IdentifyService implements Host.ConnectionListener, AutoCloseable {

  public static final String ID = "/ipfs/id/1.0.0";

  public static final String PUSH_ID = "/ipfs/id/push/1.0.0";

  /** js-libp2p drops Identify messages larger than this; ours should stay below. */
  static final int JS_LIBP2P_MAX_MESSAGE_SIZE = 8 * 1024;

  private static final Logger log = LoggerFactory.getLogger(IdentifyService.class);

  private final Host host;
  private final IdentifyConfig config;
  private final Executor executor = task -> Thread.ofVirtual().name("mycel-identify").start(task);
  private final Map<PeerId, IdentifyInfo> lastIdentify = new ConcurrentHashMap<>();
  private final Object storeLock = new Object();
  private boolean listening;
  private volatile boolean running;

  public IdentifyService(Host host) {
    this(host, IdentifyConfig.DEFAULT);
  }

  public IdentifyService(Host host, IdentifyConfig config) {
    this.host = host;
    this.config = config;
  }

  /**
   * Registers the handlers of {@value #ID} and {@value #PUSH_ID} and starts identifying the
   * connections opened from now on.
   */
  public synchronized void start() {
    host.protocols().register(ID, this::answer);
    host.protocols().register(PUSH_ID, this::receivePush);
    if (!listening) {
      host.addListener(this);
      listening = true;
    }
    running = true;
  }

  /** Unregisters the handlers and stops identifying new connections. */
  @Override
  public synchronized void close() {
    running = false;
    host.protocols().unregister(ID);
    host.protocols().unregister(PUSH_ID);
  }

  @Override
  public void connected(Connection connection) {
    if (!running) {
      return;
    }
    identify(connection)
        .whenComplete(
            (info, error) -> {
              if (error == null) {
                log.debug(
                    "identified {} ({}), {} protocols",
                    info.peerId(),
                    info.agentVersion(),
                    info.protocols().size());
              } else if (error instanceof ProtocolViolationException) {
                log.warn(
                    "identify of {} at {} failed: {}",
                    connection.remotePeer(),
                    connection.remoteAddress(),
                    error.getMessage());
              } else {
                log.debug("identify of {} failed: {}", connection.remotePeer(), error.toString());
              }
            });
  }

  @Override
  public void disconnected(Connection connection) {
    PeerId peer = connection.remotePeer();
    if (host.connections(peer).isEmpty()) {
      lastIdentify.remove(peer);
    }
  }

  /**
   * Asks the peer of {@code connection} for its Identify message, checks it and stores it in the
   * peer store.
   *
   * @return the peer store's record of the peer after the update; fails with {@link
   *     PeerIdMismatchException} if the peer announced a key that is not its own (the connection is
   *     then closed), {@link ProtocolViolationException} for an oversized or malformed message, or
   *     {@link TimeoutException} after {@link IdentifyConfig#timeout()}
   */
  public CompletableFuture<PeerStore.PeerInfo> identify(Connection connection) {
    return onStream(connection, ID, stream -> {
      byte[] message = IdentifyMessages.read(stream.input(), config.maxMessageSize());
      return store(connection, IdentifyMessages.decode(message));
    });
  }

  /** Work done over one stream, on the service's executor. */
  private interface StreamWork<T> {
    T run(Stream stream) throws Exception;
  }

  /**
   * Opens {@code protocol} on {@code connection} and runs {@code work} over it off the I/O
   * threads, within the configured timeout; the stream is closed after success and reset after a
   * failure or timeout (which also unblocks a read the timeout abandoned).
   */
  private <T> CompletableFuture<T> onStream(Connection connection, String protocol, StreamWork<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    result.orTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    connection.openStream(protocol).whenComplete((stream, error) -> {
      if (error != null) {
        result.completeExceptionally(unwrap(error));
        return;
      }
      result.whenComplete((value, failure) -> {
        if (failure == null) {
          stream.close();
        } else {
          stream.reset();
        }
      });
      executor.execute(() -> {
        try {
          result.complete(work.run(stream));
        } catch (Throwable t) {
          result.completeExceptionally(t);
        }
      });
    });
    return result;
  }

  /**
   * Pushes this host's Identify message to one connection of every connected peer, except peers
   * known not to accept pushes. The future completes when every push finished; failed pushes are
   * logged, not reported.
   */
  public CompletableFuture<Void> pushAll() {
    Map<PeerId, Connection> targets = new LinkedHashMap<>();
    for (Connection connection : host.connections()) {
      if (connection.isOpen()) {
        targets.putIfAbsent(connection.remotePeer(), connection);
      }
    }
    List<CompletableFuture<Void>> pushes = new ArrayList<>();
    for (Connection connection : targets.values()) {
      Optional<PeerStore.PeerInfo> known = host.peerStore().get(connection.remotePeer());
      if (known.isPresent()
          && !known.get().protocols().isEmpty()
          && !known.get().protocols().contains(PUSH_ID)) {
        continue;
      }
      pushes.add(
          push(connection)
              .exceptionally(
                  error -> {
                    log.debug("identify push to {} failed: {}", connection.remotePeer(), error.toString());
                    return null;
                  }));
    }
    return CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new));
  }

  /** Pushes this host's Identify message over {@code connection}. */
  public CompletableFuture<Void> push(Connection connection) {
    return onStream(connection, PUSH_ID, stream -> {
      IdentifyMessages.write(stream.output(), localMessage(connection));
      stream.closeWrite();
      return null;
    });
  }


  /** The last Identify message (answer or push) received from {@code peer} while connected. */
  public Optional<IdentifyInfo> lastIdentify(PeerId peer) {
    return Optional.ofNullable(lastIdentify.get(peer));
  }

  /** What this host announces to the peer of {@code connection}. */
  public IdentifyInfo localInfo(Connection connection) {
    return new IdentifyInfo(
        config.protocolVersion(),
        host.agentVersion(),
        host.privateKey().publicKey(),
        host.advertisedAddresses(),
        connection.remoteAddress(),
        host.protocols().protocols());
  }

  private void answer(Stream stream) throws Exception {
    IdentifyMessages.write(stream.output(), localMessage(stream.connection()));
    stream.closeWrite();
  }

  private void receivePush(Stream stream) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    done.orTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (ignored, error) -> {
              if (error != null) {
                stream.reset();
              }
            });
    try {
      byte[] message = IdentifyMessages.read(stream.input(), config.maxMessageSize());
      store(stream.connection(), IdentifyMessages.decode(message));
    } finally {
      done.complete(null);
    }
  }

  private byte[] localMessage(Connection connection) {
    byte[] message = IdentifyMessages.encode(localInfo(connection));
    if (message.length > JS_LIBP2P_MAX_MESSAGE_SIZE) {
      log.warn(
          "Identify message of {} bytes exceeds the {} bytes js-libp2p accepts",
          message.length,
          JS_LIBP2P_MAX_MESSAGE_SIZE);
    }
    return message;
  }

  private PeerStore.PeerInfo store(Connection connection, IdentifyInfo info) {
    PeerId peer = connection.remotePeer();
    if (info.publicKey() != null && !peer.matches(info.publicKey())) {
      PeerId announced = PeerId.fromPublicKey(info.publicKey());
      log.warn(
          "peer {} at {} announced the public key of {} in identify; closing the connection",
          peer,
          connection.remoteAddress(),
          announced);
      connection.close();
      throw new PeerIdMismatchException(peer, announced);
    }
    IdentifyInfo complete = info;
    if (info.publicKey() == null && peer.extractPublicKey().isPresent()) {
      complete =
          new IdentifyInfo(
              info.protocolVersion(),
              info.agentVersion(),
              peer.extractPublicKey().get(),
              info.listenAddresses(),
              info.observedAddress(),
              info.protocols());
    }
    lastIdentify.put(peer, info);
    synchronized (storeLock) {
      PeerStore.PeerInfo merged = complete.mergeInto(peer, host.peerStore().get(peer).orElse(null));
      host.peerStore().putIdentify(merged);
      return merged;
    }
  }

  private static Throwable unwrap(Throwable error) {
    while ((error instanceof CompletionException || error instanceof ExecutionException)
        && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }
}
