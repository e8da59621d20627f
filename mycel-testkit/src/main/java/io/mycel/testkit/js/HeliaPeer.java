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
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Helia node (Bitswap over TCP, Noise and Yamux, with identify; UnixFS) running as a
 * Node.js child process, driven by JSON lines: {@code interop/helia-peer.mjs}, described in
 * {@code interop/README.md}. Same conventions as {@link JsPeer}: every command returns a future
 * that fails with a {@link JsPeerException} when Helia answers an error, does not answer in
 * time, or exits; {@link #close()} stops the process, and the process also exits when its stdin
 * closes.
 */
public final class HeliaPeer implements AutoCloseable {

  public static final String SCRIPT = "helia-peer.mjs";
  public static final String BITSWAP_PROTOCOL = "/ipfs/bitswap/1.2.0";

  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(2);
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
  /** Installed with the interop dependencies when Helia is among them. */
  static final String HELIA_MARKER = "node_modules/helia/package.json";
  /** How much longer Java waits for a reply than Helia is told to wait on the network. */
  static final Duration REPLY_MARGIN = Duration.ofSeconds(5);
  static final Duration DESTROY_GRACE = Duration.ofSeconds(3);

  private static final Logger LOG = LoggerFactory.getLogger(HeliaPeer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How to start Helia.
   *
   * @param listen listen multiaddrs; empty means {@code /ip4/127.0.0.1/tcp/0}
   * @param seed a 32-byte Ed25519 seed of the identity, or null for a fresh one
   * @param env extra environment of the Node.js process (e.g. {@code DEBUG=helia:*})
   */
  public record Options(
      List<String> listen,
      byte[] seed,
      Map<String, String> env,
      Duration startTimeout,
      Duration callTimeout,
      Duration stopTimeout) {

    public Options {
      listen = List.copyOf(listen);
      env = Map.copyOf(env);
      if (seed != null && seed.length != 32) {
        throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, got " + seed.length);
      }
      seed = seed == null ? null : seed.clone();
      for (Duration d : List.of(startTimeout, callTimeout, stopTimeout)) {
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("timeouts must be positive: " + d);
        }
      }
    }

    public static Options defaults() {
      return new Options(List.of(), null, Map.of(),
          DEFAULT_START_TIMEOUT, DEFAULT_CALL_TIMEOUT, DEFAULT_STOP_TIMEOUT);
    }

    public Options withSeed(byte[] value) {
      return new Options(listen, value, env, startTimeout, callTimeout, stopTimeout);
    }

    public Options withEnv(String name, String value) {
      Map<String, String> more = new java.util.HashMap<>(env);
      more.put(name, value);
      return new Options(listen, seed, more, startTimeout, callTimeout, stopTimeout);
    }

    public Options withCallTimeout(Duration value) {
      return new Options(listen, seed, env, startTimeout, value, stopTimeout);
    }
  }

  /** A file Helia added with {@link #addFile}: its root CID and the SHA-256 of its bytes. */
  public record AddedFile(String cid, String sha256, long length, Duration elapsed) {}

  /** One file Helia read under a fetched directory. */
  public record FetchedFile(String path, String cid, String sha256, long length) {}

  /**
   * What Helia read from a fetched DAG: a file's SHA-256 and length, or every file of a
   * directory (then {@code sha256} is null and {@code length} the sum).
   */
  public record Fetched(
      String type, String sha256, long length, List<FetchedFile> files, Duration elapsed) {
    public Fetched {
      files = List.copyOf(files);
    }
  }

  private record Pending(String command, CompletableFuture<JsonNode> reply) {}

  private final Process process;
  private final Options options;
  private final String name;
  private final BufferedWriter stdin;
  private final StderrPump stderr;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
  private volatile JsPeerException exited;
  private volatile JsonNode readyEvent;

  private HeliaPeer(Process process, Options options) {
    this.process = process;
    this.options = options;
    this.name = "helia-" + process.pid();
    this.stdin = new BufferedWriter(
        new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.stderr = new StderrPump(process.getErrorStream(), LOG, name);
    Thread.ofVirtual().name(name + "-stdout").start(this::readStdout);
  }

  /** Why Helia cannot run here (with what to do about it), or empty when it can. */
  public static Optional<String> unavailableReason() {
    Optional<String> reason = JsPeer.unavailableReason();
    if (reason.isPresent()) {
      return reason;
    }
    if (!Files.isRegularFile(Interop.interopDir().resolve(HELIA_MARKER))) {
      return Optional.of("Helia is not installed in " + Interop.interopDir() + ": "
          + Interop.HOW_TO_INSTALL);
    }
    return Optional.empty();
  }

  /** Fails with a message saying what to install when Helia cannot run here. */
  public static void requireAvailable() {
    unavailableReason().ifPresent(reason -> {
      throw new IllegalStateException("Helia unavailable: " + reason);
    });
  }

  /** Starts Helia on a random loopback TCP port with a fresh identity. */
  public static HeliaPeer start() {
    return start(Options.defaults());
  }

  /** Starts Helia and waits for its ready line. */
  public static HeliaPeer start(Options options) {
    requireAvailable();
    List<String> command = new ArrayList<>(Interop.nodeCommand(SCRIPT));
    for (String addr : options.listen()) {
      command.add("--listen");
      command.add(addr);
    }
    if (options.seed() != null) {
      command.add("--seed-hex");
      command.add(HexFormat.of().formatHex(options.seed()));
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(Interop.interopDir().toFile());
    builder.environment().putAll(options.env());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new JsPeerException("cannot run " + command, e);
    }
    Interop.track(process);
    HeliaPeer peer = new HeliaPeer(process, options);
    try {
      peer.readyEvent = peer.ready.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      peer.close();
      throw new JsPeerException(peer.name + " not ready within " + options.startTimeout()
          + peer.stderr.tailText());
    } catch (ExecutionException e) {
      peer.close();
      throw e.getCause() instanceof JsPeerException j ? j : new JsPeerException(peer.name, e);
    } catch (InterruptedException e) {
      peer.close();
      Thread.currentThread().interrupt();
      throw new JsPeerException(peer.name + ": interrupted while starting", e);
    }
    return peer;
  }

  /** The peer id, base58. */
  public String peerId() {
    return readyEvent.path("peerId").asText();
  }

  /** The first listen address, ending in {@code /p2p/<peerId>}. */
  public String addr() {
    return readyEvent.path("addrs").path(0).asText();
  }

  /** {@code helia/<version>}. */
  public String agentVersion() {
    return readyEvent.path("agentVersion").asText();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Dials an address ending in {@code /p2p/<id>}; completes with the remote peer id. */
  public CompletableFuture<String> dial(String addr) {
    return callWithDeadline(JsPeer.command("dial").put("addr", addr))
        .thenApply(reply -> reply.path("peerId").asText());
  }

  /**
   * Adds {@code mib} MiB of a deterministic pattern (chosen by {@code seed}) as a UnixFS file
   * with Helia's default layout (1 MiB raw leaves, CIDv1).
   */
  public CompletableFuture<AddedFile> addFile(int mib, int seed) {
    return call(JsPeer.command("add-file").put("mib", mib).put("seed", seed))
        .thenApply(r -> new AddedFile(r.path("cid").asText(), r.path("sha256").asText(),
            r.path("length").asLong(), millis(r.path("ms").asDouble())));
  }

  /**
   * Fetches the UnixFS DAG {@code cid} (over Bitswap when not stored) and reads all of it: a
   * file through {@code cat}, a directory by listing and reading every file under it.
   */
  public CompletableFuture<Fetched> fetch(String cid) {
    return callWithDeadline(JsPeer.command("fetch").put("cid", cid)).thenApply(r -> {
      List<FetchedFile> files = new ArrayList<>();
      long total = 0;
      for (JsonNode f : r.path("files")) {
        files.add(new FetchedFile(f.path("path").asText(), f.path("cid").asText(),
            f.path("sha256").asText(), f.path("length").asLong()));
        total += f.path("length").asLong();
      }
      boolean directory = "directory".equals(r.path("type").asText());
      return new Fetched(r.path("type").asText(),
          directory ? null : r.path("sha256").asText(),
          directory ? total : r.path("length").asLong(), files, millis(r.path("ms").asDouble()));
    });
  }

  /** Sends a command (its {@code id} is set here) and completes with the reply object. */
  public CompletableFuture<JsonNode> call(ObjectNode cmd) {
    Duration timeout = options.callTimeout().plus(REPLY_MARGIN);
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

  private CompletableFuture<JsonNode> callWithDeadline(ObjectNode cmd) {
    return call(cmd.put("timeoutMs", options.callTimeout().toMillis()));
  }

  /** Stops Helia: a stop command, then a kill if it has not exited in time. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (process.isAlive() && exited == null) {
        try {
          write(JSON.writeValueAsString(
              JsPeer.command("stop").put("id", nextId.incrementAndGet())));
        } catch (IOException e) {
          LOG.debug("[{}] cannot send stop: {}", name, e.toString());
        }
      }
      synchronized (stdin) {
        try {
          stdin.close();
        } catch (IOException e) {
          LOG.debug("[{}] closing stdin: {}", name, e.toString());
        }
      }
      if (!process.waitFor(options.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("[{}] did not stop within {}; killing it", name, options.stopTimeout());
        process.destroy();
        if (!process.waitFor(DESTROY_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
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

  private void readStdout() {
    try (BufferedReader reader = process.inputReader(StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        onLine(line);
      }
    } catch (IOException e) {
      LOG.debug("[{}] stdout closed: {}", name, e.toString());
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
    boolean starting = ready.completeExceptionally(gone);
    for (Long id : List.copyOf(pending.keySet())) {
      Pending p = pending.remove(id);
      if (p != null) {
        p.reply().completeExceptionally(gone);
      }
    }
    if (!closed.get() && !starting) {
      LOG.warn("[{}] {}", name, gone.getMessage());
    }
  }

  private void onLine(String line) {
    JsonNode message;
    try {
      message = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      LOG.warn("[{}] not a JSON line on stdout: {}", name, line);
      return;
    }
    if (message.hasNonNull("event")) {
      if ("ready".equals(message.path("event").asText())) {
        ready.complete(message);
      }
      return;
    }
    Pending p = pending.remove(message.path("id").asLong(-1));
    if (p == null) {
      LOG.debug("[{}] late or unexpected reply: {}", name, line);
      return;
    }
    if (message.path("ok").asBoolean(false)) {
      p.reply().complete(message);
    } else {
      p.reply().completeExceptionally(new JsPeerException(
          name + ": " + p.command() + " failed: " + message.path("error").asText("(no message)"),
          message.path("errorName").asText(null), null));
    }
  }

  private static Duration millis(double ms) {
    return Duration.ofNanos(Math.round(ms * 1_000_000));
  }

  @Override
  public String toString() {
    return name + (readyEvent != null ? " " + peerId() : "");
  }
}
