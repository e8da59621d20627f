package io.mycel.testkit.sim;

import com.google.protobuf.ByteString;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import io.mycel.routing.kad.KadConfig;
import io.mycel.routing.kad.KadDht;
import io.mycel.routing.kad.KadKey;
import io.mycel.routing.kad.ProviderStore.Provider;
import io.mycel.routing.kad.pb.KadProtos.Message;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A Kademlia experiment on a {@link SimNetwork}: {@code N} nodes, each running the unmodified
 * {@link KadDht}, join through the network; some provide content; then lookups run from random
 * nodes, once on the settled network and once while a fraction of the nodes leaves.
 *
 * <p>Joining: nodes join in index order, at most {@code joinConcurrency} at a time and never
 * more at once than have already joined (the network at most doubles per wave); each dials
 * {@code bootstrapPeers} random nodes that have already joined and looks up its own id. Earlier
 * nodes learn of later ones only as these contact them, as on a real network.
 *
 * <p>Each lookup phase runs {@code lookups} FIND_NODE lookups for the id of a random staying node
 * (success: that node is among the peers returned), and {@code lookups} GET_PROVIDERS lookups
 * for a random provided key (success: its provider is returned) of each {@link Kind}: the whole
 * lookup, and the one that ends at the first provider; interleaved, from random staying
 * nodes, each node running one measured lookup at a time. In the churn phase the leaving nodes
 * (never origins, targets or providers) vanish one by one over the first half of the phase, so
 * the second half runs with all of them gone.
 *
 * <p>Hops are defined in {@link KadTracer#hops}: the depth of the peer whose reply answered
 * (for FIND_NODE, the target's own reply; for GET_PROVIDERS, the first reply naming the
 * provider), the peers of the origin's routing table being at depth 1. Latency is the time until
 * the lookup's future completes; answer time the time until the answering reply arrived.
 */
public final class DhtSimulation {

  /**
   * What to simulate.
   *
   * @param nodes number of nodes
   * @param network links of the network (latency, loss, seed)
   * @param kad configuration of every node's DHT
   * @param bootstrapPeers joined nodes each new node dials before looking up its own id
   * @param joinConcurrency nodes joining (or providing) at the same time
   * @param contentKeys keys provided, each by one random staying node, before the lookups
   * @param lookups lookups of each kind per phase
   * @param lookupConcurrency lookups in flight at the same time
   * @param churnFraction fraction of the nodes that leaves during the churn phase; 0 skips it
   * @param lookupWait how long one lookup may take before it counts as not terminated
   * @param timeScale runs the lookup phases this many times slower than modelled (latencies
   *     and every timeout stretched, measured times divided back) so that a busy machine
   *     distorts the figures less; 1 runs in real time. The DHT's timeouts are stretched from
   *     the start; joining and providing run at full speed, untimed.
   */
  public record Params(
      int nodes,
      SimConfig network,
      KadConfig kad,
      int bootstrapPeers,
      int joinConcurrency,
      int contentKeys,
      int lookups,
      int lookupConcurrency,
      double churnFraction,
      Duration lookupWait,
      double timeScale) {

    public Params {
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(kad, "kad");
      Objects.requireNonNull(lookupWait, "lookupWait");
      if (nodes < 2) {
        throw new IllegalArgumentException("nodes must be at least 2: " + nodes);
      }
      for (int v : new int[] {bootstrapPeers, joinConcurrency, contentKeys, lookups,
          lookupConcurrency}) {
        if (v <= 0) {
          throw new IllegalArgumentException(
              "bootstrapPeers, joinConcurrency, contentKeys, lookups and lookupConcurrency must"
                  + " be positive: " + this);
        }
      }
      if (!(timeScale >= 1 && timeScale <= 100)) {
        throw new IllegalArgumentException("timeScale must be in [1, 100]: " + timeScale);
      }
      if (!(churnFraction >= 0 && churnFraction < 0.9)) {
        throw new IllegalArgumentException("churnFraction must be in [0, 0.9): " + churnFraction);
      }
      int staying = nodes - (int) Math.round(nodes * churnFraction);
      if (lookupConcurrency * 2 > staying) {
        throw new IllegalArgumentException(
            "lookupConcurrency " + lookupConcurrency + " needs at least twice as many staying"
                + " nodes, there are " + staying);
      }
    }

    /** {@code nodes} nodes on the default links (20-200 ms) with the default DHT settings. */
    public static Params of(int nodes) {
      return new Params(nodes, SimConfig.DEFAULT, KadConfig.DEFAULT, 3, 200, 100, 500, 50, 0.2,
          Duration.ofMinutes(2), 1);
    }

    public Params withNetwork(SimConfig newNetwork) {
      return new Params(nodes, newNetwork, kad, bootstrapPeers, joinConcurrency, contentKeys,
          lookups, lookupConcurrency, churnFraction, lookupWait, timeScale);
    }

    public Params withKad(KadConfig newKad) {
      return new Params(nodes, network, newKad, bootstrapPeers, joinConcurrency, contentKeys,
          lookups, lookupConcurrency, churnFraction, lookupWait, timeScale);
    }

    public Params withLookups(int newLookups, int newConcurrency) {
      return new Params(nodes, network, kad, bootstrapPeers, joinConcurrency, contentKeys,
          newLookups, newConcurrency, churnFraction, lookupWait, timeScale);
    }

    public Params withContent(int keys, int concurrency) {
      return new Params(nodes, network, kad, bootstrapPeers, concurrency, keys, lookups,
          lookupConcurrency, churnFraction, lookupWait, timeScale);
    }

    public Params withTimeScale(double scale) {
      return new Params(nodes, network, kad, bootstrapPeers, joinConcurrency, contentKeys,
          lookups, lookupConcurrency, churnFraction, lookupWait, scale);
    }

    /** The DHT settings as run: its timeouts stretched by {@link #timeScale}. */
    KadConfig scaledKad() {
      return new KadConfig(kad.k(), kad.alpha(), kad.maxMessageSize(), kad.maxPeersPerReply(),
          scale(kad.queryTimeout()), scale(kad.lookupTimeout()), kad.maxQueriesPerLookup(),
          kad.providerTtl(), kad.maxProvidersPerKey(), kad.maxRecords(), kad.clientMode(),
          scale(kad.lookupPeerTimeout()));
    }

    Duration scale(Duration d) {
      return Duration.ofNanos(Math.round(d.toNanos() * timeScale));
    }

    public Params withChurn(double fraction) {
      return new Params(nodes, network, kad, bootstrapPeers, joinConcurrency, contentKeys,
          lookups, lookupConcurrency, fraction, lookupWait, timeScale);
    }
  }

  /** The kinds of lookup measured. */
  public enum Kind {
    /** {@link KadDht#findClosestPeers} for a node's id. */
    FIND_NODE,
    /** {@link KadDht#findProviders(Cid)}: the whole lookup. */
    GET_PROVIDERS,
    /** {@link KadDht#findProviders(Cid, int)} with 1: ends at the first provider. */
    FIRST_PROVIDER
  }

  /**
   * One lookup.
   *
   * @param hops see {@link KadTracer#hops}; -1 when no reply answered
   * @param latencyNanos until the lookup completed (or was given up)
   * @param answerNanos until the answering reply arrived; 0 when the origin knew the answer;
   *     -1 when none came
   */
  public record Lookup(
      Kind kind, boolean churn, boolean success, boolean terminated, int hops, long latencyNanos,
      long answerNanos) {}

  /**
   * The figures of one kind of lookup in one phase. Hops and answer times are over the
   * successful lookups; latencies over all.
   */
  public record Summary(
      Kind kind,
      boolean churn,
      int lookups,
      int succeeded,
      int terminated,
      double successRate,
      double medianHops,
      int p99Hops,
      int maxHops,
      double medianLatencyMs,
      double p99LatencyMs,
      double maxLatencyMs,
      double medianAnswerMs,
      double p99AnswerMs) {

    static Summary of(Kind kind, boolean churn, List<Lookup> all) {
      List<Lookup> ok = all.stream().filter(Lookup::success).toList();
      List<Double> hops = ok.stream().map(l -> (double) l.hops()).filter(h -> h >= 0).toList();
      List<Double> latency = all.stream().map(l -> l.latencyNanos() / 1e6).toList();
      List<Double> answer =
          ok.stream().filter(l -> l.answerNanos() >= 0).map(l -> l.answerNanos() / 1e6).toList();
      return new Summary(
          kind,
          churn,
          all.size(),
          ok.size(),
          (int) all.stream().filter(Lookup::terminated).count(),
          all.isEmpty() ? 0 : (double) ok.size() / all.size(),
          median(hops),
          (int) percentile(hops, 99),
          (int) percentile(hops, 100),
          median(latency),
          percentile(latency, 99),
          percentile(latency, 100),
          median(answer),
          percentile(answer, 99));
    }
  }

  /**
   * The outcome of a run.
   *
   * @param joinSeconds time all nodes took to join
   * @param meanTableSize routing table size after joining, mean over the nodes
   * @param minTableSize the smallest routing table after joining
   * @param providerReplicas provider records placed, mean per key (at most k)
   * @param departed nodes that left in the churn phase
   * @param chunksSent flushed writes over the whole run
   * @param dials connection handshakes over the whole run
   * @param lateness how late the scheduler delivered during the lookup phases, in model time
   *     (the fraction over 50 ms is of real time), a measure of how much a busy machine
   *     stretched the simulated latencies
   */
  public record Report(
      Params params,
      double joinSeconds,
      double meanTableSize,
      int minTableSize,
      double providerReplicas,
      int departed,
      List<Summary> summaries,
      List<Lookup> lookups,
      long chunksSent,
      long dials,
      SimNetwork.Lateness lateness,
      long unparsedChunks) {

    public Summary summary(Kind kind, boolean churn) {
      return summaries.stream()
          .filter(s -> s.kind() == kind && s.churn() == churn)
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no " + kind + " phase churn=" + churn));
    }
  }

  private record Content(Cid cid, SimHost provider) {}

  private final Params params;
  private final Consumer<String> progress;
  private final Random random;
  private final SimNetwork network;
  private final KadTracer tracer = new KadTracer();
  private final List<SimHost> hosts = new ArrayList<>();
  private final List<KadDht> dhts = new ArrayList<>();

  private DhtSimulation(Params params, Consumer<String> progress) {
    this.params = params;
    this.progress = progress;
    this.random = new Random(params.network().seed());
    this.network = new SimNetwork(params.network());
    network.setTap(tracer);
  }

  /** Runs the whole experiment; {@code progress} hears what is going on. */
  public static Report run(Params params, Consumer<String> progress) throws InterruptedException {
    DhtSimulation sim = new DhtSimulation(params, progress);
    try {
      return sim.run();
    } finally {
      sim.network.close();
    }
  }

  private Report run() throws InterruptedException {
    for (int i = 0; i < params.nodes(); i++) {
      SimHost host = network.addHost();
      hosts.add(host);
      dhts.add(new KadDht(host, params.scaledKad(), Clock.systemUTC(), Map.of()).start());
    }
    long joinStart = System.nanoTime();
    join();
    double joinSeconds = (System.nanoTime() - joinStart) / 1e9;
    int[] sizes = dhts.stream().mapToInt(d -> d.routingTable().size()).toArray();
    double meanTable = java.util.Arrays.stream(sizes).average().orElse(0);
    int minTable = java.util.Arrays.stream(sizes).min().orElse(0);
    progress.accept(String.format("%d nodes joined in %.1f s; routing tables: mean %.1f, min %d",
        params.nodes(), joinSeconds, meanTable, minTable));

    List<SimHost> shuffled = new ArrayList<>(hosts);
    Collections.shuffle(shuffled, random);
    int leaving = (int) Math.round(params.nodes() * params.churnFraction());
    List<SimHost> departing = List.copyOf(shuffled.subList(0, leaving));
    List<SimHost> staying = List.copyOf(shuffled.subList(leaving, shuffled.size()));

    List<Content> contents = new ArrayList<>();
    for (int c = 0; c < params.contentKeys(); c++) {
      byte[] data = ("mycel-sim-content-" + params.network().seed() + "-" + c)
          .getBytes(StandardCharsets.UTF_8);
      contents.add(new Content(Cid.v1(Multicodec.RAW, Multihash.sha2_256(data)),
          staying.get(random.nextInt(staying.size()))));
    }
    double replicas = provide(contents);
    progress.accept(String.format("%d keys provided, %.1f provider records each; deliveries so"
            + " far late by %.1f ms on average", contents.size(), replicas,
        network.lateness().meanMs()));
    // Joining and providing are not timed and no node leaves while they run, so no timeout
    // fires: they run at full speed, the timed lookups slowed down by the time scale.
    network.setTimeScale(params.timeScale());
    network.resetLateness();

    List<Lookup> lookups = new ArrayList<>(phase(false, staying, List.of(), contents));
    int departed = 0;
    if (leaving > 0) {
      lookups.addAll(phase(true, staying, departing, contents));
      departed = (int) departing.stream().filter(SimHost::hasLeft).count();
    }
    List<Summary> summaries = new ArrayList<>();
    for (boolean churn : leaving > 0 ? List.of(false, true) : List.of(false)) {
      for (Kind kind : Kind.values()) {
        summaries.add(Summary.of(kind, churn,
            lookups.stream().filter(l -> l.kind() == kind && l.churn() == churn).toList()));
      }
    }
    return new Report(params, joinSeconds, meanTable, minTable, replicas, departed, summaries,
        lookups, network.chunksSent(), network.dials(), scaled(network.lateness()),
        tracer.unparsed());
  }

  private SimNetwork.Lateness scaled(SimNetwork.Lateness l) {
    return new SimNetwork.Lateness(l.deliveries(), l.meanMs() / params.timeScale(),
        l.maxMs() / params.timeScale(), l.over50msFraction());
  }

  private void join() throws InterruptedException {
    List<SimHost> joined = new ArrayList<>();
    joined.add(hosts.getFirst());
    int[] joining = {0};
    AtomicInteger failures = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 1; i < hosts.size(); i++) {
      SimHost host = hosts.get(i);
      KadDht dht = dhts.get(i);
      List<SimHost> known;
      synchronized (joined) {
        // The network at most doubles while a wave joins: no more joiners than joined nodes.
        while (joining[0] >= Math.min(params.joinConcurrency(), joined.size())) {
          joined.wait();
        }
        joining[0]++;
        known = List.copyOf(joined);
      }
      List<SimHost> via = new ArrayList<>();
      while (via.size() < Math.min(params.bootstrapPeers(), known.size())) {
        SimHost candidate = known.get(random.nextInt(known.size()));
        if (!via.contains(candidate)) {
          via.add(candidate);
        }
      }
      threads.add(Thread.ofVirtual().name("mycel-sim-join").start(() -> {
        try {
          for (SimHost b : via) {
            dht.addBootstrapPeer(b.listenAddresses().getFirst().withPeerId(b.peerId())).get();
          }
          dht.bootstrap().get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
          failures.incrementAndGet();
        } finally {
          synchronized (joined) {
            joined.add(host);
            joining[0]--;
            joined.notifyAll();
          }
        }
      }));
      if (i % 1000 == 0) {
        progress.accept("joining: " + i + " of " + hosts.size());
      }
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failures.get() > 0) {
      progress.accept(failures.get() + " nodes failed to join");
    }
  }

  private double provide(List<Content> contents) throws InterruptedException {
    Semaphore permits = new Semaphore(params.joinConcurrency());
    List<CompletableFuture<Integer>> reached = new ArrayList<>();
    for (Content content : contents) {
      permits.acquire();
      CompletableFuture<Integer> f = dhts.get(content.provider().index()).provide(content.cid());
      f.whenComplete((n, e) -> permits.release());
      reached.add(f);
    }
    double total = 0;
    for (CompletableFuture<Integer> f : reached) {
      try {
        total += f.get();
      } catch (ExecutionException e) {
        progress.accept("provide failed: " + e.getCause());
      }
    }
    return total / contents.size();
  }

  private record Task(Kind kind, SimHost target, Content content) {}

  private List<Lookup> phase(
      boolean churn, List<SimHost> staying, List<SimHost> departing, List<Content> contents)
      throws InterruptedException {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < params.lookups(); i++) {
      tasks.add(new Task(Kind.FIND_NODE, staying.get(random.nextInt(staying.size())), null));
      tasks.add(new Task(Kind.GET_PROVIDERS, null, contents.get(random.nextInt(contents.size()))));
      tasks.add(new Task(Kind.FIRST_PROVIDER, null, contents.get(random.nextInt(contents.size()))));
    }
    Collections.shuffle(tasks, random);
    List<SimHost> origins = new ArrayList<>(staying);
    Collections.shuffle(origins, random);
    BlockingQueue<SimHost> idle = new LinkedBlockingQueue<>(origins);
    Semaphore permits = new Semaphore(params.lookupConcurrency());
    List<Lookup> results = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    int gone = 0;
    long start = System.nanoTime();
    for (int i = 0; i < tasks.size(); i++) {
      if (churn) {
        int due = (int) Math.ceil(departing.size() * Math.min(1.0, i / (tasks.size() / 2.0)));
        while (gone < due) {
          SimHost leaver = departing.get(gone++);
          dhts.get(leaver.index()).close();
          leaver.leave();
        }
      }
      permits.acquire();
      Task task = tasks.get(i);
      SimHost origin = idle.take();
      while (origin == task.target()) {
        idle.put(origin);
        origin = idle.take();
      }
      SimHost from = origin;
      threads.add(Thread.ofVirtual().name("mycel-sim-lookup").start(() -> {
        try {
          results.add(lookup(churn, from, task));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          idle.add(from);
          permits.release();
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    progress.accept(String.format("%s phase: %d lookups in %.1f s; deliveries so far late by"
            + " %.1f ms on average (model time)", churn ? "churn" : "settled", tasks.size(),
        (System.nanoTime() - start) / 1e9, network.lateness().meanMs() / params.timeScale()));
    return List.copyOf(results);
  }

  private Lookup lookup(boolean churn, SimHost origin, Task task) throws InterruptedException {
    KadDht dht = dhts.get(origin.index());
    byte[] key = task.kind() == Kind.FIND_NODE
        ? task.target().peerId().bytes()
        : task.content().cid().multihash().bytes();
    List<PeerId> seeds = dht.routingTable().closest(KadKey.of(key), params.kad().k());
    boolean knownLocally = task.kind() != Kind.FIND_NODE
        && dht.providerStore().get(key).stream()
            .anyMatch(p -> p.peer().equals(task.content().provider().peerId()));
    tracer.watch(origin.peerId());
    long start = System.nanoTime();
    boolean success = false;
    boolean terminated = true;
    try {
      if (task.kind() == Kind.FIND_NODE) {
        List<PeerId> found = dht.findClosestPeers(key)
            .get(params.scale(params.lookupWait()).toNanos(), TimeUnit.NANOSECONDS);
        success = found.contains(task.target().peerId());
      } else {
        Cid cid = task.content().cid();
        List<Provider> found = (task.kind() == Kind.GET_PROVIDERS
                ? dht.findProviders(cid)
                : dht.findProviders(cid, 1))
            .get(params.scale(params.lookupWait()).toNanos(), TimeUnit.NANOSECONDS);
        PeerId provider = task.content().provider().peerId();
        success = found.stream().anyMatch(p -> p.peer().equals(provider));
      }
    } catch (ExecutionException e) {
      progress.accept("lookup failed: " + e.getCause());
    } catch (TimeoutException e) {
      terminated = false;
    }
    long latency = Math.round((System.nanoTime() - start) / params.timeScale());
    // Only the replies about this lookup's key: a reply to an earlier lookup from the same
    // node may still arrive.
    ByteString keyBytes = ByteString.copyFrom(key);
    List<KadTracer.Reply> replies = tracer.stop(origin.peerId()).stream()
        .filter(r -> r.message().getKey().equals(keyBytes))
        .toList();
    Predicate<KadTracer.Reply> isAnswer = answerOf(task);
    int hops = -1;
    long answer = -1;
    if (knownLocally) {
      hops = 0;
      answer = 0;
    } else {
      OptionalInt h = KadTracer.hops(seeds, replies, isAnswer);
      int first = KadTracer.firstAnswer(replies, isAnswer);
      if (h.isPresent()) {
        hops = h.getAsInt();
        answer = Math.round((replies.get(first).arrivalNanos() - start) / params.timeScale());
      }
    }
    return new Lookup(task.kind(), churn, success, terminated, hops, latency, answer);
  }

  private static Predicate<KadTracer.Reply> answerOf(Task task) {
    if (task.kind() == Kind.FIND_NODE) {
      PeerId target = task.target().peerId();
      return r -> r.from().equals(target);
    }
    ByteString provider = ByteString.copyFrom(task.content().provider().peerId().bytes());
    return r -> {
      for (Message.Peer p : r.message().getProviderPeersList()) {
        if (p.getId().equals(provider)) {
          return true;
        }
      }
      return false;
    };
  }

  static double median(List<Double> values) {
    return percentile(values, 50);
  }

  /** Nearest-rank percentile; 0 for no values. */
  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
  }
}
