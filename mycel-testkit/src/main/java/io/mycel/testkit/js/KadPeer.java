package io.mycel.testkit.js;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real js-libp2p node with the Kademlia DHT ({@code @libp2p/kad-dht}, server mode, protocol
 * {@value #PROTOCOL}) running as a Node.js child process, driven by JSON lines:
 * {@code interop/kad-peer.mjs}. Loopback addresses stay in its routing table, and records of the
 * {@code ipns} namespace are checked with the {@code ipns} package's validator. Same conventions
 * as {@link JsPeer}: every command returns a future that fails with a {@link JsPeerException}
 * when the node answers an error, does not answer in time, or exits; {@link #close()} stops the
 * process, and the process also exits when its stdin closes.
 *
 * @see <a href="https://github.com/libp2p/specs/tree/master/kad-dht">libp2p Kademlia DHT</a>
 */
public final class KadPeer implements AutoCloseable {

  public static final String SCRIPT = "kad-peer.mjs";
  public static final String PROTOCOL = "/ipfs/kad/1.0.0";

  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
  /** Installed with the interop dependencies when the DHT and IPNS packages are among them. */
  static final List<String> MARKERS =
      List.of("node_modules/@libp2p/kad-dht/package.json", "node_modules/ipns/package.json");

  private static final Logger LOG = LoggerFactory.getLogger(KadPeer.class);

  /** The options {@link #start()} uses. */
  public static SeededPeerOptions defaultOptions() {
    return SeededPeerOptions.of(DEFAULT_START_TIMEOUT, DEFAULT_CALL_TIMEOUT, DEFAULT_STOP_TIMEOUT);
  }

  /** A provider record the node found: the peer and the addresses given with it. */
  public record Provider(String peerId, List<String> addrs) {
    public Provider {
      addrs = List.copyOf(addrs);
    }
  }

  /**
   * A value record the node resolved. For an {@code /ipns/} key, {@code ipnsValue} and
   * {@code ipnsSequence} are set, and only after the {@code ipns} validator accepted the record.
   */
  public record Value(byte[] value, Optional<String> ipnsValue, Optional<Long> ipnsSequence) {
    public Value {
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }
  }

  /** A signed IPNS record of the node's own name: its routing key and marshalled record. */
  public record IpnsRecordBytes(String name, byte[] routingKey, byte[] record) {
    public IpnsRecordBytes {
      routingKey = routingKey.clone();
      record = record.clone();
    }

    @Override
    public byte[] routingKey() {
      return routingKey.clone();
    }

    @Override
    public byte[] record() {
      return record.clone();
    }
  }

  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder UNB64 = Base64.getDecoder();

  /** The node process running kad-peer.mjs, and the command traffic with it. */
  private final JsonLinesProcess child;

  private KadPeer(JsonLinesProcess child) {
    this.child = child;
  }

  /** Why the DHT node cannot run here (with what to do about it), or empty when it can. */
  public static Optional<String> unavailableReason() {
    Optional<String> reason = JsPeer.unavailableReason();
    if (reason.isPresent()) {
      return reason;
    }
    for (String marker : MARKERS) {
      if (!Files.isRegularFile(Interop.interopDir().resolve(marker))) {
        return Optional.of(marker + " is missing in " + Interop.interopDir() + ": "
            + Interop.HOW_TO_INSTALL);
      }
    }
    return Optional.empty();
  }

  /** Fails with a message saying what to install when the DHT node cannot run here. */
  public static void requireAvailable() {
    unavailableReason().ifPresent(reason -> {
      throw new IllegalStateException("JS DHT peer unavailable: " + reason);
    });
  }

  /** Starts a node on a random loopback TCP port with a fresh identity. */
  public static KadPeer start() {
    return start(defaultOptions());
  }

  /** Starts a node and waits for its ready line. */
  public static KadPeer start(SeededPeerOptions options) {
    requireAvailable();
    List<String> flags = options.seed() == null
        ? List.of()
        : List.of("--seed-hex", HexFormat.of().formatHex(options.seed()));
    return new KadPeer(JsonLinesProcess.start(SCRIPT, flags, options, "kad-", LOG));
  }

  /** The peer id, base58. */
  public String peerId() {
    return child.readyEvent().path("peerId").asText();
  }

  /** The first listen address, ending in {@code /p2p/<peerId>}. */
  public String addr() {
    return child.readyEvent().path("addrs").path(0).asText();
  }

  public boolean isAlive() {
    return child.isAlive();
  }

  /** Dials an address ending in {@code /p2p/<id>}; completes with the remote peer id. */
  public CompletableFuture<String> dial(String addr) {
    return child.callWithDeadline(JsPeer.command("dial").put("addr", addr))
        .thenApply(reply -> reply.path("peerId").asText());
  }

  /** Announces the node as a provider of {@code cid} to the closest peers. */
  public CompletableFuture<Void> provide(String cid) {
    return child.callWithDeadline(JsPeer.command("provide").put("cid", cid))
        .thenApply(reply -> null);
  }

  /** Looks up providers of {@code cid}, stopping after {@code count} distinct peers. */
  public CompletableFuture<List<Provider>> findProviders(String cid, int count) {
    return child.callWithDeadline(JsPeer.command("findProviders").put("cid", cid)
            .put("count", count))
        .thenApply(reply -> {
          List<Provider> out = new ArrayList<>();
          for (JsonNode p : reply.path("providers")) {
            out.add(new Provider(p.path("peerId").asText(), texts(p.path("addrs"))));
          }
          return out;
        });
  }

  /** Looks up the addresses of {@code peerId}. */
  public CompletableFuture<List<String>> findPeer(String peerId) {
    return child.callWithDeadline(JsPeer.command("findPeer").put("peerId", peerId))
        .thenApply(reply -> texts(reply.path("addrs")));
  }

  /** The peers closest to {@code key} that the node's lookup reached. */
  public CompletableFuture<List<String>> findClosestPeers(byte[] key) {
    return child.callWithDeadline(JsPeer.command("findClosestPeers")
            .put("keyBase64", B64.encodeToString(key)))
        .thenApply(reply -> texts(reply.path("peers")));
  }

  /** Stores a value record locally and on the closest peers. */
  public CompletableFuture<Void> putValue(byte[] key, byte[] value) {
    return child.callWithDeadline(JsPeer.command("putValue")
            .put("keyBase64", B64.encodeToString(key))
            .put("valueBase64", B64.encodeToString(value)))
        .thenApply(reply -> null);
  }

  /** The best valid value record for {@code key}; fails when none is found. */
  public CompletableFuture<Value> getValue(byte[] key) {
    return child.callWithDeadline(JsPeer.command("getValue")
            .put("keyBase64", B64.encodeToString(key)))
        .thenApply(reply -> {
          JsonNode ipns = reply.path("ipns");
          boolean valid = ipns.path("valid").asBoolean(false);
          return new Value(UNB64.decode(reply.path("valueBase64").asText()),
              valid ? Optional.of(ipns.path("value").asText()) : Optional.empty(),
              valid ? Optional.of(Long.parseUnsignedLong(ipns.path("sequence").asText()))
                  : Optional.empty());
        });
  }

  /**
   * Signs an IPNS record of the node's own name with the {@code ipns} package, pointing at
   * {@code value} (such as {@code /ipfs/<cid>}), valid for {@code lifetime}.
   */
  public CompletableFuture<IpnsRecordBytes> createIpnsRecord(
      String value, long sequence, Duration lifetime) {
    return child.call(JsPeer.command("createIpnsRecord").put("value", value)
            .put("sequence", sequence).put("lifetimeMs", lifetime.toMillis()))
        .thenApply(reply -> new IpnsRecordBytes(reply.path("name").asText(),
            UNB64.decode(reply.path("keyBase64").asText()),
            UNB64.decode(reply.path("valueBase64").asText())));
  }

  /** How many peers the node's routing table holds. */
  public CompletableFuture<Integer> routingTableSize() {
    return child.call(JsPeer.command("routingTableSize"))
        .thenApply(reply -> reply.path("size").asInt());
  }

  /** Sends a command (its {@code id} is set here) and completes with the reply object. */
  public CompletableFuture<JsonNode> call(ObjectNode cmd) {
    return child.call(cmd);
  }

  /** Stops the node: a stop command, then a kill if it has not exited in time. Idempotent. */
  @Override
  public void close() {
    child.close();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Override
  public String toString() {
    return child.name() + " " + peerId();
  }
}
