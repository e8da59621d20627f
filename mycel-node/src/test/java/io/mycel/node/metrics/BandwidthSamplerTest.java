package io.mycel.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.net.host.Traffic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The sampler's arithmetic, driven by a clock and counters the test moves by hand. */
class BandwidthSamplerTest {
  private static final long START = 1_700_000_000_000L;

  private final MutableClock clock = new MutableClock(START);
  private final AtomicReference<Traffic.ConnectionTotals> counters =
      new AtomicReference<>(new Traffic.ConnectionTotals(0, 0, 0));

  private BandwidthSampler sampler(int tickSeconds, int resolutionSeconds, int windowSeconds) {
    return new BandwidthSampler(counters::get, clock, Duration.ofSeconds(tickSeconds),
        Duration.ofSeconds(resolutionSeconds), Duration.ofSeconds(windowSeconds));
  }

  /** Moves the clock by {@code seconds}, adds the bytes to the counters, and ticks. */
  private void advance(BandwidthSampler sampler, int seconds, long bytesIn, long bytesOut) {
    clock.advance(Duration.ofSeconds(seconds));
    Traffic.ConnectionTotals before = counters.get();
    counters.set(new Traffic.ConnectionTotals(before.bytesIn() + bytesIn,
        before.bytesOut() + bytesOut, before.connectionsOpened()));
    sampler.tick();
  }

  @Test
  void nowIsTheRateOverTheLatestTick() {
    BandwidthSampler sampler = sampler(2, 10, 3600);

    advance(sampler, 2, 2000, 4000);

    assertThat(sampler.history().now()).isEqualTo(new BandwidthHistory.Rate(1000, 2000));
    advance(sampler, 2, 0, 500);
    assertThat(sampler.history().now()).isEqualTo(new BandwidthHistory.Rate(0, 250));
  }

  @Test
  void beforeTheFirstTickEverythingIsZero() {
    counters.set(new Traffic.ConnectionTotals(5000, 7000, 1));
    BandwidthSampler sampler = sampler(2, 10, 3600);

    BandwidthHistory history = sampler.history();

    assertThat(history.now()).isEqualTo(BandwidthHistory.Rate.ZERO);
    assertThat(history.series()).isEmpty();
    assertThat(history.totalBytesIn()).isEqualTo(5000);
    assertThat(history.totalBytesOut()).isEqualTo(7000);
    assertThat(history.resolutionSeconds()).isEqualTo(10);
    assertThat(history.windowSeconds()).isEqualTo(3600);
  }

  @Test
  void bytesBeforeTheSamplerStartedAreNotARate() {
    counters.set(new Traffic.ConnectionTotals(1_000_000, 1_000_000, 1));
    BandwidthSampler sampler = sampler(2, 10, 3600);

    advance(sampler, 2, 200, 0);

    assertThat(sampler.history().now()).isEqualTo(new BandwidthHistory.Rate(100, 0));
  }

  @Test
  void aPointAveragesTheTicksOfOneResolution() {
    BandwidthSampler sampler = sampler(2, 10, 3600);

    advance(sampler, 2, 10_000, 0);
    advance(sampler, 2, 0, 0);
    advance(sampler, 2, 0, 0);
    advance(sampler, 2, 0, 20_000);
    assertThat(sampler.history().series()).isEmpty();
    advance(sampler, 2, 0, 0);

    assertThat(sampler.history().series()).containsExactly(
        new BandwidthHistory.Point(START + 10_000, 1000, 2000));
    assertThat(sampler.history().now()).isEqualTo(BandwidthHistory.Rate.ZERO);
  }

  @Test
  void theSeriesKeepsTheLastWindowOldestFirst() {
    BandwidthSampler sampler = sampler(1, 2, 6);

    for (int i = 1; i <= 10; i++) {
      advance(sampler, 1, i * 100L, 0);
    }

    // Ten ticks make five points of two seconds; a window of six seconds keeps the last three.
    assertThat(sampler.history().series()).containsExactly(
        new BandwidthHistory.Point(START + 6_000, 550, 0),
        new BandwidthHistory.Point(START + 8_000, 750, 0),
        new BandwidthHistory.Point(START + 10_000, 950, 0));
  }

  @Test
  void pointsOlderThanTheWindowAreLeftOutAfterAPause() {
    BandwidthSampler sampler = sampler(1, 2, 6);
    advance(sampler, 1, 100, 100);
    advance(sampler, 1, 100, 100);
    assertThat(sampler.history().series()).hasSize(1);

    clock.advance(Duration.ofSeconds(7));

    assertThat(sampler.history().series()).isEmpty();
  }

  @Test
  void aLateTickMakesOnePointAveragedOverTheWholeGap() {
    BandwidthSampler sampler = sampler(2, 10, 3600);

    advance(sampler, 30, 30_000, 60_000);

    assertThat(sampler.history().series()).containsExactly(
        new BandwidthHistory.Point(START + 30_000, 1000, 2000));
    assertThat(sampler.history().now()).isEqualTo(new BandwidthHistory.Rate(1000, 2000));
  }

  @Test
  void aTickWithoutTimePassingChangesNothing() {
    BandwidthSampler sampler = sampler(2, 10, 3600);
    advance(sampler, 2, 2000, 2000);

    advance(sampler, 0, 5000, 5000);

    assertThat(sampler.history().now()).isEqualTo(new BandwidthHistory.Rate(1000, 1000));
    advance(sampler, 2, 0, 0);
    assertThat(sampler.history().now()).isEqualTo(new BandwidthHistory.Rate(2500, 2500));
  }

  @Test
  void countersThatGoDownCountAsNoTraffic() {
    counters.set(new Traffic.ConnectionTotals(10_000, 10_000, 1));
    BandwidthSampler sampler = sampler(2, 10, 3600);
    clock.advance(Duration.ofSeconds(2));
    counters.set(new Traffic.ConnectionTotals(4_000, 12_000, 1));

    sampler.tick();

    assertThat(sampler.history().now()).isEqualTo(new BandwidthHistory.Rate(0, 1000));
  }

  @Test
  void theDefaultsCoverOneHourAtTenSeconds() {
    BandwidthSampler sampler = new BandwidthSampler(counters::get, clock);
    for (int i = 0; i < 2000; i++) {
      advance(sampler, 2, 2, 0);
    }

    BandwidthHistory history = sampler.history();

    assertThat(history.series()).hasSize(360);
    assertThat(history.series().get(0).time()).isEqualTo(START + 4000_000 - 3590_000);
    assertThat(history.series()).allSatisfy(p -> assertThat(p.bytesInPerSecond()).isEqualTo(1.0));
  }

  @Test
  void refusesAResolutionThatIsNotAWholeNumberOfTicks() {
    assertThatThrownBy(() -> sampler(3, 10, 3600))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resolution");
  }

  @Test
  void refusesAWindowThatIsNotAWholeNumberOfResolutions() {
    assertThatThrownBy(() -> sampler(2, 10, 3605))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window");
  }

  @Test
  void refusesAZeroTick() {
    assertThatThrownBy(() -> new BandwidthSampler(counters::get, clock, Duration.ZERO,
        Duration.ofSeconds(10), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tick");
  }

  @Test
  void refusesANegativeRate() {
    assertThatThrownBy(() -> new BandwidthHistory.Rate(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never negative");
  }

  /** A clock that moves only when told. */
  static final class MutableClock extends Clock {
    private volatile long millis;

    MutableClock(long millis) {
      this.millis = millis;
    }

    void advance(Duration by) {
      millis += by.toMillis();
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("a test clock has one zone");
    }
  }
}
