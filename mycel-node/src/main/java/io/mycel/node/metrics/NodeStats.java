package io.mycel.node.metrics;

import java.util.Map;

/**
 * A node at a glance, as {@code GET /api/v0/stats} answers it: who it is connected to, what its
 * store holds, what it exchanged and served. Counters run since the node started.
 *
 * @param peerId the node's peer id
 * @param uptimeSeconds seconds since the daemon started
 * @param network connections, streams and bytes of the swarm
 * @param repo the block store
 * @param cache the part of the store kept as the gateway's cache; null without a gateway
 * @param bitswap blocks exchanged over Bitswap
 * @param gateway requests the HTTP gateway answered; null when the node runs no gateway
 */
public record NodeStats(
    String peerId,
    long uptimeSeconds,
    Network network,
    Repo repo,
    Cache cache,
    Bitswap bitswap,
    Gateway gateway) {

  /**
   * @param peers distinct peers with an open connection
   * @param connections open swarm connections
   * @param streams open streams over all connections
   * @param streamsByProtocol open streams per negotiated protocol (protocols with none left out)
   * @param dhtPeers peers in the DHT routing table
   * @param bytesIn bytes received on every swarm connection (TCP payload) since the start
   * @param bytesOut bytes sent on every swarm connection since the start
   */
  public record Network(int peers, int connections, long streams,
      Map<String, Long> streamsByProtocol, int dhtPeers, long bytesIn, long bytesOut) {
    public Network {
      streamsByProtocol = Map.copyOf(streamsByProtocol);
    }
  }

  /**
   * @param blocks blocks stored
   * @param bytes their bytes
   * @param quotaBytes the most the store may hold; 0 for no quota
   * @param pins pinned roots
   * @param corruptBlocksRemoved blocks found damaged on read and removed
   */
  public record Repo(long blocks, long bytes, long quotaBytes, int pins,
      long corruptBlocksRemoved) {}

  /**
   * @param blocks unpinned blocks kept as cache
   * @param bytes their bytes
   * @param quotaBytes the most the cache keeps before evicting; 0 for no limit
   */
  public record Cache(long blocks, long bytes, long quotaBytes) {}

  /** Blocks and their bytes exchanged over Bitswap (received counts duplicates). */
  public record Bitswap(long blocksSent, long blocksReceived, long bytesSent, long bytesReceived) {}

  /**
   * @param requests requests answered
   * @param errors those answered with a 5xx status or not at all
   * @param bodyBytes response body bytes sent
   */
  public record Gateway(long requests, long errors, long bodyBytes) {}
}
