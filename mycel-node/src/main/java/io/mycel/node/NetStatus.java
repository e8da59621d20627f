package io.mycel.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.net.Connection;
import io.mycel.net.autonat.ReachabilityTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code mycel net status} shows about a running node: its reachability (AutoNAT), the
 * addresses peers observe it at, its listen addresses, its connections, and what its AutoNAT
 * server answered. The daemon keeps it in {@value #FILE} in its home, refreshed every few
 * seconds, and removes it when it stops.
 *
 * @param updatedAt when the daemon wrote it (ISO-8601)
 * @param reachability {@code UNKNOWN}, {@code PUBLIC} or {@code PRIVATE}
 * @param confidence agreeing AutoNAT answers behind the reachability
 * @param publicAddress the address a peer last dialed back, or null
 * @param autonatServers connected peers that answer AutoNAT requests
 * @param autonatAnswered dial-back requests this node's server carried out
 * @param autonatRefused dial-back requests this node's server refused
 */
public record NetStatus(
    String peerId,
    String updatedAt,
    String reachability,
    int confidence,
    String publicAddress,
    List<String> observedAddresses,
    List<String> listenAddresses,
    int connections,
    int peers,
    int autonatServers,
    long autonatAnswered,
    long autonatRefused) {

  public static final String FILE = "net-status.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  public NetStatus {
    observedAddresses = List.copyOf(observedAddresses);
    listenAddresses = List.copyOf(listenAddresses);
  }

  /** The status of {@code node} now. */
  public static NetStatus of(Node node) {
    ReachabilityTracker.Status status = node.autonat().status();
    List<Connection> connections = node.host().connections();
    return new NetStatus(
        node.peerId().toString(),
        Instant.now().toString(),
        status.reachability().name(),
        status.confidence(),
        status.publicAddress() == null ? null : status.publicAddress().toString(),
        node.autonat().observedAddresses().stream().map(Multiaddr::toString).toList(),
        node.host().listenAddresses().stream().map(Multiaddr::toString).toList(),
        connections.size(),
        (int) connections.stream().map(Connection::remotePeer).distinct().count(),
        node.autonat().serverCount(),
        node.autonat().server().answered(),
        node.autonat().server().refused());
  }

  /** Writes this status to {@code home} atomically. */
  public void write(NodeHome home) throws IOException {
    Path file = home.dir().resolve(FILE);
    Path tmp = home.dir().resolve(FILE + ".tmp");
    Files.writeString(tmp, JSON.writeValueAsString(this));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The status the running daemon of {@code home} wrote, if a daemon runs. */
  public static Optional<NetStatus> read(NodeHome home) throws IOException {
    if (DaemonFile.read(home).isEmpty()) {
      return Optional.empty();
    }
    Path file = home.dir().resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(JSON.readValue(file.toFile(), NetStatus.class));
  }

  static void delete(NodeHome home) throws IOException {
    Files.deleteIfExists(home.dir().resolve(FILE));
  }
}
