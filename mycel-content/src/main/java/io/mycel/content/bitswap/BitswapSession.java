package io.mycel.content.bitswap;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.BlockNotFoundException;
import io.mycel.content.dag.LinkDecoder;
import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches blocks from a set of peers, several at once (<a
 * href="https://github.com/ipfs/specs/blob/main/src/bitswap-protocol.md#bitswap-120-interaction-pattern">spec</a>;
 * the scheduling follows the sessions of go-bitswap and js Bitswap).
 *
 * <p>For each block the session sends a want-block to the peer expected to answer soonest and
 * want-have to the others. A peer that answers have becomes a candidate for the block; a peer
 * that answers dont-have, or leaves a want-block unanswered for the want-block timeout, or
 * disconnects, has the block moved to the next candidate. The expected answer time of a peer is
 * its outstanding want-blocks times its smoothed time per block, so demand moves to the peers
 * that deliver fastest; each peer has at most {@link BitswapConfig#maxInFlightPerPeer()}
 * want-blocks outstanding. Blocks no peer claims are asked for again every rebroadcast interval;
 * a block still missing {@link BitswapConfig#sessionTimeout()} after it was first asked for fails
 * with {@link BlockNotFoundException}.
 *
 * <p>Blocks arrive verified (their CID is computed from their bytes) and already stored by the
 * node. Obtained from {@link Bitswap#newSession}; thread-safe; close it when done.
 */
public final class BitswapSession implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BitswapSession.class);

  /** Weight of a new sample in a peer's smoothed time per block. */
  private static final double SERVICE_TIME_WEIGHT = 0.3;

  /** Time per block assumed for a peer before any was measured. */
  private static final long DEFAULT_SERVICE_NANOS = 1_000_000;

  private final SessionNetwork network;
  private final BitswapConfig config;
  private final LongSupplier nanoTime;
  private final Executor executor;
  private final boolean followConnections;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<PeerId, SessionPeer> peers = new LinkedHashMap<>();
  private final Map<Multihash, Want> wants = new HashMap<>();
  private final ArrayDeque<Want> queued = new ArrayDeque<>();
  private final LinkedHashSet<Want> active = new LinkedHashSet<>();
  private boolean closed;

  BitswapSession(
      SessionNetwork network,
      BitswapConfig config,
      Collection<PeerId> initialPeers,
      boolean followConnections,
      LongSupplier nanoTime,
      Executor executor) {
    this.network = network;
    this.config = config;
    this.nanoTime = nanoTime;
    this.executor = executor;
    this.followConnections = followConnections;
    for (PeerId peer : initialPeers) {
      peers.putIfAbsent(peer, new SessionPeer(peer));
    }
  }

  /**
   * The block's bytes: from the local store when present, else from the session's peers. Fails
   * with {@link BlockNotFoundException} after the session timeout. Cancelling the returned
   * future withdraws the want once no other caller waits for the block.
   */
  public CompletableFuture<byte[]> get(Cid cid) {
    Objects.requireNonNull(cid, "cid");
    try {
      Optional<byte[]> local = network.localBlock(cid);
      if (local.isPresent()) {
        return CompletableFuture.completedFuture(local.get());
      }
    } catch (IOException e) {
      log.warn("reading {} from the block store failed, fetching it: {}", cid, e.toString());
    }
    CompletableFuture<byte[]> caller = new CompletableFuture<>();
    Want[] created = new Want[1];
    run(out -> {
      if (closed) {
        caller.completeExceptionally(new IllegalStateException("the Bitswap session is closed"));
        return;
      }
      Want want = wants.get(cid.multihash());
      if (want == null) {
        want = new Want(cid);
        wants.put(want.hash, want);
        queued.addLast(want);
        network.interested(this, want.hash);
        pump(nanoTime.getAsLong(), out);
      }
      want.callers.add(caller);
      created[0] = want;
    });
    Want want = created[0];
    if (want != null) {
      caller.whenComplete((data, error) -> {
        if (caller.isCancelled()) {
          abandon(want, caller);
        }
      });
    }
    return caller;
  }

  /** Every block of {@code cids}, in their order, or the first failure. */
  public CompletableFuture<Map<Cid, byte[]>> getAll(Collection<Cid> cids) {
    Map<Cid, CompletableFuture<byte[]>> futures = new LinkedHashMap<>();
    for (Cid cid : cids) {
      futures.computeIfAbsent(cid, this::get);
    }
    CompletableFuture<Map<Cid, byte[]>> result = new CompletableFuture<>();
    CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new))
        .whenComplete((ignored, error) -> {
          if (error != null) {
            futures.values().forEach(f -> f.cancel(false));
            result.completeExceptionally(unwrap(error));
            return;
          }
          Map<Cid, byte[]> blocks = new LinkedHashMap<>();
          futures.forEach((cid, f) -> blocks.put(cid, f.join()));
          result.complete(blocks);
        });
    futures.values().forEach(f -> f.whenComplete((v, e) -> {
      if (e != null) {
        result.completeExceptionally(unwrap(e));
      }
    }));
    return result;
  }

  /**
   * Blocks until the block is here.
   *
   * @throws BlockNotFoundException if no peer delivered it within the session timeout
   */
  public byte[] fetch(Cid cid) throws IOException, InterruptedException {
    return await(get(cid));
  }

  /** Blocks until every block of {@code cids} is here; see {@link #getAll}. */
  public Map<Cid, byte[]> fetchAll(Collection<Cid> cids) throws IOException, InterruptedException {
    return await(getAll(cids));
  }

  /**
   * Fetches the DAG under {@code root}: the root, then, as each block arrives, the blocks its
   * links name (decoded with {@code decoder}), many at once, until every reachable block is in
   * the block store. Blocks already stored are read, not fetched, and their links followed.
   * Fails with the first block that cannot be had or decoded, withdrawing the other wants.
   */
  public CompletableFuture<DagFetchResult> fetchDag(Cid root, LinkDecoder decoder) {
    return new DagWalk(this, decoder, executor, nanoTime).start(root);
  }

  /** Adds a peer to ask; it is asked for the blocks no peer has claimed yet. */
  public void addPeer(PeerId peer) {
    run(out -> addOrRevive(peer, true, out));
  }

  /**
   * Adds a peer with the time it is expected to take per block (e.g. its measured round trip),
   * which stands for its service time until blocks measure it, so that demand goes to the
   * nearest peers first. An expectation for a peer already in the session replaces its default
   * while nothing has been measured of it.
   */
  public void addPeer(PeerId peer, Duration expectedServiceTime) {
    Objects.requireNonNull(expectedServiceTime, "expectedServiceTime");
    double expected = Math.max(1, expectedServiceTime.toNanos());
    run(out -> {
      SessionPeer existing = peers.get(peer);
      if (existing == null && !closed) {
        SessionPeer added = new SessionPeer(peer);
        added.serviceNanos = expected;
        peers.put(peer, added);
        for (Want want : active) {
          if (want.blockPeer == null && !network.isLegacy(peer)) {
            out.want(peer, WantlistEntry.wantHave(want.cid, config.sendDontHave()));
            want.asked.add(peer);
          }
        }
        pump(nanoTime.getAsLong(), out);
        return;
      }
      if (existing != null && existing.blocks == 0 && existing.timeouts == 0) {
        existing.serviceNanos = expected;
      }
      addOrRevive(peer, false, out);
    });
  }

  /** The session's peers, in the order they were added. */
  public List<PeerId> peers() {
    lock.lock();
    try {
      return List.copyOf(peers.keySet());
    } finally {
      lock.unlock();
    }
  }

  /** How each peer has served the session. */
  public Map<PeerId, SessionPeerStats> peerStats() {
    lock.lock();
    try {
      Map<PeerId, SessionPeerStats> stats = new LinkedHashMap<>();
      for (SessionPeer p : peers.values()) {
        stats.put(p.id, new SessionPeerStats(p.id, p.blocks, p.bytes, p.inFlight,
            Duration.ofNanos((long) p.serviceNanos), p.timeouts, p.dontHaves, !p.gone));
      }
      return stats;
    } finally {
      lock.unlock();
    }
  }

  /** Blocks asked for and not yet here. */
  public int pendingCount() {
    lock.lock();
    try {
      return wants.size();
    } finally {
      lock.unlock();
    }
  }

  /** Withdraws every want; pending futures fail with {@link CancellationException}. */
  @Override
  public void close() {
    run(out -> {
      if (closed) {
        return;
      }
      closed = true;
      for (Want want : List.copyOf(wants.values())) {
        fail(want, new CancellationException("the Bitswap session was closed"), out);
      }
    });
    network.sessionClosed(this);
  }

  // ---- events from the node ----

  /** A verified, stored block arrived from {@code from}. */
  void blockReceived(PeerId from, Block block) {
    run(out -> {
      Want want = wants.get(block.cid().multihash());
      if (want == null) {
        return;
      }
      long now = nanoTime.getAsLong();
      if (want.blockPeer != null) {
        boolean answered = want.blockPeer.equals(from);
        release(want, answered ? now - want.blockAskedAt : -1);
      }
      SessionPeer sender = peers.get(from);
      if (sender != null) {
        sender.blocks++;
        sender.bytes += block.size();
      }
      for (PeerId asked : want.asked) {
        if (!asked.equals(from)) {
          out.want(asked, WantlistEntry.cancel(want.cid));
        }
      }
      remove(want);
      byte[] data = block.data();
      List<CompletableFuture<byte[]>> callers = List.copyOf(want.callers);
      out.completions.add(() -> callers.forEach(c -> c.complete(data)));
      pump(now, out);
    });
  }

  /** The block arrived but could not be stored. */
  void blockFailed(Cid cid, Throwable error) {
    run(out -> {
      Want want = wants.get(cid.multihash());
      if (want != null) {
        fail(want, error, out);
        pump(nanoTime.getAsLong(), out);
      }
    });
  }

  /** A have or dont-have from {@code from}. */
  void presenceReceived(PeerId from, BlockPresence presence) {
    run(out -> {
      Want want = wants.get(presence.cid().multihash());
      SessionPeer peer = peers.get(from);
      if (want == null || !want.active || peer == null || peer.gone) {
        return;
      }
      long now = nanoTime.getAsLong();
      if (presence.type() == BlockPresence.Type.HAVE) {
        want.haves.add(from);
        want.dontHaves.remove(from);
        if (want.blockPeer == null) {
          assign(want, now, out);
        }
      } else {
        peer.dontHaves++;
        want.dontHaves.add(from);
        want.haves.remove(from);
        if (from.equals(want.blockPeer)) {
          release(want, -1);
          assign(want, now, out);
        }
        pump(now, out);
      }
    });
  }

  /** {@code peer} disconnected or cannot be sent to. */
  void peerGone(PeerId peer) {
    run(out -> {
      SessionPeer p = peers.get(peer);
      if (p == null || p.gone) {
        return;
      }
      p.gone = true;
      long now = nanoTime.getAsLong();
      for (Want want : List.copyOf(active)) {
        want.haves.remove(peer);
        if (peer.equals(want.blockPeer)) {
          release(want, -1);
          want.failed.add(peer);
          assign(want, now, out);
        }
      }
      p.inFlight = 0;
      pump(now, out);
    });
  }

  /** {@code peer} connected: a session peer that comes back, or any peer when following. */
  void peerConnected(PeerId peer) {
    run(out -> addOrRevive(peer, followConnections, out));
  }

  /** {@code peer} turned out to speak a version without want-have. */
  void peerIsLegacy(PeerId peer) {
    run(out -> pump(nanoTime.getAsLong(), out));
  }

  /** Timers: not-found deadlines, want-block timeouts and rebroadcasts. */
  void tick() {
    run(out -> {
      long now = nanoTime.getAsLong();
      long sessionTimeout = config.sessionTimeout().toNanos();
      long blockTimeout = config.wantBlockTimeout().toNanos();
      long rebroadcast = config.rebroadcastInterval().toNanos();
      for (Want want : List.copyOf(active)) {
        if (now - want.activatedAt >= sessionTimeout) {
          fail(want, notFound(want), out);
          continue;
        }
        if (want.blockPeer != null && now - want.blockAskedAt >= blockTimeout) {
          PeerId slow = want.blockPeer;
          peers.get(slow).timeouts++;
          release(want, now - want.blockAskedAt);
          want.failed.add(slow);
          log.debug("{} left want-block {} unanswered for {} ms; asking another peer",
              slow, want.cid, config.wantBlockTimeout().toMillis());
          assign(want, now, out);
        }
        if (want.blockPeer == null && now - want.lastBroadcast >= rebroadcast) {
          want.lastBroadcast = now;
          want.failed.clear();
          for (SessionPeer p : peers.values()) {
            if (!p.gone && !want.haves.contains(p.id) && !network.isLegacy(p.id)) {
              out.want(p.id, WantlistEntry.wantHave(want.cid, config.sendDontHave()));
              want.asked.add(p.id);
            }
          }
          assign(want, now, out);
        }
      }
      pump(now, out);
    });
  }

  // ---- scheduling, under the lock ----

  private void addOrRevive(PeerId peer, boolean addNew, Outbox out) {
    SessionPeer p = peers.get(peer);
    if (p == null) {
      if (!addNew || closed) {
        return;
      }
      p = new SessionPeer(peer);
      peers.put(peer, p);
    } else if (p.gone) {
      p.gone = false;
      p.inFlight = 0;
    } else {
      return;
    }
    for (Want want : active) {
      if (want.blockPeer == null && !network.isLegacy(peer)) {
        out.want(peer, WantlistEntry.wantHave(want.cid, config.sendDontHave()));
        want.asked.add(peer);
      }
    }
    pump(nanoTime.getAsLong(), out);
  }

  private void pump(long now, Outbox out) {
    while (active.size() < config.maxActiveWantsPerSession() && !queued.isEmpty()) {
      activate(queued.pollFirst(), now, out);
    }
    for (Want want : active) {
      if (want.blockPeer == null) {
        assign(want, now, out);
      }
    }
  }

  private void activate(Want want, long now, Outbox out) {
    want.active = true;
    want.activatedAt = now;
    want.lastBroadcast = now;
    active.add(want);
    SessionPeer first = best(want, true);
    if (first != null) {
      askBlock(want, first, now, out);
    }
    for (SessionPeer p : peers.values()) {
      if (p != first && !p.gone && !network.isLegacy(p.id)) {
        out.want(p.id, WantlistEntry.wantHave(want.cid, config.sendDontHave()));
        want.asked.add(p.id);
      }
    }
  }

  /** Sends a want-block to the best candidate that claimed the block, if one has room. */
  private void assign(Want want, long now, Outbox out) {
    if (want.blockPeer != null) {
      return;
    }
    SessionPeer best = best(want, false);
    if (best != null) {
      askBlock(want, best, now, out);
    }
  }

  /**
   * The peer with the earliest expected answer among those with room; when {@code optimistic},
   * any peer not known to lack the block, else only peers that said have (and legacy peers, which
   * cannot say it).
   */
  private SessionPeer best(Want want, boolean optimistic) {
    SessionPeer best = null;
    double bestScore = Double.MAX_VALUE;
    double unmeasured = unmeasuredServiceNanos();
    for (SessionPeer p : peers.values()) {
      if (p.gone || p.inFlight >= config.maxInFlightPerPeer()
          || want.failed.contains(p.id) || want.dontHaves.contains(p.id)) {
        continue;
      }
      if (!optimistic && !want.haves.contains(p.id) && !network.isLegacy(p.id)) {
        continue;
      }
      double service = p.serviceNanos > 0 ? p.serviceNanos : unmeasured;
      double score = (p.inFlight + 1) * service;
      if (score < bestScore) {
        best = p;
        bestScore = score;
      }
    }
    return best;
  }

  private double unmeasuredServiceNanos() {
    double min = Double.MAX_VALUE;
    for (SessionPeer p : peers.values()) {
      if (p.serviceNanos > 0 && p.serviceNanos < min) {
        min = p.serviceNanos;
      }
    }
    return min == Double.MAX_VALUE ? DEFAULT_SERVICE_NANOS : min;
  }

  private void askBlock(Want want, SessionPeer peer, long now, Outbox out) {
    out.want(peer.id, WantlistEntry.wantBlock(want.cid, config.sendDontHave()));
    peer.inFlight++;
    want.blockPeer = peer.id;
    want.blockAskedAt = now;
    want.inFlightAtAsk = peer.inFlight;
    want.asked.add(peer.id);
  }

  /** Frees the want-block slot; a non-negative latency is a sample of the peer's speed. */
  private void release(Want want, long latencyNanos) {
    SessionPeer peer = peers.get(want.blockPeer);
    want.blockPeer = null;
    if (peer == null) {
      return;
    }
    peer.inFlight = Math.max(0, peer.inFlight - 1);
    if (latencyNanos >= 0) {
      double sample = (double) latencyNanos / Math.max(1, want.inFlightAtAsk);
      peer.serviceNanos = peer.serviceNanos == 0
          ? sample
          : (1 - SERVICE_TIME_WEIGHT) * peer.serviceNanos + SERVICE_TIME_WEIGHT * sample;
    }
  }

  private void fail(Want want, Throwable error, Outbox out) {
    if (want.blockPeer != null) {
      release(want, -1);
    }
    for (PeerId asked : want.asked) {
      out.want(asked, WantlistEntry.cancel(want.cid));
    }
    remove(want);
    List<CompletableFuture<byte[]>> callers = List.copyOf(want.callers);
    out.completions.add(() -> callers.forEach(c -> c.completeExceptionally(error)));
  }

  private void remove(Want want) {
    wants.remove(want.hash);
    active.remove(want);
    queued.remove(want);
    network.uninterested(this, want.hash);
  }

  private void abandon(Want want, CompletableFuture<byte[]> caller) {
    run(out -> {
      want.callers.remove(caller);
      if (want.callers.isEmpty() && wants.get(want.hash) == want) {
        fail(want, new CancellationException("no caller waits for " + want.cid), out);
        pump(nanoTime.getAsLong(), out);
      }
    });
  }

  private BlockNotFoundException notFound(Want want) {
    int live = 0;
    for (SessionPeer p : peers.values()) {
      if (!p.gone) {
        live++;
      }
    }
    return new BlockNotFoundException(want.cid, "block " + want.cid + " not found: no peer "
        + "delivered it within " + config.sessionTimeout().toMillis() + " ms ("
        + live + " peer(s) connected, " + want.dontHaves.size() + " answered dont-have, "
        + want.haves.size() + " claimed to have it)");
  }

  private void run(Consumer<Outbox> action) {
    Outbox out = new Outbox();
    lock.lock();
    try {
      action.accept(out);
    } finally {
      lock.unlock();
    }
    out.wants.forEach(network::sendWants);
    out.completions.forEach(Runnable::run);
  }

  private static <T> T await(CompletableFuture<T> future)
      throws IOException, InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause.getMessage(), cause);
    } catch (InterruptedException e) {
      future.cancel(false);
      throw e;
    }
  }

  static Throwable unwrap(Throwable error) {
    while ((error instanceof java.util.concurrent.CompletionException
            || error instanceof ExecutionException)
        && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }

  private static final class Outbox {
    final Map<PeerId, List<WantlistEntry>> wants = new LinkedHashMap<>();
    final List<Runnable> completions = new ArrayList<>();

    void want(PeerId peer, WantlistEntry entry) {
      wants.computeIfAbsent(peer, p -> new ArrayList<>()).add(entry);
    }
  }

  private static final class SessionPeer {
    final PeerId id;
    int inFlight;
    double serviceNanos;
    long blocks;
    long bytes;
    long timeouts;
    long dontHaves;
    boolean gone;

    SessionPeer(PeerId id) {
      this.id = id;
    }
  }

  private static final class Want {
    final Cid cid;
    final Multihash hash;
    final List<CompletableFuture<byte[]>> callers = new ArrayList<>();
    final Set<PeerId> haves = new LinkedHashSet<>();
    final Set<PeerId> dontHaves = new HashSet<>();
    final Set<PeerId> failed = new HashSet<>();
    final Set<PeerId> asked = new HashSet<>();
    boolean active;
    long activatedAt;
    long lastBroadcast;
    PeerId blockPeer;
    long blockAskedAt;
    int inFlightAtAsk;

    Want(Cid cid) {
      this.cid = cid;
      this.hash = cid.multihash();
    }
  }
}
