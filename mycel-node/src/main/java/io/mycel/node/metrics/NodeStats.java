package io.mycel.node.metrics;

import java.util.Map;

/**
 * A node at a glance, as {@code GET /api/v0/stats} answers it: who it is connected to, what its
 * store holds, what it exchanged and served. Counters run since the node started.
 *
 * @param peerId the node's peer id
 * @param peers distinct peers with an open connection
 * @param connections open swarm connections
 * @param streams open streams over all connections
 * @param streamsByProtocol open streams per negotiated protocol (protocols with none are left out)
 * @param dhtPeers peers in the DHT routing table
 * @param store the block store
 * @param traffic bytes of all swarm connections
 * @param bitswap blocks exchanged over Bitswap
 * @param gateway requests the HTTP gateway answered; null when the node runs no gateway
 */
public record NodeStats(
    String peerId,
    int peers,
    int connections,
    long streams,
    Map<String, Long> streamsByProtocol,
    int dhtPeers,
    Store store,
    Traffic traffic,
    Bitswap bitswap,
    Gateway gateway) {

  public NodeStats {
    streamsByProtocol = Map.copyOf(streamsByProtocol);
  }

  /**
   * @param blocks blocks stored
   * @param bytes their bytes
   * @param quotaBytes the most the store may hold; 0 for no quota
   * @param pins pinned roots
   */
  public record Store(long blocks, long bytes, long quotaBytes, int pins) {}

  /** Bytes of every swarm connection (TCP payload), since the node started. */
  public record Traffic(long bytesIn, long bytesOut) {}

  /** Blocks and their bytes exchanged over Bitswap (received counts duplicates). */
  public record Bitswap(long blocksSent, long blocksReceived, long bytesSent, long bytesReceived) {}

  /**
   * @param requests requests answered
   * @param errors those answered with a 5xx status or not at all
   * @param bodyBytes response body bytes sent
   */
  public record Gateway(long requests, long errors, long bodyBytes) {}
}
