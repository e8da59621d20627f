package io.mycel.net.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void aTenthOfASecondPassesAtOnceThenTheRateHolds() {
    RateLimiter limiter = new RateLimiter(1000, now::get);

    assertThat(limiter.acquire(100)).isZero();
    assertThat(limiter.acquire(100)).isEqualTo(100_000_000L);
  }

  @Test
  void tokensRefillWithTimeUpToTheBurst() {
    RateLimiter limiter = new RateLimiter(1000, now::get);
    limiter.acquire(100);

    now.addAndGet(50_000_000L);
    assertThat(limiter.acquire(50)).isZero();
    now.addAndGet(10_000_000_000L);
    assertThat(limiter.acquire(100)).isZero();
    assertThat(limiter.acquire(1)).isEqualTo(1_000_000L);
  }

  @Test
  void aLargeWriteGoesIntoDebtThatLaterWritesPayFor() {
    RateLimiter limiter = new RateLimiter(1000, now::get);

    assertThat(limiter.acquire(1100)).isEqualTo(1_000_000_000L);
    now.addAndGet(1_000_000_000L);
    assertThat(limiter.acquire(0)).isZero();
  }
}
