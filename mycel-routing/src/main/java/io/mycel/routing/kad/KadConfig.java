package io.mycel.routing.kad;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and parameters of the Kademlia DHT (<a
 * href="https://github.com/libp2p/specs/blob/master/kad-dht/README.md">spec</a>).
 *
 * @param k bucket size and replication parameter
 * @param alpha concurrent requests of one lookup
 * @param maxMessageSize largest message read or written, in bytes
 * @param maxPeersPerReply closer or provider peers taken from one reply; the rest is ignored
 * @param queryTimeout limit of one request to one peer, dial included
 * @param lookupTimeout limit of a whole iterative lookup
 * @param maxQueriesPerLookup peers one lookup contacts at most
 * @param providerTtl how long a provider record is kept
 * @param maxProvidersPerKey provider records kept per key
 * @param maxRecords value records kept
 * @param clientMode whether to stay out of other peers' routing tables (no protocol registered)
 * @param lookupPeerTimeout how long a lookup waits for one peer before it goes on without it:
 *     the peer then frees its place among the {@code alpha} requests in flight and no longer
 *     holds up the end of the lookup once {@code k} closer or farther peers have answered; a
 *     reply that still comes while the lookup runs is used, and the peer counts as failed (and
 *     leaves the routing table) only when {@code queryTimeout} ends its request
 */
public record KadConfig(
    int k,
    int alpha,
    int maxMessageSize,
    int maxPeersPerReply,
    Duration queryTimeout,
    Duration lookupTimeout,
    int maxQueriesPerLookup,
    Duration providerTtl,
    int maxProvidersPerKey,
    int maxRecords,
    boolean clientMode,
    Duration lookupPeerTimeout) {

  public static final int DEFAULT_K = 20;
  /**
   * The spec's lookup concurrency. With 3, a lookup needs about twice as long to hear from the
   * k closest peers (20-200 ms links, simulated: docs/benchmarks.md, DHT at scale).
   */
  public static final int DEFAULT_ALPHA = 10;
  /** go-libp2p-kad-dht's limit for one message. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;
  public static final int DEFAULT_MAX_PEERS_PER_REPLY = DEFAULT_K;
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofMinutes(1);
  /**
   * A lookup's patience with one peer: a new connection and one request take at most 1.2 s on
   * 20-200 ms links, while a peer that has left holds a whole lookup for the dial or query
   * timeout (docs/benchmarks.md, DHT at scale).
   */
  public static final Duration DEFAULT_LOOKUP_PEER_TIMEOUT = Duration.ofSeconds(2);
  public static final int DEFAULT_MAX_QUERIES_PER_LOOKUP = 10 * DEFAULT_K;
  /** The spec's provider record expiry. */
  public static final Duration DEFAULT_PROVIDER_TTL = Duration.ofHours(48);
  public static final int DEFAULT_MAX_PROVIDERS_PER_KEY = 100;
  public static final int DEFAULT_MAX_RECORDS = 10_000;

  public static final KadConfig DEFAULT =
      new KadConfig(
          DEFAULT_K,
          DEFAULT_ALPHA,
          DEFAULT_MAX_MESSAGE_SIZE,
          DEFAULT_MAX_PEERS_PER_REPLY,
          DEFAULT_QUERY_TIMEOUT,
          DEFAULT_LOOKUP_TIMEOUT,
          DEFAULT_MAX_QUERIES_PER_LOOKUP,
          DEFAULT_PROVIDER_TTL,
          DEFAULT_MAX_PROVIDERS_PER_KEY,
          DEFAULT_MAX_RECORDS,
          false,
          DEFAULT_LOOKUP_PEER_TIMEOUT);

  public KadConfig {
    positive("k", k);
    positive("alpha", alpha);
    positive("maxMessageSize", maxMessageSize);
    positive("maxPeersPerReply", maxPeersPerReply);
    positive("maxQueriesPerLookup", maxQueriesPerLookup);
    positive("maxProvidersPerKey", maxProvidersPerKey);
    positive("maxRecords", maxRecords);
    Objects.requireNonNull(queryTimeout, "queryTimeout");
    Objects.requireNonNull(lookupTimeout, "lookupTimeout");
    Objects.requireNonNull(providerTtl, "providerTtl");
    Objects.requireNonNull(lookupPeerTimeout, "lookupPeerTimeout");
    if (lookupPeerTimeout.isNegative() || lookupPeerTimeout.isZero()) {
      throw new IllegalArgumentException(
          "lookupPeerTimeout must be positive: " + lookupPeerTimeout);
    }
  }

  public KadConfig withClientMode(boolean client) {
    return new KadConfig(k, alpha, maxMessageSize, maxPeersPerReply, queryTimeout, lookupTimeout,
        maxQueriesPerLookup, providerTtl, maxProvidersPerKey, maxRecords, client,
        lookupPeerTimeout);
  }

  public KadConfig withQueryTimeout(Duration timeout) {
    return new KadConfig(k, alpha, maxMessageSize, maxPeersPerReply, timeout, lookupTimeout,
        maxQueriesPerLookup, providerTtl, maxProvidersPerKey, maxRecords, clientMode,
        lookupPeerTimeout);
  }

  public KadConfig withAlpha(int newAlpha) {
    return new KadConfig(k, newAlpha, maxMessageSize, maxPeersPerReply, queryTimeout,
        lookupTimeout, maxQueriesPerLookup, providerTtl, maxProvidersPerKey, maxRecords,
        clientMode, lookupPeerTimeout);
  }

  public KadConfig withMaxMessageSize(int size) {
    return new KadConfig(k, alpha, size, maxPeersPerReply, queryTimeout, lookupTimeout,
        maxQueriesPerLookup, providerTtl, maxProvidersPerKey, maxRecords, clientMode,
        lookupPeerTimeout);
  }

  public KadConfig withLookupPeerTimeout(Duration timeout) {
    return new KadConfig(k, alpha, maxMessageSize, maxPeersPerReply, queryTimeout, lookupTimeout,
        maxQueriesPerLookup, providerTtl, maxProvidersPerKey, maxRecords, clientMode, timeout);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
