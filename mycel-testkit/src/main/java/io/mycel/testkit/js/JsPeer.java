package io.mycel.testkit.js;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real js-libp2p peer (TCP, Noise, Yamux, identify, ping) running as a Node.js child
 * process, driven by JSON lines: {@code interop/peer.mjs}, described in {@code interop/README.md}.
 *
 * <p>The peer always serves the test protocols {@link #ECHO_PROTOCOL}, {@link #SINK_PROTOCOL}
 * and {@link #SOURCE_PROTOCOL}. Every command returns a future that fails with a
 * {@link JsPeerException} when the peer answers an error, does not answer in time, or exits.
 * {@link #close()} stops the process; a JVM shutdown hook kills any peer left running, and the
 * peer also exits by itself when its stdin closes.
 */
public final class JsPeer implements AutoCloseable {

  /** Echoes every byte back and closes its write side after the remote's. */
  public static final String ECHO_PROTOCOL = "/mycel/test/echo/1.0.0";
  /** Reads and discards everything; closes its write side after the remote's. */
  public static final String SINK_PROTOCOL = "/mycel/test/sink/1.0.0";
  /** Reads an 8-byte big-endian count N, sends N bytes, closes its write side. */
  public static final String SOURCE_PROTOCOL = "/mycel/test/source/1.0.0";
  public static final String DEFAULT_LISTEN = "/ip4/127.0.0.1/tcp/0";

  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_BENCH_TIMEOUT = Duration.ofMinutes(5);
  static final int ED25519_SEED_BYTES = 32;

  private static final Logger LOG = LoggerFactory.getLogger(JsPeer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  /**
   * How to start a peer.
   *
   * @param listen listen multiaddrs; empty means the peer's default, {@link #DEFAULT_LISTEN}
   * @param privateKeyHex a libp2p protobuf PrivateKey in hex, or null
   * @param seedHex a 32-byte Ed25519 seed in hex, or null (at most one of the two keys)
   * @param env extra environment of the Node.js process (for instance {@code DEBUG=libp2p:*},
   *     whose output lands in this logger at debug)
   */
  public record Options(
      List<String> listen,
      String privateKeyHex,
      String seedHex,
      Map<String, String> env,
      Duration startTimeout,
      Duration callTimeout,
      Duration stopTimeout) implements JsonLinesProcess.Settings {

    public Options {
      listen = List.copyOf(listen);
      env = Map.copyOf(env);
      if (privateKeyHex != null && seedHex != null) {
        throw new IllegalArgumentException("give a private key or a seed, not both");
      }
      if (privateKeyHex != null && (privateKeyHex.isEmpty() || !isHex(privateKeyHex))) {
        throw new IllegalArgumentException("privateKeyHex is not hex: " + privateKeyHex);
      }
      if (seedHex != null && (seedHex.length() != 2 * ED25519_SEED_BYTES || !isHex(seedHex))) {
        throw new IllegalArgumentException("seedHex must be 32 bytes of hex: " + seedHex);
      }
      requirePositive(startTimeout, "startTimeout");
      requirePositive(callTimeout, "callTimeout");
      requirePositive(stopTimeout, "stopTimeout");
    }

    public static Options defaults() {
      return new Options(List.of(), null, null, Map.of(),
          DEFAULT_START_TIMEOUT, DEFAULT_CALL_TIMEOUT, DEFAULT_STOP_TIMEOUT);
    }

    public Options withListen(String... addrs) {
      return new Options(List.of(addrs), privateKeyHex, seedHex, env,
          startTimeout, callTimeout, stopTimeout);
    }

    /** The identity as a libp2p protobuf PrivateKey (any key type js-libp2p reads). */
    public Options withPrivateKey(byte[] protobuf) {
      return new Options(listen, HEX.formatHex(protobuf), null, env,
          startTimeout, callTimeout, stopTimeout);
    }

    /** An Ed25519 identity from its 32-byte seed. */
    public Options withSeed(byte[] seed) {
      return new Options(listen, null, HEX.formatHex(seed), env,
          startTimeout, callTimeout, stopTimeout);
    }

    public Options withEnv(String name, String value) {
      Map<String, String> more = new HashMap<>(env);
      more.put(name, value);
      return new Options(listen, privateKeyHex, seedHex, more,
          startTimeout, callTimeout, stopTimeout);
    }

    public Options withStartTimeout(Duration timeout) {
      return new Options(listen, privateKeyHex, seedHex, env, timeout, callTimeout, stopTimeout);
    }

    public Options withCallTimeout(Duration timeout) {
      return new Options(listen, privateKeyHex, seedHex, env, startTimeout, timeout, stopTimeout);
    }

    public Options withStopTimeout(Duration timeout) {
      return new Options(listen, privateKeyHex, seedHex, env, startTimeout, callTimeout, timeout);
    }

    private static boolean isHex(String s) {
      return s.length() % 2 == 0 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    private static void requirePositive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
    }
  }

  /** A connection as the JS peer sees it. */
  public record ConnectionInfo(
      String peerId,
      String remoteAddr,
      String status,
      String direction,
      String encryption,
      String multiplexer,
      int streams) {

    public ConnectionInfo {
      Objects.requireNonNull(peerId, "peerId");
      Objects.requireNonNull(remoteAddr, "remoteAddr");
    }

    static ConnectionInfo of(JsonNode n) {
      return new ConnectionInfo(text(n, "peerId"), text(n, "remoteAddr"), text(n, "status"),
          text(n, "direction"), text(n, "encryption"), text(n, "multiplexer"),
          n.path("streams").asInt());
    }
  }

  /** What the JS peer's peer store holds about a peer after identify. */
  public record IdentifyInfo(
      String peerId,
      String agentVersion,
      String protocolVersion,
      List<String> protocols,
      List<String> listenAddrs,
      Optional<String> observedAddr) {

    public IdentifyInfo {
      Objects.requireNonNull(peerId, "peerId");
      protocols = List.copyOf(protocols);
      listenAddrs = List.copyOf(listenAddrs);
      Objects.requireNonNull(observedAddr, "observedAddr");
    }

    static IdentifyInfo of(JsonNode n) {
      return new IdentifyInfo(text(n, "peerId"), text(n, "agentVersion"),
          text(n, "protocolVersion"), texts(n.path("protocols")), texts(n.path("listenAddrs")),
          Optional.ofNullable(text(n, "observedAddr")));
    }
  }

  /** A completed echo-streams run: every byte came back as sent. */
  public record EchoResult(int streams, long bytesEachWay, Duration elapsed) {

    static EchoResult of(JsonNode n) {
      return new EchoResult(n.path("streams").asInt(), n.path("bytesEachWay").asLong(),
          millis(n.path("ms").asDouble()));
    }
  }

  /** The node process running peer.mjs, and the command traffic with it. */
  private final JsonLinesProcess child;

  private JsPeer(JsonLinesProcess child) {
    this.child = child;
  }

  /** True when Node.js runs and {@code interop/node_modules} is installed. */
  public static boolean isAvailable() {
    return Interop.unavailableReason().isEmpty();
  }

  /** Why JS peers cannot run here (with what to do about it), or empty when they can. */
  public static Optional<String> unavailableReason() {
    return Interop.unavailableReason();
  }

  /** Fails with a message saying what to install when JS peers cannot run here. */
  public static void requireAvailable() {
    Interop.unavailableReason().ifPresent(reason -> {
      throw new IllegalStateException("JS interop peers unavailable: " + reason);
    });
  }

  /** Starts a peer listening on a random loopback TCP port with a fresh Ed25519 identity. */
  public static JsPeer start() {
    return start(Options.defaults());
  }

  /** Starts a peer and waits for its ready line. */
  public static JsPeer start(Options options) {
    requireAvailable();
    List<String> flags = new ArrayList<>();
    if (options.privateKeyHex() != null) {
      flags.add("--private-key-hex");
      flags.add(options.privateKeyHex());
    }
    if (options.seedHex() != null) {
      flags.add("--seed-hex");
      flags.add(options.seedHex());
    }
    return new JsPeer(JsonLinesProcess.start("peer.mjs", flags, options, "js-peer-", LOG));
  }

  /** The peer id, base58 ({@code 12D3KooW...} for Ed25519). */
  public String peerId() {
    return text(readyEvent(), "peerId");
  }

  /** The listen addresses, each ending in {@code /p2p/<peerId>}. */
  public List<String> addrs() {
    return texts(readyEvent().path("addrs"));
  }

  /** The first listen address, ending in {@code /p2p/<peerId>}. */
  public String addr() {
    List<String> addrs = addrs();
    if (addrs.isEmpty()) {
      throw new IllegalStateException(child.name() + " does not listen");
    }
    return addrs.get(0);
  }

  /** The agent version this peer announces in identify ({@code js-libp2p/<v> node/<v>}). */
  public String agentVersion() {
    return text(readyEvent(), "agentVersion");
  }

  /** The ready line as received. */
  public JsonNode readyEvent() {
    return child.readyEvent();
  }

  public long pid() {
    return child.pid();
  }

  public boolean isAlive() {
    return child.isAlive();
  }

  /** A command object with its {@code cmd} set, to fill and pass to {@link #call}. */
  public static ObjectNode command(String name) {
    return JSON.createObjectNode().put("cmd", name);
  }

  /** Sends a command (its {@code id} is set here) and completes with the reply object. */
  public CompletableFuture<JsonNode> call(ObjectNode cmd) {
    return child.call(cmd);
  }

  /** Like {@link #call(ObjectNode)}, failing when no reply arrives within {@code timeout}. */
  public CompletableFuture<JsonNode> call(ObjectNode cmd, Duration timeout) {
    return child.call(cmd, timeout);
  }

  /** Tells the peer to give up on the network after the call timeout of its options. */
  private CompletableFuture<JsonNode> callWithDeadline(ObjectNode cmd) {
    return child.callWithDeadline(cmd);
  }

  /** Dials an address (it may end in {@code /p2p/<id>}); reuses an open connection to that peer. */
  public CompletableFuture<ConnectionInfo> dial(String addr) {
    return callWithDeadline(command("dial").put("addr", addr)).thenApply(ConnectionInfo::of);
  }

  /** Dials an address over a new connection even when one to that peer is open. */
  public CompletableFuture<ConnectionInfo> dialNew(String addr) {
    return callWithDeadline(command("dial").put("addr", addr).put("force", true))
        .thenApply(ConnectionInfo::of);
  }

  /** Closes every connection to a peer. */
  public CompletableFuture<Void> hangUp(String peerId) {
    return callWithDeadline(command("hangup").put("peerId", peerId)).thenApply(reply -> null);
  }

  /** Pings a peer with {@code /ipfs/ping/1.0.0} (dialing it if needed); the round-trip time. */
  public CompletableFuture<Duration> ping(String peerId) {
    return callWithDeadline(command("ping").put("peerId", peerId))
        .thenApply(reply -> millis(reply.path("rttMs").asDouble()));
  }

  /** Pings the peer at an address (dialing it if needed). */
  public CompletableFuture<Duration> pingAddr(String addr) {
    return callWithDeadline(command("ping").put("addr", addr))
        .thenApply(reply -> millis(reply.path("rttMs").asDouble()));
  }

  /**
   * What identify told this peer about a connected peer: waits (up to the call timeout) for
   * the identify exchange that js-libp2p runs on every new connection.
   */
  public CompletableFuture<IdentifyInfo> identify(String peerId) {
    return callWithDeadline(command("identify").put("peerId", peerId))
        .thenApply(IdentifyInfo::of);
  }

  /** Runs a new identify exchange over an open connection to the peer, then reports as {@link #identify}. */
  public CompletableFuture<IdentifyInfo> identifyNow(String peerId) {
    return callWithDeadline(command("identify").put("peerId", peerId).put("fresh", true))
        .thenApply(IdentifyInfo::of);
  }

  /** {@link #echoStreams(String, String, int, int)} with {@link #ECHO_PROTOCOL}. */
  public CompletableFuture<EchoResult> echoStreams(String peerIdOrAddr, int streams, int bytesPerStream) {
    return echoStreams(peerIdOrAddr, ECHO_PROTOCOL, streams, bytesPerStream);
  }

  /**
   * Opens {@code streams} concurrent streams of an echo protocol to a peer (a peer id, or an
   * address starting with {@code /}), writes {@code bytesPerStream} pattern bytes on each while
   * reading them back, and checks every byte. The pattern of stream {@code i} is defined in
   * {@code interop/lib.mjs} ({@code pattern}).
   */
  public CompletableFuture<EchoResult> echoStreams(
      String peerIdOrAddr, String protocol, int streams, int bytesPerStream) {
    ObjectNode cmd = command("echo-streams")
        .put("protocol", protocol)
        .put("streams", streams)
        .put("bytes", bytesPerStream);
    cmd.put(peerIdOrAddr.startsWith("/") ? "addr" : "peerId", peerIdOrAddr);
    return callWithDeadline(cmd).thenApply(EchoResult::of);
  }

  /** The peer's open connections. */
  public CompletableFuture<List<ConnectionInfo>> connections() {
    return call(command("connections")).thenApply(reply -> {
      List<ConnectionInfo> list = new ArrayList<>();
      reply.path("connections").forEach(n -> list.add(ConnectionInfo.of(n)));
      return List.copyOf(list);
    });
  }

  /**
   * Stops the peer: a stop command, then a kill if it has not exited within the stop timeout.
   * Idempotent.
   */
  @Override
  public void close() {
    child.close();
  }

  /**
   * Runs {@code interop/bench.mjs} (js-libp2p to js-libp2p in one process) and returns its
   * JSON result: {@code handshakesPerSec}, {@code handshakesPerSecConcurrent4},
   * {@code oneStreamMiBps}, {@code sixteenStreamsMiBps}, {@code libp2pVersion}.
   */
  public static JsonNode runBench(int seconds, int mib) {
    return runBench(List.of("--seconds", Integer.toString(seconds), "--mib", Integer.toString(mib)),
        DEFAULT_BENCH_TIMEOUT);
  }

  /** Runs {@code interop/bench.mjs} with the given arguments; fails after {@code timeout}. */
  public static JsonNode runBench(List<String> args, Duration timeout) {
    requireAvailable();
    List<String> command = new ArrayList<>(Interop.nodeCommand("bench.mjs"));
    command.addAll(args);
    Process process;
    try {
      process = new ProcessBuilder(command).directory(Interop.interopDir().toFile()).start();
    } catch (IOException e) {
      throw new JsPeerException("cannot run " + command, e);
    }
    Interop.track(process);
    String name = "js-bench-" + process.pid();
    StderrPump stderr = new StderrPump(process.getErrorStream(), LOG, name);
    CompletableFuture<String> stdout = new CompletableFuture<>();
    Thread.ofVirtual().name(name + "-stdout").start(() -> {
      try {
        stdout.complete(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        stdout.completeExceptionally(e);
      }
    });
    try {
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new JsPeerException(name + " did not finish within " + timeout + stderr.tailText());
      }
      String out = stdout.get(JsonLinesProcess.DESTROY_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      stderr.awaitEnd(JsonLinesProcess.DESTROY_GRACE.toMillis());
      if (process.exitValue() != 0) {
        throw new JsPeerException(name + " exited with code " + process.exitValue() + stderr.tailText());
      }
      String last = out.strip().lines().reduce((a, b) -> b).orElse("");
      return JSON.readTree(last);
    } catch (IOException | ExecutionException | TimeoutException e) {
      throw new JsPeerException(name + ": no JSON result" + stderr.tailText(), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new JsPeerException(name + ": interrupted", e);
    }
  }

  @Override
  public String toString() {
    return child.name() + " " + peerId();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static List<String> texts(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return List.copyOf(list);
  }

  private static Duration millis(double ms) {
    return Duration.ofNanos(Math.round(ms * 1_000_000));
  }
}
