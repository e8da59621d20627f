package io.mycel.net.host;

import io.mycel.core.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a host listens and what it allows. Every limit has a named default; {@code 0} as a TCP
 * port means "pick a free one".
 *
 * @param listenAddresses TCP multiaddrs to listen on, e.g. {@code /ip4/0.0.0.0/tcp/4101}
 * @param agentVersion announced by identify
 * @param maxConnections open connections in total; an inbound connection past it is closed
 * @param maxConnectionsPerPeer open connections to one peer; a new one past it is closed
 * @param maxStreamsPerConnection concurrent streams on one connection (both directions)
 * @param handshakeTimeout from TCP connect to an established, multiplexed connection
 * @param negotiationTimeout for multistream-select on a stream
 * @param idleStreamTimeout a stream with no traffic this long is reset
 */
public record HostConfig(
    List<Multiaddr> listenAddresses,
    String agentVersion,
    int maxConnections,
    int maxConnectionsPerPeer,
    int maxStreamsPerConnection,
    Duration handshakeTimeout,
    Duration negotiationTimeout,
    Duration idleStreamTimeout) {

  public static final int DEFAULT_MAX_CONNECTIONS = 2048;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_PEER = 4;
  public static final int DEFAULT_MAX_STREAMS_PER_CONNECTION = 1024;
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_NEGOTIATION_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDLE_STREAM_TIMEOUT = Duration.ofMinutes(2);

  public HostConfig {
    listenAddresses = List.copyOf(listenAddresses);
    Objects.requireNonNull(agentVersion, "agentVersion");
    if (maxConnections < 1 || maxConnectionsPerPeer < 1 || maxStreamsPerConnection < 1) {
      throw new IllegalArgumentException("connection and stream limits must be at least 1");
    }
    requirePositive(handshakeTimeout, "handshakeTimeout");
    requirePositive(negotiationTimeout, "negotiationTimeout");
    requirePositive(idleStreamTimeout, "idleStreamTimeout");
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  /** Defaults, listening on the given addresses. */
  public static HostConfig defaults(List<Multiaddr> listenAddresses, String agentVersion) {
    return new HostConfig(
        listenAddresses,
        agentVersion,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_CONNECTIONS_PER_PEER,
        DEFAULT_MAX_STREAMS_PER_CONNECTION,
        DEFAULT_HANDSHAKE_TIMEOUT,
        DEFAULT_NEGOTIATION_TIMEOUT,
        DEFAULT_IDLE_STREAM_TIMEOUT);
  }

  /** Defaults for tests and tools: one listener on 127.0.0.1 with a free port. */
  public static HostConfig loopback(String agentVersion) {
    return defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), agentVersion);
  }

  public HostConfig withListenAddresses(List<Multiaddr> addresses) {
    return new HostConfig(addresses, agentVersion, maxConnections, maxConnectionsPerPeer,
        maxStreamsPerConnection, handshakeTimeout, negotiationTimeout, idleStreamTimeout);
  }

  public HostConfig withConnectionLimits(int total, int perPeer) {
    return new HostConfig(listenAddresses, agentVersion, total, perPeer,
        maxStreamsPerConnection, handshakeTimeout, negotiationTimeout, idleStreamTimeout);
  }

  public HostConfig withMaxStreamsPerConnection(int streams) {
    return new HostConfig(listenAddresses, agentVersion, maxConnections, maxConnectionsPerPeer,
        streams, handshakeTimeout, negotiationTimeout, idleStreamTimeout);
  }

  public HostConfig withTimeouts(Duration handshake, Duration negotiation, Duration idleStream) {
    return new HostConfig(listenAddresses, agentVersion, maxConnections, maxConnectionsPerPeer,
        maxStreamsPerConnection, handshake, negotiation, idleStream);
  }
}
