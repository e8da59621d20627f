package io.mycel.node.gateway;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a gateway answered since it started: requests per HTTP status code, response body bytes,
 * and how long requests took from their arrival until the response was handed to the connection,
 * as a histogram with fixed buckets. Recording is a few {@link LongAdder} increments.
 */
public final class GatewayStats {
  /** Upper bounds of the latency buckets, in seconds; a last bucket takes everything slower. */
  public static final List<Double> LATENCY_BUCKETS_SECONDS =
      List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0);

  private static final long[] BUCKET_NANOS = LATENCY_BUCKETS_SECONDS.stream()
      .mapToLong(s -> Math.round(s * 1e9)).toArray();

  private final Map<Integer, LongAdder> requestsByStatus = new ConcurrentHashMap<>();
  private final LongAdder[] buckets = new LongAdder[BUCKET_NANOS.length + 1];
  private final LongAdder latencyNanos = new LongAdder();
  private final LongAdder bodyBytes = new LongAdder();

  public GatewayStats() {
    Arrays.setAll(buckets, i -> new LongAdder());
  }

  /**
   * A snapshot of the latency histogram.
   *
   * @param upperBoundsSeconds each bucket's upper bound, ascending, the last one infinite
   * @param cumulativeCounts requests that took at most each bound (so the last is {@code count})
   * @param count requests timed
   * @param sumSeconds their total time
   */
  public record Latency(List<Double> upperBoundsSeconds, List<Long> cumulativeCounts, long count,
      double sumSeconds) {
    public Latency {
      upperBoundsSeconds = List.copyOf(upperBoundsSeconds);
      cumulativeCounts = List.copyOf(cumulativeCounts);
      if (upperBoundsSeconds.size() != cumulativeCounts.size()) {
        throw new IllegalArgumentException("one count per bucket: " + upperBoundsSeconds.size()
            + " bounds, " + cumulativeCounts.size() + " counts");
      }
    }
  }

  /**
   * Counts one answered request.
   *
   * @param status the HTTP status code sent, 0 when no response could be sent
   * @param bodyBytes bytes of the response body sent
   * @param elapsed from the request's arrival until its response was handed to the connection
   */
  public void record(int status, long bodyBytes, Duration elapsed) {
    requestsByStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
    this.bodyBytes.add(Math.max(0, bodyBytes));
    long nanos = Math.max(0, elapsed.toNanos());
    latencyNanos.add(nanos);
    int bucket = 0;
    while (bucket < BUCKET_NANOS.length && nanos > BUCKET_NANOS[bucket]) {
      bucket++;
    }
    buckets[bucket].increment();
  }

  /** Requests per status code, ascending. */
  public Map<Integer, Long> requestsByStatus() {
    Map<Integer, Long> result = new TreeMap<>();
    requestsByStatus.forEach((status, count) -> result.put(status, count.sum()));
    return result;
  }

  /** All requests answered. */
  public long requests() {
    return requestsByStatus.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Response body bytes sent. */
  public long bodyBytes() {
    return bodyBytes.sum();
  }

  public Latency latency() {
    List<Double> bounds = new java.util.ArrayList<>(LATENCY_BUCKETS_SECONDS);
    bounds.add(Double.POSITIVE_INFINITY);
    List<Long> cumulative = new java.util.ArrayList<>(buckets.length);
    long running = 0;
    for (LongAdder bucket : buckets) {
      running += bucket.sum();
      cumulative.add(running);
    }
    return new Latency(bounds, cumulative, running, latencyNanos.sum() / 1e9);
  }
}
