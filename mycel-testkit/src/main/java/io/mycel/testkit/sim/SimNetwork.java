package io.mycel.testkit.sim;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Stream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thousands of {@link SimHost}s in one JVM, joined by simulated links: every flushed write
 * reaches the other side after the link's one-way latency (plus retransmission delays when it
 * is lost), in order, through one shared scheduler thread rather than a thread per message.
 * Protocol code runs on virtual threads against the blocking {@link Stream} API, exactly as on
 * a real host, in real time.
 *
 * <p>Node {@code i} listens on {@code /ip4/10.x.y.z/tcp/4001} with {@code x.y.z} the three low
 * bytes of {@code i}, under an Ed25519 identity derived from the seed.
 */
public final class SimNetwork implements AutoCloseable {

  /** Sees every chunk of stream data as it reaches its receiver. */
  @FunctionalInterface
  public interface Tap {
    /**
     * Called on the scheduler thread for each flushed write delivered to {@code to} (the
     * receiving end); must return quickly.
     */
    void delivered(Stream to, byte[] chunk);
  }

  private final SimConfig config;
  private final ScheduledThreadPoolExecutor scheduler;
  private final List<SimHost> hosts = new CopyOnWriteArrayList<>();
  private final Map<Multiaddr, SimHost> byAddress = new ConcurrentHashMap<>();
  private final Map<PeerId, SimHost> byPeer = new ConcurrentHashMap<>();
  private final AtomicLong streamIds = new AtomicLong();
  private final AtomicLong chunksSent = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong dials = new AtomicLong();
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicLong latenessSum = new AtomicLong();
  private final AtomicLong latenessMax = new AtomicLong();
  private final AtomicLong lateOver50ms = new AtomicLong();
  private volatile Tap tap;
  private volatile double timeScale = 1;

