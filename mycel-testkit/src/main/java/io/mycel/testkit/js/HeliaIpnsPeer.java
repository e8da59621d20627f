package io.mycel.testkit.js;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Helia node that publishes and resolves IPNS names with {@code @helia/ipns} over the
 * Kademlia DHT ({@code @libp2p/kad-dht}, server mode, loopback addresses kept), as a Node.js
 * child process driven by JSON lines: {@code interop/helia-ipns-peer.mjs}. Same conventions as
 * {@link KadPeer}.
 *
 * @see <a href="https://specs.ipfs.tech/ipns/ipns-record/">IPNS record</a>
 */
public final class HeliaIpnsPeer implements AutoCloseable {

  public static final String SCRIPT = "helia-ipns-peer.mjs";
  static final List<String> MARKERS = List.of("node_modules/@helia/ipns/package.json",
      "node_modules/@libp2p/kad-dht/package.json", "node_modules/helia/package.json");

  private static final Logger LOG = LoggerFactory.getLogger(HeliaIpnsPeer.class);

  /**
   * A record the node published or resolved.
   *
   * @param name the IPNS name ({@code k51...}); empty for a resolved record
   * @param value the path it points at
   * @param sequence its sequence number
   */
  public record Record(String name, String value, long sequence) {}

  private final JsonLinesProcess child;

  private HeliaIpnsPeer(JsonLinesProcess child) {
    this.child = child;
  }

  /** Why the node cannot run here (with what to do about it), or empty when it can. */
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

  /** Fails with a message saying what to install when the node cannot run here. */
  public static void requireAvailable() {
    unavailableReason().ifPresent(reason -> {
      throw new IllegalStateException("Helia IPNS peer unavailable: " + reason);
    });
  }

  /** Starts a node on a random loopback TCP port with a fresh identity. */
  public static HeliaIpnsPeer start() {
    return start(KadPeer.defaultOptions());
  }

  /** Starts a node with these options (the seed is not used). */
  public static HeliaIpnsPeer start(SeededPeerOptions options) {
    requireAvailable();
    return new HeliaIpnsPeer(JsonLinesProcess.start(SCRIPT, List.of(), options, "helia-ipns-", LOG));
  }

  /** The peer id, base58. */
  public String peerId() {
    return child.readyEvent().path("peerId").asText();
  }

  /** Dials an address ending in {@code /p2p/<id>}; completes with the remote peer id. */
  public CompletableFuture<String> dial(String addr) {
    return child.callWithDeadline(JsPeer.command("dial").put("addr", addr))
        .thenApply(reply -> reply.path("peerId").asText());
  }

  /** How many peers the node's routing table holds. */
  public CompletableFuture<Integer> routingTableSize() {
    return child.call(JsPeer.command("routingTableSize"))
        .thenApply(reply -> reply.path("size").asInt());
  }

  /** Publishes {@code value} under the node's key "site" for {@code lifetime}. */
  public CompletableFuture<Record> publish(String value, Duration lifetime) {
    return child.callWithDeadline(JsPeer.command("publish").put("value", value)
            .put("lifetimeMs", lifetime.toMillis()))
        .thenApply(reply -> new Record(reply.path("name").asText(), reply.path("value").asText(),
            Long.parseUnsignedLong(reply.path("sequence").asText())));
  }

  /** Resolves {@code name} through the DHT, ignoring any cached record. */
  public CompletableFuture<Record> resolve(String name) {
    return child.callWithDeadline(JsPeer.command("resolve").put("name", name))
        .thenApply(reply -> new Record("", reply.path("value").asText(),
            Long.parseUnsignedLong(reply.path("sequence").asText())));
  }

  public boolean isAlive() {
    return child.isAlive();
  }

  /** Stops the node: a stop command, then a kill if it has not exited in time. Idempotent. */
  @Override
  public void close() {
    child.close();
  }

  @Override
  public String toString() {
    return child.name() + " " + peerId();
  }
}
