package io.mycel.net.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures the log lines written to standard error during a test (the test logger writes
 * there) while still passing them through, so a test can wait for the line that names why a
 * connection was closed.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private PrintStream original;

  @Override
  public void beforeEach(ExtensionContext context) {
    original = System.err;
    PrintStream passThrough = original;
    System.setErr(new PrintStream(new OutputStream() {
      private final ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override
      public synchronized void write(int b) {
        passThrough.write(b);
        if (b == '\n') {
          lines.add(line.toString(StandardCharsets.UTF_8));
          line.reset();
        } else {
          line.write(b);
        }
      }
    }, true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.setErr(original);
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** Waits until a line containing every fragment appears; fails after {@code timeout}. */
  public String await(Duration timeout, String... fragments) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : lines) {
        boolean all = true;
        for (String f : fragments) {
          all &= line.contains(f);
        }
        if (all) {
          return line;
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    throw new AssertionError("no log line containing " + List.of(fragments) + " within " + timeout
        + "; lines were:\n" + String.join("\n", lines));
  }
}
