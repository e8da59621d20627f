package io.mycel.node;

import io.mycel.content.bitswap.BitswapSession;
import io.mycel.content.bitswap.SessionPeerStats;
import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.BlockNotFoundException;
import io.mycel.content.blockstore.BlockUnavailableException;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.dagpb.DagPbLinkDecoder;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.ping.PingService;
import io.mycel.routing.kad.ProviderStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's block store, read through to the network, as a gateway uses it: a block the store
 * lacks is asked of the peers of one long-lived Bitswap session (the connected peers, and the
 * providers found before), and when none delivers it within {@link #PROVIDER_SEARCH_DELAY}, of the
 * providers the DHT names for it. Providers are dialled and pinged at once; each joins the session
 * with its measured round trip as its expected time per block, so the nearest are asked first
 * and the others share the load once the nearest are busy or prove slow (the session then goes
 * by the time each peer really takes per block). When a DAG node arrives from the network, the
 * blocks it links to are asked for at once, and theirs when they arrive
 * ({@link #PREFETCH_DEPTH}), so a file's leaves or a folder's entries come from several providers
 * in parallel while the gateway is still writing the first bytes; and when a connected peer
 * delivered such a node, its providers are looked up in the background all the same, so the
 * blocks below it are spread over every provider.
 *
 * <p>Bitswap verifies each block and keeps it in the store, so what a gateway serves once it
 * serves from disk after (a cache: see {@link BlockCache}). Writes go straight to the store.
 */
public final class NetworkBlockstore implements Blockstore {
  private static final Logger LOG = LoggerFactory.getLogger(NetworkBlockstore.class);

  /** How long the session's peers get to deliver a block before the DHT is asked for providers. */
  static final Duration PROVIDER_SEARCH_DELAY = Duration.ofSeconds(1);
  /**
   * Providers a blocked read waits for before it starts fetching: the DHT lookup ends when this
   * many are known (the background search still collects the rest for the session).
   */
  static final int PROVIDERS_TO_START = 3;
  /** How long a peer's round trip may take to measure; a peer slower than this counts as this. */
  static final Duration PING_WAIT = Duration.ofSeconds(1);
  /**
   * Longest wait for the providers of a node a connected peer delivered before the blocks below
   * it are asked for ahead (meanwhile the gateway's reads fetch them one by one).
   */
  static final Duration MAX_PREFETCH_DELAY = Duration.ofSeconds(10);
  /** Round trips measured per peer; the shortest counts. */
  static final int PINGS = 3;
  /** Levels of links below a block fetched on demand that are fetched ahead. */
  static final int PREFETCH_DEPTH = 2;
  /** Most blocks asked for ahead at once; links beyond are left for when they are read. */
  static final int MAX_PREFETCH = 1024;
  /** How often the providers of one DAG node are looked up while connected peers deliver it. */
  static final Duration PROVIDER_SEARCH_INTERVAL = Duration.ofMinutes(1);
  private static final int MAX_SEARCHES_REMEMBERED = 4096;
  private static final int MAX_LINKS_REMEMBERED = 1 << 16;

  private final Blockstore local;
  private final Node node;
  private final Duration timeout;
  private final DagPbLinkDecoder decoder = new DagPbLinkDecoder();
  private final Map<PeerId, Duration> roundTrips = new ConcurrentHashMap<>();
  private final Set<PeerId> inSession = ConcurrentHashMap.newKeySet();
  private final AtomicInteger prefetching = new AtomicInteger();
  private final Map<Multihash, Long> searched = new ConcurrentHashMap<>();
  /** Blocks that fetched DAG nodes link to: their providers are the session's peers. */
  private final Set<Multihash> linked = ConcurrentHashMap.newKeySet();
  private volatile BitswapSession session;

  public NetworkBlockstore(Blockstore local, Node node, Duration timeout) {
    this.local = local;
    this.node = node;
    this.timeout = timeout;
  }

  @Override
  public Optional<byte[]> get(Cid cid) throws IOException {
    Optional<byte[]> here = local.get(cid);
    if (here.isPresent()) {
      return here;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    BitswapSession s = session();
    CompletableFuture<byte[]> want = null;
    try {
      addConnectedPeers(s);
      if (!inSession.isEmpty()) {
        want = s.get(cid);
        try {
          byte[] data = want.get(Math.min(PROVIDER_SEARCH_DELAY.toNanos(), remaining(deadline)),
              TimeUnit.NANOSECONDS);
          // The blocks below are asked for once every provider had a chance to join, so that
          // they are not all handed to whichever peers happened to be connected.
          searchProvidersInBackground(s, cid)
              .completeOnTimeout(null, MAX_PREFETCH_DELAY.toMillis(), TimeUnit.MILLISECONDS)
              .thenRun(() -> prefetch(s, cid, data, PREFETCH_DEPTH));
          return Optional.of(data);
        } catch (TimeoutException slow) {
          // ask the DHT too, the want stays
        } catch (ExecutionException failed) {
          want = null;
        }
      }
      List<ProviderStore.Provider> providers = node.dht().findProviders(cid, PROVIDERS_TO_START)
          .get(remaining(deadline), TimeUnit.NANOSECONDS).stream()
          .filter(p -> !p.peer().equals(node.peerId()))
          .toList();
      if (providers.isEmpty() && (want == null || !linked.contains(cid.multihash()))) {
        if (want != null) {
          want.cancel(false);
        }
        throw new BlockUnavailableException(cid, "no peer in the network provides " + cid);
      }
      // Blocks below a root are seldom announced: one that a fetched node links to is waited
      // for from the session's peers, which serve the rest of its DAG.
      addProviders(s, providers, deadline);
      // The lookup stopped at the first few providers; the others join the session as the
      // whole lookup finds them.
      if (providers.size() >= PROVIDERS_TO_START) {
        searchProvidersInBackground(s, cid);
      }
      if (want == null) {
        want = s.get(cid);
      }
      byte[] data = want.get(remaining(deadline), TimeUnit.NANOSECONDS);
      prefetch(s, cid, data, PREFETCH_DEPTH);
      return Optional.of(data);
    } catch (ExecutionException | TimeoutException e) {
      if (want != null) {
        want.cancel(false);
      }
      throw new BlockUnavailableException(cid, "no peer delivered " + cid + " within "
          + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      if (want != null) {
        want.cancel(false);
      }
      Thread.currentThread().interrupt();
      throw new BlockNotFoundException(cid, "interrupted while fetching " + cid);
    }
  }

  /** The measured round trip to {@code peer}, when one was measured. */
  public Optional<Duration> roundTrip(PeerId peer) {
    return Optional.ofNullable(roundTrips.get(peer));
  }

  /** How each peer has served the gateway's fetches so far. */
  public Map<PeerId, SessionPeerStats> peerStats() {
    BitswapSession s = session;
    return s == null ? Map.of() : s.peerStats();
  }

  private BitswapSession session() {
    BitswapSession s = session;
    if (s == null) {
      synchronized (this) {
        s = session;
        if (s == null) {
          s = node.bitswap().newSession(List.of());
          session = s;
        }
      }
    }
    return s;
  }

  /** Adds the connected peers that speak Bitswap and are not in the session yet, nearest first. */
  private void addConnectedPeers(BitswapSession s) throws InterruptedException {
    List<PeerId> fresh = new ArrayList<>();
    for (Connection connection : node.host().connections()) {
      PeerId peer = connection.remotePeer();
      if (!inSession.contains(peer) && !fresh.contains(peer) && speaksBitswap(peer)) {
        fresh.add(peer);
      }
    }
    join(s, fresh, System.nanoTime() + PING_WAIT.toNanos());
  }

  /** Dials the providers, all at once, and adds those reached to the session, nearest first. */
  private void addProviders(BitswapSession s, List<ProviderStore.Provider> providers,
      long deadline) throws InterruptedException {
    List<PeerId> peers = new ArrayList<>();
    List<CompletableFuture<Connection>> dials = new ArrayList<>();
    for (ProviderStore.Provider provider : providers) {
      PeerId peer = provider.peer();
      node.host().peerStore().addAddresses(peer, provider.addresses());
      peers.add(peer);
      dials.add(node.host().dial(peer));
    }
    List<PeerId> reached = new ArrayList<>();
    long dialDeadline = Math.min(deadline, System.nanoTime() + PING_WAIT.toNanos() * 5);
    for (int i = 0; i < peers.size(); i++) {
      try {
        dials.get(i).get(remaining(dialDeadline), TimeUnit.NANOSECONDS);
        reached.add(peers.get(i));
      } catch (ExecutionException | TimeoutException unreachable) {
        LOG.debug("provider {} unreachable: {}", peers.get(i), unreachable.toString());
      }
    }
    reached.removeIf(inSession::contains);
    join(s, reached, Math.min(deadline, System.nanoTime() + PING_WAIT.toNanos()));
  }

  /** Pings {@code peers} at once and adds them to the session in order of round trip. */
  private void join(BitswapSession s, List<PeerId> peers, long deadline)
      throws InterruptedException {
    if (peers.isEmpty()) {
      return;
    }
    List<CompletableFuture<Duration>> pings = new ArrayList<>();
    for (PeerId peer : peers) {
      Duration known = roundTrips.get(peer);
      if (known != null) {
        pings.add(CompletableFuture.completedFuture(known));
        continue;
      }
      List<Connection> connections = node.host().connections(peer);
      pings.add(connections.isEmpty()
          ? CompletableFuture.completedFuture(PING_WAIT)
          : roundTrip(connections.getFirst()));
    }
    List<Map.Entry<PeerId, Duration>> measured = new ArrayList<>();
    for (int i = 0; i < peers.size(); i++) {
      Duration rtt;
      try {
        rtt = pings.get(i).get(remaining(deadline), TimeUnit.NANOSECONDS);
        roundTrips.put(peers.get(i), rtt);
      } catch (ExecutionException | TimeoutException e) {
        rtt = PING_WAIT;
      }
      measured.add(Map.entry(peers.get(i), rtt));
    }
    measured.sort(Comparator.comparing(Map.Entry::getValue));
    for (Map.Entry<PeerId, Duration> peer : measured) {
      if (inSession.add(peer.getKey())) {
        LOG.debug("fetching from {} (round trip {} µs)", peer.getKey(),
            peer.getValue().toNanos() / 1000);
        s.addPeer(peer.getKey(), peer.getValue());
      }
    }
  }

  /**
   * Looks up the providers of a DAG node that a connected peer delivered, in the background, so
   * that the blocks below it come from every provider, not only from the peers at hand; once per
   * node per {@link #PROVIDER_SEARCH_INTERVAL}.
   */
  private CompletableFuture<Void> searchProvidersInBackground(BitswapSession s, Cid cid) {
    if (cid.codec() != Multicodec.DAG_PB) {
      return CompletableFuture.completedFuture(null);
    }
    long now = System.nanoTime();
    Long last = searched.get(cid.multihash());
    if (last != null && now - last < PROVIDER_SEARCH_INTERVAL.toNanos()) {
      return CompletableFuture.completedFuture(null);
    }
    if (searched.size() >= MAX_SEARCHES_REMEMBERED) {
      searched.clear();
    }
    searched.put(cid.multihash(), now);
    CompletableFuture<Void> joined = new CompletableFuture<>();
    node.dht().findProviders(cid).whenComplete((found, error) -> {
      List<ProviderStore.Provider> providers = error != null ? List.of() : found.stream()
          .filter(p -> !p.peer().equals(node.peerId()) && !inSession.contains(p.peer()))
          .toList();
      if (providers.isEmpty()) {
        joined.complete(null);
        return;
      }
      Thread.ofVirtual().name("gateway-providers").start(() -> {
        try {
          addProviders(s, providers, System.nanoTime() + timeout.toNanos());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          joined.complete(null);
        }
      });
    });
    return joined;
  }

  /**
   * The shortest of {@link #PINGS} round trips on one ping stream, on a virtual thread: one
   * round trip may wait behind other work at either end.
   */
  private static CompletableFuture<Duration> roundTrip(Connection connection) {
    CompletableFuture<Duration> result = new CompletableFuture<>();
    Thread.ofVirtual().name("gateway-ping").start(() -> {
      try (PingService.PingSession ping = PingService.open(connection, PING_WAIT.toMillis())) {
        Duration best = ping.ping();
        for (int i = 1; i < PINGS; i++) {
          Duration next = ping.ping();
          if (next.compareTo(best) < 0) {
            best = next;
          }
        }
        result.complete(best);
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /** Asks the session for the blocks {@code data} links to, {@code depth} levels down. */
  private void prefetch(BitswapSession s, Cid cid, byte[] data, int depth) {
    if (cid.codec() != Multicodec.DAG_PB) {
      return;
    }
    List<Cid> links;
    try {
      links = decoder.links(cid, data);
    } catch (IllegalArgumentException e) {
      return;
    }
    if (linked.size() + links.size() > MAX_LINKS_REMEMBERED) {
      linked.clear();
    }
    for (Cid link : links) {
      linked.add(link.multihash());
    }
    if (depth <= 0) {
      return;
    }
    for (Cid link : links) {
      if (link.multihash().code() == Multicodec.IDENTITY) {
        continue;
      }
      try {
        if (local.has(link)) {
          continue;
        }
      } catch (IOException e) {
        continue;
      }
      if (prefetching.incrementAndGet() > MAX_PREFETCH) {
        prefetching.decrementAndGet();
        return;
      }
      s.get(link).whenComplete((block, error) -> {
        prefetching.decrementAndGet();
        if (error == null) {
          prefetch(s, link, block, depth - 1);
        }
      });
    }
  }

  private boolean speaksBitswap(PeerId peer) {
    List<String> protocols =
        node.host().peerStore().get(peer).map(info -> info.protocols()).orElse(List.of());
    return protocols.isEmpty()
        || node.bitswap().config().protocolIds().stream().anyMatch(protocols::contains);
  }

  private static long remaining(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }

  @Override
  public boolean has(Cid cid) throws IOException {
    return local.has(cid);
  }

  @Override
  public Optional<Integer> size(Cid cid) throws IOException {
    return local.size(cid);
  }

  @Override
  public void put(Block block) throws IOException {
    local.put(block);
  }

  @Override
  public boolean delete(Multihash hash) throws IOException {
    return local.delete(hash);
  }

  @Override
  public Stream<Multihash> keys() throws IOException {
    return local.keys();
  }

  @Override
  public BlockstoreStats stats() throws IOException {
    return local.stats();
  }

  /** Closes the fetch session; the local store stays open: it belongs to the repository. */
  @Override
  public void close() {
    BitswapSession s = session;
    if (s != null) {
      s.close();
    }
  }
}
