package io.mycel.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on standard error, redrawn at most ten times a second, shown only when
 * a person is watching (a terminal) and the output is not for a script.
 */
final class Progress implements AutoCloseable {
  private static final long REDRAW_NANOS = 100_000_000L;
  private final PrintStream err;
  private final long total;
  private final boolean enabled;
  private final long started = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  Progress(long total, boolean enabled) {
    this.err = System.err;
    this.total = total;
    this.enabled = enabled;
  }

  /** Whether standard error goes to a terminal. */
  static boolean onTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Console.isTerminal() exists from Java 22 on, where System.console() is no longer null
      // when output is redirected; on 21 a non-null console already means a terminal.
      return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  void update(long done) {
    long now = System.nanoTime();
    if (!enabled || now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    double seconds = Math.max(1e-9, (now - started) / 1e9);
    String rate = bytes((long) (done / seconds)) + "/s";
    String line;
    if (total > 0) {
      int width = 30;
      int filled = (int) Math.min(width, width * done / total);
      line = String.format(Locale.ROOT, "\r[%s%s] %s / %s  %s   ", "#".repeat(filled),
          ".".repeat(width - filled), bytes(done), bytes(total), rate);
    } else {
      line = String.format(Locale.ROOT, "\r%s  %s   ", bytes(done), rate);
    }
    err.print(line);
    err.flush();
    drawn = true;
  }

  @Override
  public void close() {
    if (drawn) {
      err.print("\r" + " ".repeat(79) + "\r");
      err.flush();
    }
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
