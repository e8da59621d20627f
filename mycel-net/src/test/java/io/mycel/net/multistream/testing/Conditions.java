package io.mycel.net.multistream.testing;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition that other threads make true. */
public final class Conditions {

  private Conditions() {}

  public static void await(String what, BooleanSupplier condition) throws TimeoutException {
    await(what, condition, Duration.ofSeconds(5));
  }

  public static void await(String what, BooleanSupplier condition, Duration timeout)
      throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
    }
  }
}
