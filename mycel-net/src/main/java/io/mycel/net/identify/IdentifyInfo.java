package io.mycel.net.identify;

import io.mycel.core.crypto.PublicKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.PeerStore;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What one Identify message announced, after decoding. Fields the message left out (or that
 * could not be decoded) are {@code null} or empty lists.
 *
 * @param protocolVersion the family of protocols the peer speaks, e.g. {@code ipfs/0.1.0}
 * @param agentVersion the peer's implementation, e.g. {@code kubo/0.29.0}
 * @param publicKey the peer's public key
 * @param listenAddresses the addresses the peer listens on
 * @param observedAddress our address as the peer sees it
 * @param protocols the protocols the peer accepts inbound streams for
 */
public record IdentifyInfo(
    String protocolVersion,
    String agentVersion,
    PublicKey publicKey,
    List<Multiaddr> listenAddresses,
    Multiaddr observedAddress,
    List<String> protocols) {

  public IdentifyInfo {
    listenAddresses = List.copyOf(listenAddresses);
    protocols = List.copyOf(protocols);
  }

  /**
   * The peer store's record of {@code peer} after this message: announced fields replace the
   * known ones, absent fields keep them (a push may carry only what changed, per the <a
   * href="https://github.com/libp2p/specs/blob/master/identify/README.md#identifypush">spec</a>),
   * and announced addresses come first, followed by the ones known before.
   *
   * @param known what the store held before, or {@code null}
   */
  public PeerStore.PeerInfo mergeInto(PeerId peer, PeerStore.PeerInfo known) {
    LinkedHashSet<Multiaddr> addresses = new LinkedHashSet<>(listenAddresses);
    if (known != null) {
      addresses.addAll(known.addresses());
    }
    return new PeerStore.PeerInfo(
        peer,
        List.copyOf(addresses),
        !protocols.isEmpty() || known == null ? protocols : known.protocols(),
        pick(agentVersion, known == null ? null : known.agentVersion()),
        pick(protocolVersion, known == null ? null : known.protocolVersion()),
        pick(publicKey, known == null ? null : known.publicKey()),
        pick(observedAddress, known == null ? null : known.observedAddress()));
  }

  private static <T> T pick(T announced, T known) {
    return announced != null ? announced : known;
  }
}
