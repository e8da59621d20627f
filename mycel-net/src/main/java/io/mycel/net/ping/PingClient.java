package io.mycel.net.ping;

import io.mycel.net.Connection;
import io.mycel.net.Stream;
import io.mycel.net.ping.PingService.PingSession;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The sending side of ping: opens {@value PingService#ID} streams and measures round trips. Needs
 * no registration; {@link PingService}'s static methods use {@link #DEFAULT}.
 */
public final class PingClient {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Payloads from {@link SecureRandom}, round trips timed with {@link System#nanoTime()}. */
  public static final PingClient DEFAULT =
      new PingClient(DEFAULT_TIMEOUT, new SecureRandom(), System::nanoTime);

  private final Duration timeout;
  private final RandomGenerator random;
  private final LongSupplier nanoTime;

  /**
   * @param timeout for opening the stream and for each round trip; the stream is reset after it
   * @param random the source of payloads
   * @param nanoTime the clock round trips are measured with
   */
  public PingClient(Duration timeout, RandomGenerator random, LongSupplier nanoTime) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.timeout = timeout;
    this.random = Objects.requireNonNull(random, "random");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** This client with another timeout. */
  public PingClient withTimeout(Duration timeout) {
    return new PingClient(timeout, random, nanoTime);
  }

  /**
   * One round trip on a new stream, closed afterwards. Fails with {@link TimeoutException} after
   * the timeout, with {@link io.mycel.net.ProtocolViolationException} on a wrong echo.
   */
  public CompletableFuture<Duration> ping(Connection connection) {
    CompletableFuture<Duration> result = new CompletableFuture<>();
    result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    connection
        .openStream(PingService.ID)
        .whenComplete(
            (stream, error) -> {
              if (error != null) {
                result.completeExceptionally(unwrap(error));
                return;
              }
              // Resetting on failure also unblocks a read that the timeout abandoned.
              result.whenComplete(
                  (rtt, failure) -> {
                    if (failure == null) {
                      stream.close();
                    } else {
                      stream.reset();
                    }
                  });
              Thread.ofVirtual()
                  .name("mycel-ping")
                  .start(
                      () -> {
                        try {
                          result.complete(session(stream).ping());
                        } catch (Throwable t) {
                          result.completeExceptionally(t);
                        }
                      });
            });
    return result;
  }

  /**
   * Opens a ping stream for repeated round trips; blocks until the stream is negotiated.
   *
   * @throws TimeoutException if opening took longer than the timeout
   * @throws io.mycel.net.ProtocolNegotiationException if the peer does not speak ping
   */
  public PingSession open(Connection connection)
      throws IOException, InterruptedException, TimeoutException {
    CompletableFuture<Stream> opening = connection.openStream(PingService.ID);
    try {
      return session(opening.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("opening a ping stream failed", cause);
    } catch (TimeoutException | InterruptedException e) {
      opening.thenAccept(Stream::reset);
      throw e;
    }
  }

  private PingSession session(Stream stream) {
    return new PingSession(stream, random, nanoTime, timeout);
  }

  private static Throwable unwrap(Throwable error) {
    while ((error instanceof CompletionException || error instanceof ExecutionException)
        && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }
}
