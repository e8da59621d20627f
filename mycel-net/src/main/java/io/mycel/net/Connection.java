package io.mycel.net;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.multiaddr.Protocol;
import io.mycel.core.peer.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A secured, multiplexed connection to one remote peer. */
public interface Connection {

  /** The remote peer, authenticated by the security handshake. */
  PeerId remotePeer();

  /** The local peer. */
  PeerId localPeer();

  /** The remote address of the underlying transport connection. */
  Multiaddr remoteAddress();

  /** The local address of the underlying transport connection. */
  Multiaddr localAddress();

  /**
   * Whether the connection runs through a relay (its remote address contains
   * {@code /p2p-circuit}) rather than directly over a transport.
   */
  default boolean isRelayed() {
    return remoteAddress() != null && remoteAddress().has(Protocol.P2P_CIRCUIT);
  }

  /** Whether this side dialed. */
  boolean isInitiator();

  /** The negotiated security protocol, e.g. {@code /noise}. */
  String securityProtocol();

  /** The negotiated muxer protocol, e.g. {@code /yamux/1.0.0}. */
  String muxerProtocol();

  /**
   * Opens a stream and negotiates the first of {@code protocols} the remote side supports.
   * Fails with {@link ProtocolNegotiationException} if it supports none.
   */
  CompletableFuture<Stream> openStream(List<String> protocols);

  default CompletableFuture<Stream> openStream(String protocol) {
    return openStream(List.of(protocol));
  }

  /** Streams currently open on this connection. */
  int streamCount();

  /** Muxer-level round trip (Yamux ping), not the libp2p ping protocol. */
  CompletableFuture<Duration> muxerPing();

  /** Closes the connection gracefully (Yamux go-away, then TCP close). */
  CompletableFuture<Void> close();

  /** Completes when the connection is closed, for whatever reason. */
  CompletableFuture<Void> closeFuture();

  boolean isOpen();
}
