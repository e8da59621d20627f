package io.mycel.testkit.js;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

  private static final Logger LOG = LoggerFactory.getLogger(HeliaPeer.class);

  /** The options {@link #start()} uses. */
  public static SeededPeerOptions defaultOptions() {
    return SeededPeerOptions.of(DEFAULT_START_TIMEOUT, DEFAULT_CALL_TIMEOUT, DEFAULT_STOP_TIMEOUT);
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

  /** The node process running helia-peer.mjs, and the command traffic with it. */
  private final JsonLinesProcess child;

  private HeliaPeer(JsonLinesProcess child) {
    this.child = child;
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
    return start(defaultOptions());
  }

  /** Starts Helia and waits for its ready line. */
  public static HeliaPeer start(SeededPeerOptions options) {
    requireAvailable();
    List<String> flags = options.seed() == null
        ? List.of()
        : List.of("--seed-hex", HexFormat.of().formatHex(options.seed()));
    return new HeliaPeer(JsonLinesProcess.start(SCRIPT, flags, options, "helia-", LOG));
  }

  /** The peer id, base58. */
  public String peerId() {
    return child.readyEvent().path("peerId").asText();
  }

  /** The first listen address, ending in {@code /p2p/<peerId>}. */
  public String addr() {
    return child.readyEvent().path("addrs").path(0).asText();
  }

  /** {@code helia/<version>}. */
  public String agentVersion() {
    return child.readyEvent().path("agentVersion").asText();
  }

  public boolean isAlive() {
    return child.isAlive();
  }

  /** Dials an address ending in {@code /p2p/<id>}; completes with the remote peer id. */
  public CompletableFuture<String> dial(String addr) {
    return child.callWithDeadline(JsPeer.command("dial").put("addr", addr))
        .thenApply(reply -> reply.path("peerId").asText());
  }

  /**
   * Adds {@code mib} MiB of a deterministic pattern (chosen by {@code seed}) as a UnixFS file
   * with Helia's default layout (1 MiB raw leaves, CIDv1).
   */
  public CompletableFuture<AddedFile> addFile(int mib, int seed) {
    return child.call(JsPeer.command("add-file").put("mib", mib).put("seed", seed))
        .thenApply(r -> new AddedFile(r.path("cid").asText(), r.path("sha256").asText(),
            r.path("length").asLong(), millis(r.path("ms").asDouble())));
  }

  /**
   * Fetches the UnixFS DAG {@code cid} (over Bitswap when not stored) and reads all of it: a
   * file through {@code cat}, a directory by listing and reading every file under it.
   */
  public CompletableFuture<Fetched> fetch(String cid) {
    return child.callWithDeadline(JsPeer.command("fetch").put("cid", cid)).thenApply(r -> {
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
    return child.call(cmd);
  }

  /** Stops Helia: a stop command, then a kill if it has not exited in time. Idempotent. */
  @Override
  public void close() {
    child.close();
  }

  private static Duration millis(double ms) {
    return Duration.ofNanos(Math.round(ms * 1_000_000));
  }

  @Override
  public String toString() {
    return child.name() + " " + peerId();
  }
}
