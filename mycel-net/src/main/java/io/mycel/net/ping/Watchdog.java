package io.mycel.net.ping;

import io.mycel.net.Stream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Resets a stream unless {@link #close()} is called within the timeout. */
final class Watchdog implements AutoCloseable {

  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile boolean fired;

  Watchdog(Stream stream, Duration timeout) {
    done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (ignored, error) -> {
              if (error != null) {
                fired = true;
                stream.reset();
              }
            });
  }

  /** Whether the timeout expired and the stream was reset. */
  boolean fired() {
    return fired;
  }

  @Override
  public void close() {
    done.complete(null);
  }
}
