package io.mycel.node.metrics;

import io.mycel.net.host.Traffic;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples a node's connection byte counters on a fixed tick and keeps what the dashboard charts:
 * the rate over the latest tick ("now"), and a ring of averages at a coarser resolution covering
 * a window (by default one point per 10 s for one hour: 360 points, a few KiB).
 *
 * <p>Time comes from an injected {@link Clock}; {@link #tick()} is public so tests drive it. A tick
 * whose clock has not moved is ignored, and counters that went down (they never should) count as
 * no traffic rather than a negative rate.
 */
public final class BandwidthSampler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BandwidthSampler.class);

  /** How often the counters are read; "now" is the rate over the latest tick. */
  public static final Duration DEFAULT_TICK = Duration.ofSeconds(2);
  /** The span each point of the history averages. */
  public static final Duration DEFAULT_RESOLUTION = Duration.ofSeconds(10);
  /** How far back the history reaches. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

  private final Supplier<Traffic.ConnectionTotals> counters;
  private final Clock clock;
  private final Duration tick;
  private final long resolutionMillis;
  private final long windowMillis;
  private final BandwidthHistory.Point[] ring;
  private ScheduledFuture<?> sampling;

  // Guarded by this.
  private int head;
  private int size;
  private long lastMillis;
  private long lastIn;
  private long lastOut;
  private BandwidthHistory.Rate now = BandwidthHistory.Rate.ZERO;
  private long bucketStartMillis;
  private long bucketIn;
  private long bucketOut;

  /** A sampler with the default tick, resolution and window. */
  public BandwidthSampler(Supplier<Traffic.ConnectionTotals> counters, Clock clock) {
    this(counters, clock, DEFAULT_TICK, DEFAULT_RESOLUTION, DEFAULT_WINDOW);
  }

  /**
   * @param counters the byte counters to sample (read once now, as the starting point)
   * @param tick how often {@link #start()} samples
   * @param resolution the span of each history point; a whole number of ticks
   * @param window how far back the history reaches; a whole number of resolutions
   */
  public BandwidthSampler(Supplier<Traffic.ConnectionTotals> counters, Clock clock, Duration tick,
      Duration resolution, Duration window) {
    this.counters = Objects.requireNonNull(counters, "counters");
    this.clock = Objects.requireNonNull(clock, "clock");
    requirePositive(tick, "tick");
    requirePositive(resolution, "resolution");
    requirePositive(window, "window");
    if (resolution.toMillis() % tick.toMillis() != 0) {
      throw new IllegalArgumentException("the resolution (" + resolution
          + ") must be a whole number of ticks (" + tick + ")");
    }
    if (window.toMillis() % resolution.toMillis() != 0) {
      throw new IllegalArgumentException("the window (" + window
          + ") must be a whole number of resolutions (" + resolution + ")");
    }
    this.tick = tick;
    this.resolutionMillis = resolution.toMillis();
    this.windowMillis = window.toMillis();
    this.ring = new BandwidthHistory.Point[Math.toIntExact(window.toMillis() / resolution.toMillis())];
    Traffic.ConnectionTotals start = counters.get();
    this.lastMillis = clock.millis();
    this.lastIn = start.bytesIn();
    this.lastOut = start.bytesOut();
    this.bucketStartMillis = lastMillis;
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.toMillis() <= 0) {
      throw new IllegalArgumentException(name + " must be at least 1 ms, was " + d);
    }
  }

  /** One thread ticks every sampler of the process (a tick takes microseconds). */
  private static final class Ticker {
    static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("bandwidth-sampler").factory());
  }

  /** Samples every tick until {@link #close()}. */
  public synchronized BandwidthSampler start() {
    if (sampling != null) {
      throw new IllegalStateException("the bandwidth sampler already runs");
    }
    sampling = Ticker.SCHEDULER.scheduleAtFixedRate(() -> {
      try {
        tick();
      } catch (RuntimeException e) {
        LOG.warn("sampling the bandwidth failed: {}", e.toString());
      }
    }, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Reads the counters once: updates "now", and closes a history point when one is due. */
  public synchronized void tick() {
    long at = clock.millis();
    long elapsed = at - lastMillis;
    if (elapsed <= 0) {
      return;
    }
    Traffic.ConnectionTotals totals = counters.get();
    long in = Math.max(0, totals.bytesIn() - lastIn);
    long out = Math.max(0, totals.bytesOut() - lastOut);
    now = new BandwidthHistory.Rate(perSecond(in, elapsed), perSecond(out, elapsed));
    lastMillis = at;
    lastIn = totals.bytesIn();
    lastOut = totals.bytesOut();
    bucketIn += in;
    bucketOut += out;
    long span = at - bucketStartMillis;
    if (span >= resolutionMillis) {
      ring[head] = new BandwidthHistory.Point(at, perSecond(bucketIn, span), perSecond(bucketOut, span));
      head = (head + 1) % ring.length;
      size = Math.min(size + 1, ring.length);
      bucketStartMillis = at;
      bucketIn = 0;
      bucketOut = 0;
    }
  }

  private static double perSecond(long bytes, long millis) {
    return bytes * 1000.0 / millis;
  }

  /** The rate now, the totals, and the points of the last window, oldest first. */
  public synchronized BandwidthHistory history() {
    long oldest = clock.millis() - windowMillis;
    List<BandwidthHistory.Point> series = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      BandwidthHistory.Point point = ring[Math.floorMod(head - size + i, ring.length)];
      if (point.time() > oldest) {
        series.add(point);
      }
    }
    Traffic.ConnectionTotals totals = counters.get();
    return new BandwidthHistory(now, totals.bytesIn(), totals.bytesOut(), resolutionMillis / 1000,
        windowMillis / 1000, series);
  }

  /** Stops sampling; the history stays readable. */
  @Override
  public synchronized void close() {
    if (sampling != null) {
      sampling.cancel(false);
    }
  }
}
