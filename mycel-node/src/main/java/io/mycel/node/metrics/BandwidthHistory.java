package io.mycel.node.metrics;

import java.util.List;

/**
 * A node's bandwidth now and over the last window, as {@code GET /api/v0/stats/bandwidth} answers
 * it. Bytes are those of every swarm connection (TCP payload: handshakes, encryption and muxer
 * framing included), both directions.
 *
 * @param now the rate over the latest sampling tick (a few seconds)
 * @param totalBytesIn bytes received since the node started
 * @param totalBytesOut bytes sent since the node started
 * @param resolutionSeconds the span each point of {@code series} averages
 * @param windowSeconds how far back {@code series} reaches
 * @param series the averages of the last window, oldest first; empty until one resolution passed
 */
public record BandwidthHistory(
    Rate now,
    long totalBytesIn,
    long totalBytesOut,
    long resolutionSeconds,
    long windowSeconds,
    List<Point> series) {

  public BandwidthHistory {
    series = List.copyOf(series);
  }

  /** Bytes per second in each direction. */
  public record Rate(double bytesInPerSecond, double bytesOutPerSecond) {
    public static final Rate ZERO = new Rate(0, 0);

    public Rate {
      if (bytesInPerSecond < 0 || bytesOutPerSecond < 0) {
        throw new IllegalArgumentException("a rate is never negative: in " + bytesInPerSecond
            + ", out " + bytesOutPerSecond);
      }
    }
  }

  /**
   * The average rate over one interval of the series.
   *
   * @param time the end of the interval, in milliseconds since the Unix epoch
   */
  public record Point(long time, double bytesInPerSecond, double bytesOutPerSecond) {}
}