  public SimNetwork(SimConfig config) {
    this.config = config;
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "mycel-sim-scheduler");
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
  }

  public SimConfig config() {
    return config;
  }

  /** Adds a node with the next index and its seeded identity. */
  public synchronized SimHost addHost() {
    int index = hosts.size();
    if (index >= 1 << 24) {
      throw new IllegalStateException("a simulated network holds at most 2^24 nodes");
    }
    byte[] seed = new byte[Ed25519.KEY_LENGTH];
    new SplittableRandom(mix(config.seed(), index, 0x5eed)).nextBytes(seed);
    Multiaddr address =
        Multiaddr.parse(
            "/ip4/10." + ((index >> 16) & 0xff) + "." + ((index >> 8) & 0xff) + "."
                + (index & 0xff) + "/tcp/4001");
    SimHost host = new SimHost(this, index, Ed25519.fromSeed(seed), address);
    hosts.add(host);
    byAddress.put(address, host);
    byPeer.put(host.peerId(), host);
    return host;
  }

  /** The nodes, by index. */
  public List<SimHost> hosts() {
    return List.copyOf(hosts);
  }

  public SimHost host(int index) {
    return hosts.get(index);
  }

  public Optional<SimHost> host(PeerId peer) {
    return Optional.ofNullable(byPeer.get(peer));
  }

  /** The node listening on {@code address} (without /p2p). */
  Optional<SimHost> hostAt(Multiaddr address) {
    return Optional.ofNullable(byAddress.get(address));
  }

  /** Sets (or with null removes) the tap that sees delivered stream data. */
  public void setTap(Tap tap) {
    this.tap = tap;
  }

  /**
   * Runs the network {@code scale} times slower from now on: latencies, retransmission and
   * dial timeouts are stretched by it (1, the default, is real time). Slowing the network
   * keeps a busy machine from distorting the timings, which are then divided by the scale.
   */
  public void setTimeScale(double scale) {
    if (!(scale >= 1 && scale <= 100)) {
      throw new IllegalArgumentException("time scale must be in [1, 100]: " + scale);
    }
    this.timeScale = scale;
  }

  public double timeScale() {
    return timeScale;
  }

  /** One-way latency between two nodes as run (see {@link #setTimeScale}). */
  public Duration latency(SimHost a, SimHost b) {
    return Duration.ofNanos(latencyNanos(a, b));
  }

  long latencyNanos(SimHost a, SimHost b) {
    double scale = timeScale;
    return scale == 1 ? modelLatencyNanos(a, b) : Math.round(modelLatencyNanos(a, b) * scale);
  }

  /** The drawn latency, the same both ways and for the whole run. */
  private long modelLatencyNanos(SimHost a, SimHost b) {
    long min = config.minLatency().toNanos();
    long span = config.maxLatency().toNanos() - min;
    if (span == 0) {
      return min;
    }
    return switch (config.latencyModel()) {
      case PER_PAIR -> {
        int lo = Math.min(a.index(), b.index());
        int hi = Math.max(a.index(), b.index());
        yield min + (long) (unit(mix(config.seed(), lo, hi)) * span);
      }
      case PER_NODE ->
          min
              + (long)
                  ((unit(mix(config.seed(), a.index(), -1))
                          + unit(mix(config.seed(), b.index(), -1)))
                      / 2
                      * span);
    };
  }

  /**
   * The time a write of one link takes to arrive: its latency, plus a retransmission timeout
   * for each loss, doubling as TCP backs off.
   */
  long transmitNanos(long latencyNanos) {
    long delay = latencyNanos;
    double loss = config.lossRate();
    if (loss > 0) {
      long rto = Math.max(
          Math.round(config.minRetransmitTimeout().toNanos() * timeScale), 2 * latencyNanos);
      ThreadLocalRandom random = ThreadLocalRandom.current();
      while (random.nextDouble() < loss) {
        delay += rto;
        rto *= 2;
      }
    }
    return delay;
  }

  ScheduledFuture<?> schedule(long delayNanos, Runnable task) {
    return scheduler.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  long unreachableDialTimeoutNanos() {
    return Math.round(config.unreachableDialTimeout().toNanos() * timeScale);
  }

  long nextStreamId() {
    return streamIds.incrementAndGet();
  }

  void countChunk(int bytes) {
    chunksSent.incrementAndGet();
    bytesSent.addAndGet(bytes);
  }

  void countDial() {
    dials.incrementAndGet();
  }

  void countLateness(long nanos) {
    deliveries.incrementAndGet();
    latenessSum.addAndGet(nanos);
    latenessMax.accumulateAndGet(nanos, Math::max);
    if (nanos > 50_000_000L) {
      lateOver50ms.incrementAndGet();
    }
  }

  void tap(Stream to, byte[] chunk) {
    Tap t = tap;
    if (t != null) {
      t.delivered(to, chunk);
    }
  }

  /** Flushed writes sent so far (requests, replies and stream control). */
  public long chunksSent() {
    return chunksSent.get();
  }

  public long bytesSent() {
    return bytesSent.get();
  }

  /** Connection handshakes started so far. */
  public long dials() {
    return dials.get();
  }

  /** Starts counting {@link #lateness()} afresh. */
  public void resetLateness() {
    deliveries.set(0);
    latenessSum.set(0);
    latenessMax.set(0);
    lateOver50ms.set(0);
  }

  /**
   * How late deliveries ran against their due time, since the start or the last {@link
   * #resetLateness()}: a busy machine delays the scheduler thread and so stretches every
   * simulated latency.
   */
  public Lateness lateness() {
    long n = deliveries.get();
    return new Lateness(n, n == 0 ? 0 : latenessSum.get() / 1e6 / n, latenessMax.get() / 1e6,
        n == 0 ? 0 : (double) lateOver50ms.get() / n);
  }

  /**
   * Lateness of deliveries.
   *
   * @param deliveries events delivered
   * @param meanMs mean delay past the due time
   * @param maxMs largest delay past the due time
   * @param over50msFraction fraction of deliveries more than 50 ms late
   */
  public record Lateness(long deliveries, double meanMs, double maxMs, double over50msFraction) {}

  /** Stops the scheduler; nothing is delivered afterwards. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  /** A 64-bit mix of three values (SplitMix64 finaliser over a combination). */
  private static long mix(long seed, long a, long b) {
    long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A value in [0, 1) from 53 bits of {@code bits}. */
  private static double unit(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }
}
