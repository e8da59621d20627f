package io.mycel.routing.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

  private static PeerId randomPeer() {
    return PeerId.fromPublicKey(Ed25519.generate().publicKey());
  }

  private static List<Multiaddr> at(String ip) {
    return List.of(Multiaddr.parse("/ip4/" + ip + "/tcp/4001"));
  }

  @Test
  void distanceIsXorOfSha256() {
    KadKey a = KadKey.of(new byte[] {1});
    KadKey b = KadKey.of(new byte[] {2});
    byte[] d = a.distance(b);
    for (int i = 0; i < KadKey.LENGTH; i++) {
      assertThat(d[i]).isEqualTo((byte) (a.hash()[i] ^ b.hash()[i]));
    }
    assertThat(a.commonPrefixLength(a)).isEqualTo(256);
    assertThat(a.distance(a)).containsOnly(0);
  }

  @Test
  void commonPrefixLengthCountsLeadingEqualBits() {
    byte[] x = new byte[32];
    byte[] y = new byte[32];
    y[1] = 0x10;
    assertThat(new KadKey(x).commonPrefixLength(new KadKey(y))).isEqualTo(11);
  }

  @Test
  void peerKeyIsHashOfMultihashBytes() {
    PeerId p = randomPeer();
    assertThat(KadKey.of(p)).isEqualTo(KadKey.of(p.bytes()));
  }

  @Test
  void closestReturnsPeersInXorOrder() {
    PeerId self = randomPeer();
    RoutingTable table = new RoutingTable(self, 20);
    List<PeerId> peers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      PeerId p = randomPeer();
      if (table.add(p, at("127.0.0.1")) == RoutingTable.AddResult.ADDED) {
        peers.add(p);
      }
    }
    KadKey target = KadKey.of(new byte[] {42});
    List<PeerId> expected =
        peers.stream()
            .sorted(
                Comparator.comparing(
                    (PeerId p) -> KadKey.of(p).distance(target), Arrays::compareUnsigned))
            .limit(7)
            .toList();
    assertThat(table.closest(target, 7)).isEqualTo(expected);
  }

  @Test
  void refusesSelfAndDuplicates() {
    PeerId self = randomPeer();
    RoutingTable table = new RoutingTable(self, 20);
    assertThat(table.add(self, at("1.2.3.4"))).isEqualTo(RoutingTable.AddResult.SELF);
    PeerId p = randomPeer();
    assertThat(table.add(p, at("1.2.3.4"))).isEqualTo(RoutingTable.AddResult.ADDED);
    assertThat(table.add(p, at("1.2.3.4"))).isEqualTo(RoutingTable.AddResult.ALREADY_PRESENT);
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void fullBucketKeepsItsPeers() {
    PeerId self = randomPeer();
    int k = 2;
    RoutingTable table = new RoutingTable(self, k);
    KadKey selfKey = KadKey.of(self);
    // Bucket 0 holds peers whose first bit differs from ours: half of all random peers.
    List<PeerId> bucket0 = new ArrayList<>();
    while (bucket0.size() < 3) {
      PeerId p = randomPeer();
      if (selfKey.commonPrefixLength(KadKey.of(p)) == 0) {
        bucket0.add(p);
      }
    }
    assertThat(table.add(bucket0.get(0), at("10.0.0.1"))).isEqualTo(RoutingTable.AddResult.ADDED);
    assertThat(table.add(bucket0.get(1), at("10.0.0.2"))).isEqualTo(RoutingTable.AddResult.ADDED);
    assertThat(table.add(bucket0.get(2), at("10.0.0.3")))
        .isEqualTo(RoutingTable.AddResult.BUCKET_FULL);
    assertThat(table.contains(bucket0.get(0))).isTrue();
    assertThat(table.contains(bucket0.get(2))).isFalse();
    table.remove(bucket0.get(0));
    assertThat(table.add(bucket0.get(2), at("10.0.0.3"))).isEqualTo(RoutingTable.AddResult.ADDED);
  }

  @Test
  void atMostTwoPeersOfOnePublicSlash24PerBucket() {
    PeerId self = randomPeer();
    RoutingTable table = new RoutingTable(self, 20);
    KadKey selfKey = KadKey.of(self);
    List<PeerId> bucket0 = new ArrayList<>();
    while (bucket0.size() < 4) {
      PeerId p = randomPeer();
      if (selfKey.commonPrefixLength(KadKey.of(p)) == 0) {
        bucket0.add(p);
      }
    }
    assertThat(table.add(bucket0.get(0), at("203.0.113.1"))).isEqualTo(RoutingTable.AddResult.ADDED);
    assertThat(table.add(bucket0.get(1), at("203.0.113.2"))).isEqualTo(RoutingTable.AddResult.ADDED);
    assertThat(table.add(bucket0.get(2), at("203.0.113.3")))
        .isEqualTo(RoutingTable.AddResult.IP_GROUP_FULL);
    assertThat(table.add(bucket0.get(3), at("203.0.114.3"))).isEqualTo(RoutingTable.AddResult.ADDED);
  }

  @Test
  void atMostTwoPeersOfOnePublicSlash48PerBucket() {
    PeerId self = randomPeer();
    RoutingTable table = new RoutingTable(self, 20);
    KadKey selfKey = KadKey.of(self);
    List<PeerId> bucket0 = new ArrayList<>();
    while (bucket0.size() < 4) {
      PeerId p = randomPeer();
      if (selfKey.commonPrefixLength(KadKey.of(p)) == 0) {
        bucket0.add(p);
      }
    }
    List<Multiaddr> a = List.of(Multiaddr.parse("/ip6/2001:db8:1::1/tcp/1"));
    List<Multiaddr> b = List.of(Multiaddr.parse("/ip6/2001:db8:1:ff::2/tcp/1"));
    List<Multiaddr> c = List.of(Multiaddr.parse("/ip6/2001:db8:1:7::3/tcp/1"));
    List<Multiaddr> other = List.of(Multiaddr.parse("/ip6/2001:db8:2::1/tcp/1"));
    assertThat(table.add(bucket0.get(0), a)).isEqualTo(RoutingTable.AddResult.ADDED);
    assertThat(table.add(bucket0.get(1), b)).isEqualTo(RoutingTable.AddResult.ADDED);
    assertThat(table.add(bucket0.get(2), c)).isEqualTo(RoutingTable.AddResult.IP_GROUP_FULL);
    assertThat(table.add(bucket0.get(3), other)).isEqualTo(RoutingTable.AddResult.ADDED);
  }

  @Test
  void loopbackAndPrivateAddressesAreNotLimited() {
    PeerId self = randomPeer();
    RoutingTable table = new RoutingTable(self, 20);
    for (int i = 0; i < 30; i++) {
      table.add(randomPeer(), at(i % 2 == 0 ? "127.0.0.1" : "192.168.1.1"));
    }
    assertThat(table.size()).isGreaterThan(2 * 9);
  }
}
