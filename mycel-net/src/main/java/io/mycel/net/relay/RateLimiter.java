package io.mycel.net.relay;

import java.util.function.LongSupplier;

/**
 * A token bucket that paces a byte stream to a rate: {@link #acquire} takes tokens for the
 * bytes about to be sent and says how long to wait first. The bucket holds at most a tenth of a
 * second of tokens, so a burst after idle time stays short.
 */
final class RateLimiter {
  private final long bytesPerSecond;
  private final long capacity;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  RateLimiter(long bytesPerSecond, LongSupplier nanoTime) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive: " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.capacity = Math.max(1, bytesPerSecond / 10);
    this.nanoTime = nanoTime;
    this.last = nanoTime.getAsLong();
    this.tokens = capacity;
  }

  /**
   * Takes {@code bytes} tokens, going into debt when there are too few.
   *
   * @return nanoseconds the caller must wait before sending, 0 when it may send now
   */
  synchronized long acquire(int bytes) {
    long now = nanoTime.getAsLong();
    tokens = Math.min(capacity, tokens + (now - last) * (double) bytesPerSecond / 1e9);
    last = now;
    tokens -= bytes;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * 1e9 / bytesPerSecond);
  }

  /** Takes {@code bytes} tokens and waits until they are paid for. */
  void pace(int bytes) throws InterruptedException {
    long wait = acquire(bytes);
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }
}
