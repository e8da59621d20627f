package io.mycel.content.bitswap;

import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.Host;
import io.mycel.net.Stream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way out to one connected peer: wantlist changes queued by sessions and answers queued by
 * the engine, written by one sender thread as messages on one outbound stream, which is reused
 * while it lives and closed after {@link BitswapConfig#outboundIdleTimeout()} without messages. Wantlist
 * changes made before a message goes out are merged into it.
 *
 * <p>Also remembers which blocks were asked of the peer (and recently cancelled), so that a
 * block nobody asked the peer for can be told apart from a late answer.
 */
final class PeerLink {

  /** Cancelled wants remembered, so that a block already on its way is not taken as unasked. */
  static final int RECENT_CANCELS = 8192;

  static final long RECENT_CANCEL_NANOS = TimeUnit.SECONDS.toNanos(60);

  private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

  /** What the link reports to its node. */
  interface Events {
    /** The peer speaks a version without want-have; want-haves for it are dropped. */
    void legacy(PeerId peer);

    /** A message could not be delivered; its wants are lost. */
    void unreachable(PeerId peer, Throwable cause);
  }

  private final PeerId peer;
  private final Host host;
  private final BitswapConfig config;
  private final BitswapCodec codec;
  private final BitswapEngine engine;
  private final Events events;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final LinkedHashMap<Cid, WantlistEntry> pending = new LinkedHashMap<>();
  private final Set<Multihash> asked = new HashSet<>();
  private final LinkedHashMap<Multihash, Long> recentlyCancelled = new LinkedHashMap<>();
  private boolean responsesDue;
  private boolean running;
  private boolean closed;
  private volatile Stream stream;
  private volatile BitswapVersion version;

  PeerLink(PeerId peer, Host host, BitswapConfig config, BitswapCodec codec, BitswapEngine engine,
      Events events) {
    this.peer = peer;
    this.host = host;
    this.config = config;
    this.codec = codec;
    this.engine = engine;
    this.events = events;
  }

  /** The version negotiated on the last outbound stream, if one was opened. */
  Optional<BitswapVersion> version() {
    return Optional.ofNullable(version);
  }

  /** Queues wantlist changes. */
  void enqueue(List<WantlistEntry> entries) {
    long now = System.nanoTime();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      for (WantlistEntry entry : entries) {
        Multihash hash = entry.cid().multihash();
        if (entry.cancel()) {
          pending.put(entry.cid(), entry);
          if (asked.remove(hash)) {
            rememberCancelled(hash, now);
          }
        } else {
          WantlistEntry queued = pending.get(entry.cid());
          boolean keepsBlock = queued != null && !queued.cancel()
              && queued.wantType() == WantType.BLOCK && entry.wantType() == WantType.HAVE;
          if (!keepsBlock) {
            pending.put(entry.cid(), entry);
          }
          asked.add(hash);
          recentlyCancelled.remove(hash);
        }
      }
      wake();
    } finally {
      lock.unlock();
    }
  }

  /** The engine has answers for the peer. */
  void responsesDue() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      responsesDue = true;
      wake();
    } finally {
      lock.unlock();
    }
  }

  /** Whether a block with this multihash was asked of the peer, now or lately. */
  boolean wasAsked(Multihash hash) {
    lock.lock();
    try {
      if (asked.contains(hash)) {
        return true;
      }
      Long cancelled = recentlyCancelled.get(hash);
      return cancelled != null && System.nanoTime() - cancelled < RECENT_CANCEL_NANOS;
    } finally {
      lock.unlock();
    }
  }

  /** The peer delivered the block: its want there is served. */
  void delivered(Multihash hash) {
    long now = System.nanoTime();
    lock.lock();
    try {
      if (asked.remove(hash)) {
        rememberCancelled(hash, now);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops sending; queued changes are dropped and the stream closed. */
  void close() {
    Stream open;
    lock.lock();
    try {
      closed = true;
      pending.clear();
      work.signalAll();
      open = running ? null : stream;
      if (open != null) {
        stream = null;
      }
    } finally {
      lock.unlock();
    }
    if (open != null) {
      open.close();
    }
  }

  private void rememberCancelled(Multihash hash, long now) {
    recentlyCancelled.put(hash, now);
    if (recentlyCancelled.size() > RECENT_CANCELS) {
      Iterator<Multihash> eldest = recentlyCancelled.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }

  private void wake() {
    if (running) {
      work.signalAll();
    } else {
      running = true;
      Thread.ofVirtual().name("mycel-bitswap-send").start(this::run);
    }
  }

  private void run() {
    while (true) {
      List<WantlistEntry> wants;
      lock.lock();
      try {
        long idleUntil = System.nanoTime() + config.outboundIdleTimeout().toNanos();
        while (!closed && pending.isEmpty() && !responsesDue && !engine.hasWork(peer)) {
          long left = idleUntil - System.nanoTime();
          if (left <= 0) {
            break;
          }
          work.awaitNanos(left);
        }
        if (closed || (pending.isEmpty() && !responsesDue && !engine.hasWork(peer))) {
          running = false;
          Stream open = stream;
          stream = null;
          if (open != null) {
            open.close();
          }
          return;
        }
        responsesDue = false;
        wants = takePending();
      } catch (InterruptedException e) {
        running = false;
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
      try {
        send(wants);
      } catch (RuntimeException e) {
        log.warn("sending Bitswap message to {} failed", peer, e);
      }
    }
  }

  private List<WantlistEntry> takePending() {
    List<WantlistEntry> wants = new ArrayList<>(Math.min(pending.size(),
        config.limits().maxEntriesPerMessage()));
    Iterator<Map.Entry<Cid, WantlistEntry>> it = pending.entrySet().iterator();
    while (it.hasNext() && wants.size() < config.limits().maxEntriesPerMessage()) {
      wants.add(it.next().getValue());
      it.remove();
    }
    return wants;
  }

  private void send(List<WantlistEntry> wants) {
    BitswapMessage response = engine.nextResponse(peer).orElse(BitswapMessage.EMPTY);
    IOException last = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      Stream out;
      try {
        out = openStream();
      } catch (Exception e) {
        log.debug("no Bitswap stream to {}: {}", peer, e.toString());
        events.unreachable(peer, e);
        return;
      }
      BitswapVersion v = version;
      List<WantlistEntry> sendable = v.hasPresences() ? wants
          : wants.stream().filter(w -> w.cancel() || w.wantType() == WantType.BLOCK).toList();
      BitswapMessage message = new BitswapMessage(sendable, false, response.blocks(),
          response.presences(), 0);
      if (message.isEmpty()) {
        return;
      }
      try {
        codec.writeFramed(out.output(), message, v);
        engine.recordSent(peer, message);
        return;
      } catch (IOException e) {
        last = e;
        stream = null;
        out.reset();
      }
    }
    log.debug("Bitswap message to {} lost: {}", peer, last.toString());
    events.unreachable(peer, last);
  }

  private Stream openStream() throws Exception {
    Stream open = stream;
    if (open != null) {
      return open;
    }
    // Bitswap talks to connected peers only: it never dials, so a peer disconnected for
    // misbehaving is not called back by a cancel on its way out.
    Connection connection = host.connections(peer).stream().filter(Connection::isOpen)
        .findFirst()
        .orElseThrow(() -> new ConnectionClosedException("not connected to " + peer));
    CompletableFuture<Stream> opening = connection.openStream(config.protocolIds());
    try {
      open = opening.get(config.streamOpenTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      opening.thenAccept(Stream::reset);
      throw new TimeoutException("opening a Bitswap stream to " + peer + " took longer than "
          + config.streamOpenTimeout().toMillis() + " ms");
    }
    BitswapVersion negotiated = BitswapVersion.fromProtocolId(open.protocol())
        .orElseThrow(() -> new IllegalStateException("negotiated a non-Bitswap protocol"));
    BitswapVersion previous = version;
    version = negotiated;
    stream = open;
    if (!negotiated.hasPresences() && previous != negotiated) {
      events.legacy(peer);
    }
    return open;
  }
}
