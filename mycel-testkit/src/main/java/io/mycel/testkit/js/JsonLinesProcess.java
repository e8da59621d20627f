package io.mycel.testkit.js;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A Node.js script of the interop folder running as a child process and driven by JSON lines
 * ({@code interop/jsonl.mjs}): the one transport under {@link JsPeer} and {@link HeliaPeer},
 * kept here so that both peers start, talk to and stop their process the same way.
 *
 * <p>Each command goes to stdin with a fresh {@code id}; the reply line on stdout echoes it, with
 * {@code ok} true, or false and {@code error} and {@code errorName}. Lines with an
 * {@code event} are events; the first, {@code ready}, ends the start. Every pending call fails
 * with a {@link JsPeerException} carrying the tail of stderr when the process exits, so that no
 * caller waits for a reply that cannot come. The process is tracked by {@link Interop}, whose
 * shutdown hook kills it if nothing else has.
 */
final class JsonLinesProcess implements AutoCloseable {

  /** How much longer Java waits for a reply than the process is told to wait on the network. */
  static final Duration REPLY_MARGIN = Duration.ofSeconds(5);
  /** Wait between a polite and a forced kill, and for the output pumps after an exit. */
  static final Duration DESTROY_GRACE = Duration.ofSeconds(3);

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a process is started with. {@link JsPeer.Options} and {@link SeededPeerOptions} (the
   * Helia and Kademlia peers) implement it with their own components.
   */
  interface Settings {
    /** Listen multiaddrs, each passed as {@code --listen}; empty means the script's default. */
    List<String> listen();

    /** Extra environment of the Node.js process. */
    Map<String, String> env();

    /** How long {@link JsonLinesProcess#start} waits for the ready line. */
    Duration startTimeout();

    /** What {@link JsonLinesProcess#callWithDeadline} tells the process to wait on the network. */
    Duration callTimeout();

    /** How long {@link JsonLinesProcess#close()} waits after the stop command before killing. */
    Duration stopTimeout();
  }

  private record Pending(String command, CompletableFuture<JsonNode> reply) {}

  private final Process process;
  private final Logger log;
  private final String name;
  private final Duration callTimeout;
  private final Duration stopTimeout;
  private final BufferedWriter stdin;
  private final StderrPump stderr;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
  private volatile JsPeerException exited;
  private volatile JsonNode readyEvent;

  private JsonLinesProcess(
      Process process, String name, Logger log, Duration callTimeout, Duration stopTimeout) {
    this.process = process;
    this.log = log;
    this.name = name;
    this.callTimeout = callTimeout;
    this.stopTimeout = stopTimeout;
    this.stdin = new BufferedWriter(
        new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.stderr = new StderrPump(process.getErrorStream(), log, name);
    Thread.ofVirtual().name(name + "-stdout").start(this::readStdout);
  }

  /**
   * Runs {@code script} of the interop folder and waits for its ready line; stops the process
   * again when it does not come.
   *
   * @param flags command-line flags besides the {@code --listen} ones of {@code settings}
   * @param namePrefix the process is called this followed by its pid, in logs and messages
   * @param log where stderr goes at debug, and warnings about the process
   */
  static JsonLinesProcess start(
      String script, List<String> flags, Settings settings, String namePrefix, Logger log) {
    List<String> command = new ArrayList<>(Interop.nodeCommand(script));
    for (String addr : settings.listen()) {
      command.add("--listen");
      command.add(addr);
    }
    command.addAll(flags);
    ProcessBuilder builder = new ProcessBuilder(command).directory(Interop.interopDir().toFile());
    builder.environment().putAll(settings.env());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new JsPeerException("cannot run " + command, e);
    }
    Interop.track(process);
    JsonLinesProcess child = new JsonLinesProcess(process, namePrefix + process.pid(), log,
        settings.callTimeout(), settings.stopTimeout());
    try {
      child.awaitReady(settings.startTimeout());
    } catch (RuntimeException e) {
      child.close();
      throw e;
    }
    return child;
  }

