package io.mycel.content.bitswap;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.dag.LinkDecoder;
import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.Host;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.Stream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bitswap on a libp2p {@link Host} (<a
 * href="https://github.com/ipfs/specs/blob/main/src/bitswap-protocol.md">spec</a>): serves the
 * blocks of a {@link Blockstore} to peers that want them, and fetches blocks and whole DAGs from
 * peers through {@link BitswapSession}s.
 *
 * <p>Answers {@code /ipfs/bitswap/1.2.0}, {@code 1.1.0} and {@code 1.0.0} (as configured).
 * Inbound streams only carry messages in; everything this node says to a peer goes out on its
 * own outbound stream to that peer, negotiated to the newest version both speak.
 *
 * <p>Trust: every message is decoded within {@link BitswapLimits}; a peer that breaks them has
 * its stream reset and is counted ({@link #violations}). Every received block's CID is computed
 * from its bytes; a block that was not asked of the peer (bytes that do not hash to any CID
 * wanted from it) gets the peer disconnected, counted and ignored for {@link
 * BitswapConfig#violatorBan()}, and is not stored. Bitswap never dials: it talks to connected
 * peers, and sessions move their wants off a peer that disconnects. Verified blocks
 * that a session waits for are stored, then handed to the sessions, then offered to the peers
 * whose wantlists hold them.
 */
public final class Bitswap implements AutoCloseable {

  /** How often session timers (timeouts, rebroadcasts) are checked. */
  public static final Duration TICK_INTERVAL = Duration.ofMillis(50);

  private static final Logger log = LoggerFactory.getLogger(Bitswap.class);

  private final Host host;
  private final Blockstore blockstore;
  private final BitswapConfig config;
  private final BitswapCodec codec;
  private final BitswapEngine engine;
  private final LongSupplier nanoTime;
  private final Network network = new Network();
  private final Map<PeerId, PeerLink> links = new ConcurrentHashMap<>();
  private final Map<Multihash, Set<BitswapSession>> interest = new ConcurrentHashMap<>();
  private final Set<BitswapSession> sessions = ConcurrentHashMap.newKeySet();
  private final Map<PeerId, AtomicLong> violations = new ConcurrentHashMap<>();
  private final Set<PeerId> legacyPeers = ConcurrentHashMap.newKeySet();
  private final Map<PeerId, Long> bannedUntil = new ConcurrentHashMap<>();
  private final AtomicLong duplicateBlocks = new AtomicLong();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private ScheduledExecutorService timer;
  private volatile boolean closed;

  public Bitswap(Host host, Blockstore blockstore) {
    this(host, blockstore, BitswapConfig.DEFAULT);
  }

  public Bitswap(Host host, Blockstore blockstore, BitswapConfig config) {
    this.host = host;
    this.blockstore = blockstore;
    this.config = config;
    this.codec = new BitswapCodec(config.limits());
    this.engine = new BitswapEngine(blockstore, config.limits(), config.targetMessageSize());
    this.nanoTime = System::nanoTime;
  }

  /** Registers the protocol handlers and starts the session timers. */
  public synchronized Bitswap start() {
    if (timer != null) {
      return this;
    }
    for (BitswapVersion version : config.versions()) {
      host.protocols().register(version.protocolId(), this::serve);
    }
    host.addListener(new Host.ConnectionListener() {
      @Override
      public void connected(Connection connection) {
        PeerId peer = connection.remotePeer();
        if (!closed && !isBanned(peer)) {
          sessions.forEach(s -> s.peerConnected(peer));
        }
      }

      @Override
      public void disconnected(Connection connection) {
        if (!closed) {
          peerDisconnected(connection.remotePeer());
        }
      }
    });
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mycel-bitswap-timer");
      t.setDaemon(true);
      return t;
    });
    long tick = TICK_INTERVAL.toMillis();
    timer.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    return this;
  }

  public Host host() {
    return host;
  }

  public Blockstore blockstore() {
    return blockstore;
  }

  public BitswapConfig config() {
    return config;
  }

  /** The serving side: wantlists and ledgers of peers. */
  public BitswapEngine engine() {
    return engine;
  }

  /**
   * A session that asks exactly {@code peers} (more can be added). Bitswap does not dial: the
   * peers must be connected, and a peer that disconnects is asked again when it reconnects.
   */
  public BitswapSession newSession(Collection<PeerId> peers) {
    List<PeerId> usable = peers.stream().filter(p -> !isBanned(p)).toList();
    return register(new BitswapSession(network, config, usable, false, nanoTime, executor));
  }

  /** A session that asks every connected peer, and peers that connect later. */
  public BitswapSession newSession() {
    Set<PeerId> connected = new LinkedHashSet<>();
    for (Connection connection : host.connections()) {
      if (speaksBitswap(connection.remotePeer()) && !isBanned(connection.remotePeer())) {
        connected.add(connection.remotePeer());
      }
    }
    return register(new BitswapSession(network, config, connected, true, nanoTime, executor));
  }

  /** One block from the connected peers, through a session of its own. */
  public CompletableFuture<byte[]> get(Cid cid) {
    BitswapSession session = newSession();
    CompletableFuture<byte[]> block = session.get(cid);
    block.whenComplete((data, error) -> session.close());
    return block;
  }

  /** The DAG under {@code root} from {@code peers}, through a session of its own. */
  public CompletableFuture<DagFetchResult> fetchDag(
      Cid root, LinkDecoder decoder, Collection<PeerId> peers) {
    BitswapSession session = newSession(peers);
    CompletableFuture<DagFetchResult> dag = session.fetchDag(root, decoder);
    dag.whenComplete((result, error) -> session.close());
    return dag;
  }

  /**
   * A block was added to the store by other means than Bitswap: peers whose wantlists hold it
   * get it now.
   */
  public void blockAdded(Cid cid) {
    for (PeerId peer : engine.blockAdded(cid)) {
      link(peer).ifPresent(PeerLink::responsesDue);
    }
  }

  /** What this node and {@code peer} have exchanged. */
  public Ledger ledger(PeerId peer) {
    return engine.ledger(peer);
  }

  /** Every peer's ledger. */
  public List<Ledger> ledgers() {
    return engine.ledgers();
  }

  /** How often {@code peer} broke the protocol (limits, malformed messages, unasked blocks). */
  public long violations(PeerId peer) {
    AtomicLong count = violations.get(peer);
    return count == null ? 0 : count.get();
  }

  /** Blocks received that no session waited for any more (another peer was faster). */
  public long duplicateBlocks() {
    return duplicateBlocks.get();
  }

  /** Blocks, bytes and messages exchanged with all peers since this node started. */
  public BitswapStats stats() {
    BitswapStats totals = engine.totals();
    return new BitswapStats(totals.blocksSent(), totals.blocksReceived(), totals.blockBytesSent(),
        totals.blockBytesReceived(), totals.messagesSent(), totals.messagesReceived(),
        duplicateBlocks.get());
  }

  /** The version spoken on this node's outbound stream to {@code peer}, once one was opened. */
  public Optional<BitswapVersion> outboundVersion(PeerId peer) {
    PeerLink link = links.get(peer);
    return link == null ? Optional.empty() : link.version();
  }

  /** Unregisters the protocols, closes every session and stops sending. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (BitswapVersion version : config.versions()) {
      host.protocols().unregister(version.protocolId());
    }
    if (timer != null) {
      timer.shutdownNow();
    }
    List.copyOf(sessions).forEach(BitswapSession::close);
    links.values().forEach(PeerLink::close);
    links.clear();
    executor.shutdown();
  }

  // ---- inbound ----

  private void serve(Stream stream) {
    PeerId peer = stream.connection().remotePeer();
    if (isBanned(peer)) {
      log.debug("resetting a Bitswap stream of {}: it is banned for a violation", peer);
      stream.reset();
      return;
    }
    InputStream in = new BufferedInputStream(stream.input(), 64 * 1024);
    try {
      while (!closed) {
        byte[] body = codec.readFrame(in);
        if (body == null) {
          return;
        }
        if (!handle(peer, codec.decode(body))) {
          return;
        }
      }
    } catch (ProtocolViolationException e) {
      violation(peer, e.getMessage(), false);
      stream.reset();
    } catch (IOException e) {
      log.debug("Bitswap stream from {} ended: {}", peer, e.toString());
    }
  }

  /** Applies one message; false when the peer was disconnected for it. */
  private boolean handle(PeerId peer, BitswapMessage message) {
    engine.recordReceived(peer, message);
    for (Block block : message.blocks()) {
      if (!receiveBlock(peer, block)) {
        return false;
      }
    }
    for (BlockPresence presence : message.presences()) {
      Set<BitswapSession> waiting = interest.get(presence.cid().multihash());
      if (waiting != null) {
        for (BitswapSession session : List.copyOf(waiting)) {
          session.presenceReceived(peer, presence);
        }
      }
    }
    if (!message.wantlist().isEmpty() || message.fullWantlist()) {
      if (engine.receiveWantlist(peer, message)) {
        link(peer).ifPresent(PeerLink::responsesDue);
      }
    }
    return true;
  }

  private boolean receiveBlock(PeerId peer, Block block) {
    Multihash hash = block.cid().multihash();
    Set<BitswapSession> waiting = interest.get(hash);
    boolean wanted = waiting != null && !waiting.isEmpty();
    PeerLink link = links.get(peer);
    if (!wanted && (link == null || !link.wasAsked(hash))) {
      violation(peer, "sent block " + block.cid() + " that was not asked of it (its bytes hash "
          + "to no CID wanted from it)", true);
      return false;
    }
    if (link != null) {
      link.delivered(hash);
    }
    if (!wanted) {
      duplicateBlocks.incrementAndGet();
      return true;
    }
    try {
      blockstore.put(block);
    } catch (IOException e) {
      log.warn("storing block {} from {} failed: {}", block.cid(), peer, e.toString());
      for (BitswapSession session : List.copyOf(waiting)) {
        session.blockFailed(block.cid(), e);
      }
      return true;
    }
    for (BitswapSession session : List.copyOf(waiting)) {
      session.blockReceived(peer, block);
    }
    blockAdded(block.cid());
    return true;
  }

  private void violation(PeerId peer, String reason, boolean disconnect) {
    long count = violations.computeIfAbsent(peer, p -> new AtomicLong()).incrementAndGet();
    if (disconnect) {
      log.warn("Bitswap: disconnecting {} (violation {}): {}", peer, count, reason);
      bannedUntil.put(peer, nanoTime.getAsLong() + config.violatorBan().toNanos());
      sessions.forEach(s -> s.peerGone(peer));
      for (Connection connection : host.connections(peer)) {
        connection.close();
      }
    } else {
      log.warn("Bitswap: resetting stream from {} (violation {}): {}", peer, count, reason);
    }
  }

  private boolean isBanned(PeerId peer) {
    Long until = bannedUntil.get(peer);
    if (until == null) {
      return false;
    }
    if (nanoTime.getAsLong() - until < 0) {
      return true;
    }
    bannedUntil.remove(peer, until);
    return false;
  }

  private void peerDisconnected(PeerId peer) {
    if (!host.connections(peer).isEmpty()) {
      return;
    }
    engine.peerDisconnected(peer);
    legacyPeers.remove(peer);
    PeerLink link = links.remove(peer);
    if (link != null) {
      link.close();
    }
    sessions.forEach(s -> s.peerGone(peer));
  }

  // ---- outbound ----

  private Optional<PeerLink> link(PeerId peer) {
    if (closed) {
      return Optional.empty();
    }
    return Optional.of(links.computeIfAbsent(peer,
        p -> new PeerLink(p, host, config, codec, engine, network)));
  }

  private boolean speaksBitswap(PeerId peer) {
    List<String> protocols =
        host.peerStore().get(peer).map(info -> info.protocols()).orElse(List.of());
    if (protocols.isEmpty()) {
      return true;
    }
    return config.protocolIds().stream().anyMatch(protocols::contains);
  }

  private BitswapSession register(BitswapSession session) {
    if (closed) {
      throw new IllegalStateException("Bitswap is closed");
    }
    sessions.add(session);
    return session;
  }

  private void tick() {
    for (BitswapSession session : sessions) {
      try {
        session.tick();
      } catch (RuntimeException e) {
        log.warn("Bitswap session timer failed", e);
      }
    }
  }

  /** The node's side of sessions and links. */
  private final class Network implements SessionNetwork, PeerLink.Events {

    @Override
    public void sendWants(PeerId peer, List<WantlistEntry> entries) {
      List<WantlistEntry> sendable = new ArrayList<>(entries.size());
      for (WantlistEntry entry : entries) {
        // Another session may still want the block from this peer: keep the peer's want.
        if (entry.cancel() && interest.containsKey(entry.cid().multihash())) {
          continue;
        }
        sendable.add(entry);
      }
      if (!sendable.isEmpty()) {
        link(peer).ifPresent(l -> l.enqueue(sendable));
      }
    }

    @Override
    public boolean isLegacy(PeerId peer) {
      return legacyPeers.contains(peer);
    }

    @Override
    public Optional<byte[]> localBlock(Cid cid) throws IOException {
      return blockstore.get(cid);
    }

    @Override
    public void interested(BitswapSession session, Multihash hash) {
      interest.computeIfAbsent(hash, h -> ConcurrentHashMap.newKeySet()).add(session);
    }

    @Override
    public void uninterested(BitswapSession session, Multihash hash) {
      interest.computeIfPresent(hash, (h, set) -> {
        set.remove(session);
        return set.isEmpty() ? null : set;
      });
    }

    @Override
    public void sessionClosed(BitswapSession session) {
      sessions.remove(session);
    }

    @Override
    public void legacy(PeerId peer) {
      legacyPeers.add(peer);
      sessions.forEach(s -> s.peerIsLegacy(peer));
    }

    @Override
    public void unreachable(PeerId peer, Throwable cause) {
      sessions.forEach(s -> s.peerGone(peer));
    }
  }
}
