package io.mycel.net.yamux;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects the lines logged to standard error (where the test logger writes) while passing them
 * through, so a test can check the line that names why a connection was closed.
 */
final class CapturedLog implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final PrintStream original = System.err;

  private CapturedLog() {
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

  static CapturedLog start() {
    return new CapturedLog();
  }

  /** Whether one line contains every fragment. */
  boolean contains(String... fragments) {
    for (String line : lines) {
      boolean all = true;
      for (String fragment : fragments) {
        all &= line.contains(fragment);
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
