package io.mycel.testkit.js;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;

/**
 * Forwards a child's stderr to SLF4J at debug, line by line, keeping the last lines to
 * explain a failure.
 */
final class StderrPump {

  /** Lines of stderr kept for error messages. */
  static final int TAIL_LINES = 40;

  private final Deque<String> tail = new ArrayDeque<>();
  private final Thread thread;

  StderrPump(InputStream stderr, Logger log, String name) {
    this.thread = Thread.ofVirtual().name(name + "-stderr").start(() -> pump(stderr, log, name));
  }

  private void pump(InputStream stderr, Logger log, String name) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.debug("[{}] {}", name, line);
        synchronized (tail) {
          if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
          }
          tail.addLast(line);
        }
      }
    } catch (IOException e) {
      log.debug("[{}] stderr closed: {}", name, e.toString());
    }
  }

  /** Waits a little for the pump to reach EOF (after the process has exited). */
  void awaitEnd(long millis) throws InterruptedException {
    thread.join(millis);
  }

  /** The last lines of stderr, for an error message; empty when there were none. */
  String tailText() {
    synchronized (tail) {
      return tail.isEmpty() ? "" : "\n--- last lines of stderr ---\n" + String.join("\n", tail);
    }
  }
}