  private void awaitReady(Duration startTimeout) {
    try {
      readyEvent = ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
      log.debug("[{}] ready: {}", name, readyEvent);
    } catch (TimeoutException e) {
      throw new JsPeerException(name + " not ready within " + startTimeout + stderr.tailText());
    } catch (ExecutionException e) {
      throw e.getCause() instanceof JsPeerException j ? j : new JsPeerException(name, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JsPeerException(name + ": interrupted while starting", e);
    }
  }

  /** The name of the process in logs and messages: the prefix given to start, then the pid. */
  String name() {
    return name;
  }

  /** The ready line as received. */
  JsonNode readyEvent() {
    return readyEvent;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Sends a command, failing when no reply arrives within the call timeout and its margin. */
  CompletableFuture<JsonNode> call(ObjectNode cmd) {
    return call(cmd, callTimeout.plus(REPLY_MARGIN));
  }

  /** Sends a command that tells the process to give up on the network after the call timeout. */
  CompletableFuture<JsonNode> callWithDeadline(ObjectNode cmd) {
    return call(cmd.put("timeoutMs", callTimeout.toMillis()));
  }

  /**
   * Sends a command (its {@code id} is set here) and completes with the reply object, failing
   * when no reply arrives within {@code timeout}.
   */
  CompletableFuture<JsonNode> call(ObjectNode cmd, Duration timeout) {
    long id = nextId.incrementAndGet();
    ObjectNode message = cmd.deepCopy().put("id", id);
    String command = message.path("cmd").asText("?");
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, new Pending(command, reply));
    JsPeerException gone = exited;
    if (gone != null || closed.get()) {
      pending.remove(id);
      reply.completeExceptionally(gone != null ? gone : new JsPeerException(name + " is closed"));
      return reply;
    }
    try {
      write(JSON.writeValueAsString(message));
    } catch (IOException e) {
      pending.remove(id);
      reply.completeExceptionally(new JsPeerException(name + ": cannot send " + command, e));
      return reply;
    }
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (pending.remove(id) != null) {
        reply.completeExceptionally(new JsPeerException(
            name + ": no reply to " + command + " within " + timeout + stderr.tailText()));
      }
    });
    return reply;
  }

  /**
   * Stops the process: a stop command and the end of stdin, then a kill if it has not exited
   * within the stop timeout, and a forced one if that is ignored too. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (process.isAlive() && exited == null) {
        try {
          write(JSON.writeValueAsString(
              JSON.createObjectNode().put("cmd", "stop").put("id", nextId.incrementAndGet())));
        } catch (IOException e) {
          log.debug("[{}] cannot send stop: {}", name, e.toString());
        }
      }
      closeStdin();
      if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("[{}] did not stop within {}; killing it", name, stopTimeout);
        process.destroy();
        if (!process.waitFor(DESTROY_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          process.waitFor(DESTROY_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void write(String line) throws IOException {
    synchronized (stdin) {
      stdin.write(line);
      stdin.write('\n');
      stdin.flush();
    }
  }

  private void closeStdin() {
    synchronized (stdin) {
      try {
        stdin.close();
      } catch (IOException e) {
        log.debug("[{}] closing stdin: {}", name, e.toString());
      }
    }
  }

  private void readStdout() {
    try (BufferedReader reader = process.inputReader(StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        onLine(line);
      }
    } catch (IOException e) {
      log.debug("[{}] stdout closed: {}", name, e.toString());
    }
    String status;
    try {
      status = process.waitFor(DESTROY_GRACE.toMillis(), TimeUnit.MILLISECONDS)
          ? "exited with code " + process.exitValue()
          : "closed its stdout";
      stderr.awaitEnd(DESTROY_GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = "gone";
    }
    JsPeerException gone = new JsPeerException(name + " " + status + stderr.tailText());
    exited = gone;
    // before the ready line, the failure reaches the caller of start() as this exception
    boolean starting = ready.completeExceptionally(gone);
    for (Long id : List.copyOf(pending.keySet())) {
      Pending p = pending.remove(id);
      if (p != null) {
        p.reply().completeExceptionally(gone);
      }
    }
    if (!closed.get() && !starting) {
      log.warn("[{}] {}", name, gone.getMessage());
    }
  }

  private void onLine(String line) {
    JsonNode message;
    try {
      message = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      log.warn("[{}] not a JSON line on stdout: {}", name, line);
      return;
    }
    if (message.hasNonNull("event")) {
      if ("ready".equals(message.path("event").asText())) {
        ready.complete(message);
      } else {
        log.debug("[{}] event {}", name, message);
      }
      return;
    }
    if (!message.path("id").canConvertToLong()) {
      log.warn("[{}] reply without id: {}", name, line);
      return;
    }
    Pending p = pending.remove(message.path("id").asLong());
    if (p == null) {
      log.debug("[{}] late or unexpected reply: {}", name, line);
      return;
    }
    if (message.path("ok").asBoolean(false)) {
      p.reply().complete(message);
    } else {
      JsonNode errorName = message.get("errorName");
      p.reply().completeExceptionally(new JsPeerException(
          name + ": " + p.command() + " failed: " + message.path("error").asText("(no message)"),
          errorName == null || errorName.isNull() ? null : errorName.asText(), null));
    }
  }
}
