package io.mycel.testkit.js;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real js-libp2p node that finds peers on the local network with {@code @libp2p/mdns}, as a
 * Node.js child process driven by JSON lines: {@code interop/mdns-peer.mjs}. It also runs the
 * Kademlia DHT in server mode. Same conventions as {@link KadPeer}: every command returns a
 * future that fails with a {@link JsPeerException} when the node answers an error, does not
 * answer in time, or exits; {@link #close()} stops the process.
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/discovery/mdns.md">libp2p mDNS</a>
 */
public final class MdnsPeer implements AutoCloseable {

  public static final String SCRIPT = "mdns-peer.mjs";
  static final List<String> MARKERS = List.of("node_modules/@libp2p/mdns/package.json",
      "node_modules/@libp2p/kad-dht/package.json");

  private static final Logger LOG = LoggerFactory.getLogger(MdnsPeer.class);

  /** A peer the node's mDNS service reported, with the addresses it announced. */
  public record Discovered(String peerId, List<String> addrs) {
    public Discovered {
      addrs = List.copyOf(addrs);
    }
  }

  private final JsonLinesProcess child;

  private MdnsPeer(JsonLinesProcess child) {
    this.child = child;
  }

  /** The options {@link #start(int, Duration)} uses. */
  public static SeededPeerOptions defaultOptions() {
    return KadPeer.defaultOptions();
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
      throw new IllegalStateException("JS mDNS peer unavailable: " + reason);
    });
  }

  /**
   * Starts a node on a random loopback TCP port that queries the group 224.0.0.251 on UDP
   * {@code mdnsPort} every {@code interval}.
   */
  public static MdnsPeer start(int mdnsPort, Duration interval) {
    return start(mdnsPort, interval, defaultOptions());
  }

  /** As {@link #start(int, Duration)}, with these options (the seed is not used). */
  public static MdnsPeer start(int mdnsPort, Duration interval, SeededPeerOptions options) {
    requireAvailable();
    List<String> flags = List.of("--mdns-port", Integer.toString(mdnsPort),
        "--mdns-interval-ms", Long.toString(interval.toMillis()));
    return new MdnsPeer(JsonLinesProcess.start(SCRIPT, flags, options, "mdns-", LOG));
  }

  /** The peer id, base58. */
  public String peerId() {
    return child.readyEvent().path("peerId").asText();
  }

  /** The first listen address, ending in {@code /p2p/<peerId>}. */
  public String addr() {
    return child.readyEvent().path("addrs").path(0).asText();
  }

  /** Every peer the node's mDNS service has reported so far. */
  public CompletableFuture<List<Discovered>> discovered() {
    return child.call(JsPeer.command("discovered")).thenApply(reply -> {
      List<Discovered> out = new ArrayList<>();
      for (JsonNode peer : reply.path("peers")) {
        List<String> addrs = new ArrayList<>();
        peer.path("addrs").forEach(a -> addrs.add(a.asText()));
        out.add(new Discovered(peer.path("peerId").asText(), addrs));
      }
      return out;
    });
  }

  /** The peers the node has an open connection with. */
  public CompletableFuture<List<String>> connections() {
    return child.call(JsPeer.command("connections")).thenApply(reply -> {
      List<String> out = new ArrayList<>();
      reply.path("peers").forEach(p -> out.add(p.asText()));
      return out;
    });
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
