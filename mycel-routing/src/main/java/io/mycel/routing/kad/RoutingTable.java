package io.mycel.routing.kad;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.multiaddr.Protocol;
import io.mycel.core.peer.PeerId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kademlia routing table (<a
 * href="https://github.com/libp2p/specs/blob/master/kad-dht/README.md#kademlia-routing-table">spec</a>):
 * one bucket of at most {@code k} peers per common-prefix length with the local key.
 *
 * <p>A full bucket keeps its peers: live peers are never evicted for new ones, only peers that
 * failed a query are {@link #remove removed}. As a defence against eclipse attacks a bucket holds
 * at most {@value #MAX_PER_IP_GROUP} peers of one public /24 IPv4 or /48 IPv6 network; loopback,
 * private and link-local addresses are not limited.
 */
public final class RoutingTable {

  public static final int MAX_PER_IP_GROUP = 2;

  /** Outcome of {@link #add}. */
  public enum AddResult {
    ADDED,
    ALREADY_PRESENT,
    SELF,
    BUCKET_FULL,
    IP_GROUP_FULL
  }

  /** A peer in a bucket with the network group of the address it was added with. */
  private record Entry(PeerId peer, KadKey key, Optional<String> ipGroup) {}

  private final PeerId self;
  private final KadKey selfKey;
  private final int k;
  private final List<List<Entry>> buckets = new ArrayList<>();

  public RoutingTable(PeerId self, int k) {
    this.self = Objects.requireNonNull(self, "self");
    this.selfKey = KadKey.of(self);
    this.k = k;
    for (int i = 0; i <= KadKey.LENGTH * 8; i++) {
      buckets.add(new ArrayList<>());
    }
  }

  /**
   * Adds {@code peer}, reached at {@code addresses} (used for the network group check; the first
   * address with an IP decides).
   */
  public synchronized AddResult add(PeerId peer, List<Multiaddr> addresses) {
    if (peer.equals(self)) {
      return AddResult.SELF;
    }
    KadKey key = KadKey.of(peer);
    List<Entry> bucket = buckets.get(selfKey.commonPrefixLength(key));
    for (Entry e : bucket) {
      if (e.peer.equals(peer)) {
        return AddResult.ALREADY_PRESENT;
      }
    }
    if (bucket.size() >= k) {
      return AddResult.BUCKET_FULL;
    }
    Optional<String> group = ipGroup(addresses);
    if (group.isPresent()) {
      long same = bucket.stream().filter(e -> e.ipGroup.equals(group)).count();
      if (same >= MAX_PER_IP_GROUP) {
        return AddResult.IP_GROUP_FULL;
      }
    }
    bucket.add(new Entry(peer, key, group));
    return AddResult.ADDED;
  }

  public synchronized boolean remove(PeerId peer) {
    KadKey key = KadKey.of(peer);
    return buckets.get(selfKey.commonPrefixLength(key)).removeIf(e -> e.peer.equals(peer));
  }

  public synchronized boolean contains(PeerId peer) {
    KadKey key = KadKey.of(peer);
    return buckets.get(selfKey.commonPrefixLength(key)).stream().anyMatch(e -> e.peer.equals(peer));
  }

  public synchronized int size() {
    return buckets.stream().mapToInt(List::size).sum();
  }

  /** The {@code n} peers closest to {@code target}, closest first. */
  public synchronized List<PeerId> closest(KadKey target, int n) {
    Comparator<KadKey> order = KadKey.byDistanceTo(target);
    return buckets.stream()
        .flatMap(List::stream)
        .sorted((a, b) -> order.compare(a.key, b.key))
        .limit(n)
        .map(Entry::peer)
        .toList();
  }

  /** The /24 (IPv4) or /48 (IPv6) network of the first public IP address, if any. */
  static Optional<String> ipGroup(List<Multiaddr> addresses) {
    for (Multiaddr address : addresses) {
      Optional<String> ip4 = address.valueOf(Protocol.IP4);
      Optional<String> ip6 = address.valueOf(Protocol.IP6);
      Optional<String> text = ip4.isPresent() ? ip4 : ip6;
      if (text.isEmpty()) {
        continue;
      }
      InetAddress ip;
      try {
        ip = InetAddress.getByName(text.get());
      } catch (UnknownHostException e) {
        continue;
      }
      if (ip.isLoopbackAddress()
          || ip.isSiteLocalAddress()
          || ip.isLinkLocalAddress()
          || ip.isAnyLocalAddress()) {
        return Optional.empty();
      }
      byte[] bytes = ip.getAddress();
      int prefix = bytes.length == 4 ? 3 : 6;
      return Optional.of(
          (bytes.length == 4 ? "ip4:" : "ip6:")
              + Arrays.toString(Arrays.copyOf(bytes, prefix)));
    }
    return Optional.empty();
  }
}
