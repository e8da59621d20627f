package io.mycel.routing.kad;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition with a deadline. */
final class Await {
  private Await() {}

  static void until(Duration timeout, String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      Thread.sleep(20);
    }
  }
}
