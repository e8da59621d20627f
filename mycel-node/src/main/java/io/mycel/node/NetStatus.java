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
 * @param relayedConnections open connections that run through a relay
 * @param reservations slots this node holds on relays, with its addresses through them
 * @param relay what this node relays for others, when {@code relay.enabled}; else null
 * @param holePunches DCUtR upgrades that worked
 * @param holePunchFailures DCUtR upgrades that gave up (the connection stayed relayed)
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
    long autonatRefused,
    int relayedConnections,
    List<Reservation> reservations,
    RelayServed relay,
    long holePunches,
    long holePunchFailures) {

  /** A reservation held on a relay. */
  public record Reservation(String relay, String expires, List<String> addresses) {}

  /**
   * This node's relay service.
   *
   * @param relayedBytes bytes carried through this node for others, all circuits so far
   */
  public record RelayServed(int reservations, int circuits, long relayedBytes) {}

  public static final String FILE = "net-status.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  public NetStatus {
    observedAddresses = List.copyOf(observedAddresses);
    listenAddresses = List.copyOf(listenAddresses);
    reservations = reservations == null ? List.of() : List.copyOf(reservations);
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
        node.autonat().server().refused(),
        (int) connections.stream().filter(Connection::isRelayed).count(),
        node.relayClient().reservations().stream()
            .map(r -> new Reservation(r.relay().toString(), r.expire().toString(),
                r.addresses().stream().map(Multiaddr::toString).toList()))
            .toList(),
        node.relayService()
            .map(r -> new RelayServed(r.reservationCount(), r.circuitCount(), r.meter().totalBytes()))
            .orElse(null),
        node.dcutr().map(d -> d.upgrades()).orElse(0L),
        node.dcutr().map(d -> d.failures()).orElse(0L));
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
