package io.mycel.net;

import io.mycel.core.crypto.PublicKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What this host knows of other peers: addresses, protocols and identify metadata. */
public final class PeerStore {

  /** Everything known about one peer; immutable, replaced as a whole on update. */
  public record PeerInfo(
      PeerId peerId,
      List<Multiaddr> addresses,
      List<String> protocols,
      String agentVersion,
      String protocolVersion,
      PublicKey publicKey,
      Multiaddr observedAddress) {
    public PeerInfo {
      addresses = List.copyOf(addresses);
      protocols = List.copyOf(protocols);
    }

    static PeerInfo empty(PeerId peerId) {
      return new PeerInfo(peerId, List.of(), List.of(), null, null, null, null);
    }
  }

  private final Map<PeerId, PeerInfo> peers = new ConcurrentHashMap<>();

  public Optional<PeerInfo> get(PeerId peer) {
    return Optional.ofNullable(peers.get(peer));
  }

  public Collection<PeerInfo> all() {
    return List.copyOf(peers.values());
  }

  /** Adds addresses learned from a dial, a config or a routing answer. */
  public void addAddresses(PeerId peer, List<Multiaddr> addresses) {
    peers.compute(
        peer,
        (id, old) -> {
          PeerInfo base = old == null ? PeerInfo.empty(id) : old;
          java.util.LinkedHashSet<Multiaddr> merged = new java.util.LinkedHashSet<>(base.addresses());
          merged.addAll(addresses);
          return new PeerInfo(
              id,
              List.copyOf(merged),
              base.protocols(),
              base.agentVersion(),
              base.protocolVersion(),
              base.publicKey(),
              base.observedAddress());
        });
  }

  /** Records what the peer announced about itself through identify. */
  public void putIdentify(PeerInfo info) {
    peers.put(info.peerId(), info);
  }
}
