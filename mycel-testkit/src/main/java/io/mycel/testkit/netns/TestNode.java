package io.mycel.testkit.netns;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TestNodeMain} process in a namespace of a {@link Topology}, driven by its line
 * protocol. {@link #close()} asks it to quit and kills it if it does not.
 */
public final class TestNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TestNode.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration REPLY_TIMEOUT = TestNodeMain.OPERATION_TIMEOUT.plusSeconds(10);
  private static final String EOF = "\u0000eof";

  private final String name;
  private final Process process;
  private final BufferedWriter stdin;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final String peerId;

  private TestNode(String name, Process process) throws IOException {
    this.name = name;
    this.process = process;
    this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    Thread.ofVirtual().name(name + "-stdout").start(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        log.debug("[{}] stdout closed: {}", name, e.toString());
      }
      lines.add(EOF);
    });
    String ready = next(START_TIMEOUT);
    if (!ready.startsWith("ready ")) {
      close();
      throw new IOException(name + " did not start: " + ready);
    }
    this.peerId = ready.substring("ready ".length());
  }

  /**
   * Starts a node in {@code namespace} with {@code args} (see {@link TestNodeMain}); its stderr
   * goes to {@code logFile}.
   */
  public static TestNode start(Topology topology, String namespace, String name, Path logFile,
      List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
        TestNodeMain.class.getName()));
    command.addAll(args);
    Process process = topology.processIn(namespace, command)
        .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
    return new TestNode(name, process);
  }

  @Override
  public String toString() {
    return name;
  }

  public String peerId() {
    return peerId;
  }

  /** Sends one command and returns what follows {@code ok }; fails on {@code err}. */
  public synchronized String call(String command) throws IOException {
    stdin.write(command);
    stdin.newLine();
    stdin.flush();
    String reply = next(REPLY_TIMEOUT);
    if (reply.startsWith("ok")) {
      return reply.length() > 3 ? reply.substring(3) : "";
    }
    throw new IOException(name + ": '" + command + "' failed: " + reply);
  }

  private String next(Duration timeout) throws IOException {
    String line;
    try {
      line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(name + ": interrupted", e);
    }
    if (line == null) {
      throw new IOException(name + ": no answer within " + timeout);
    }
    if (line.equals(EOF)) {
      throw new IOException(name + ": process exited (" + exitText() + ")");
    }
    return line;
  }

  private String exitText() {
    try {
      return process.waitFor(2, TimeUnit.SECONDS) ? "exit " + process.exitValue() : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  @Override
  public void close() {
    try {
      stdin.write("quit");
      stdin.newLine();
      stdin.flush();
    } catch (IOException e) {
      log.debug("[{}] stdin closed: {}", name, e.toString());
    }
    CompletableFuture<Process> exit = process.onExit();
    try {
      exit.get(5, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
