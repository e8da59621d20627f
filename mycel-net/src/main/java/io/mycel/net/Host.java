package io.mycel.net;

import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A libp2p host: listens, dials, secures and multiplexes connections, and dispatches inbound
 * streams to the protocols in its {@link #protocols() registry}.
 */
public interface Host extends AutoCloseable {

  PeerId peerId();

  PrivateKey privateKey();

  /** The agent version announced by identify, e.g. {@code mycel/0.1.0}. */
  String agentVersion();

  /** Addresses the host listens on, with concrete ports, without the /p2p suffix. */
  List<Multiaddr> listenAddresses();

  /**
   * Addresses other peers can reach this host on, as announced by identify: the listen
   * addresses and, for a host reserved on relays, its {@code /p2p-circuit} addresses.
   */
  default List<Multiaddr> advertisedAddresses() {
    return listenAddresses();
  }

  ProtocolRegistry protocols();

  PeerStore peerStore();

  /**
   * Dials {@code address}. When it ends in {@code /p2p/<id>} the handshake must authenticate
   * exactly that peer, or the dial fails with {@link PeerIdMismatchException}. Reuses an open
   * connection to that peer when there is one.
   */
  CompletableFuture<Connection> dial(Multiaddr address);

  /** Dials a known peer on the addresses the peer store holds for it. */
  CompletableFuture<Connection> dial(PeerId peer);

  /** Opens a stream to {@code peer}, dialing first when not connected. */
  CompletableFuture<Stream> newStream(PeerId peer, List<String> protocols);

  /** Open connections, all peers. */
  List<Connection> connections();

  List<Connection> connections(PeerId peer);

  void addListener(ConnectionListener listener);

  /** Stops listening and closes every connection. */
  @Override
  void close();

  /** Notified as connections open and close; called off the I/O threads. */
  interface ConnectionListener {
    default void connected(Connection connection) {}

    default void disconnected(Connection connection) {}
  }
}
