package io.mycel.routing.mdns;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import java.util.List;
import java.util.Objects;

/**
 * A peer announced on the local network. Nothing here is authenticated: the id is what the
 * response claims, and a dial to {@code address.withPeerId(peerId)} proves or refutes it.
 *
 * @param peerId the id every announced address ended with
 * @param addresses its addresses, without the {@code /p2p/} suffix, in announced order
 */
public record DiscoveredPeer(PeerId peerId, List<Multiaddr> addresses) {
  public DiscoveredPeer {
    Objects.requireNonNull(peerId, "peerId");
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("a discovered peer needs at least one address");
    }
  }
}
