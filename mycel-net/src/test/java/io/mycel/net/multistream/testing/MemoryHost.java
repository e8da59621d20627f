package io.mycel.net.multistream.testing;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.Host;
import io.mycel.net.PeerStore;
import io.mycel.net.Stream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Host} without a network, for protocol tests: hosts are joined with {@link
 * #connect(MemoryHost, MemoryHost)}, streams are negotiated with the real multistream-select code
 * over in-memory pipes. Dialing by address is not supported.
 */
public final class MemoryHost implements Host {

  private static final AtomicInteger nextPort = new AtomicInteger(4101);

  private final PrivateKey privateKey;
  private final PeerId peerId;
  private final String agentVersion;
  private final Multiaddr connectAddress;
  private volatile List<Multiaddr> listenAddresses;
  private final MemoryRegistry registry = new MemoryRegistry();
  private final PeerStore peerStore = new PeerStore();
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

  public MemoryHost(String agentVersion) {
    this(Ed25519.generate(), agentVersion);
  }

  public MemoryHost(PrivateKey privateKey, String agentVersion) {
    this.privateKey = privateKey;
    this.peerId = PeerId.fromPublicKey(privateKey.publicKey());
    this.agentVersion = agentVersion;
    int port = nextPort.getAndIncrement();
    this.connectAddress = Multiaddr.parse("/ip4/10.0.0.1/tcp/" + port);
    this.listenAddresses = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port));
  }

  /** Connects {@code a} to {@code b}, notifying both hosts' listeners; returns a's side. */
  public static Connection connect(MemoryHost a, MemoryHost b) {
    return connect(a, b, b.peerId());
  }

  /** Like {@link #connect(MemoryHost, MemoryHost)}, but {@code a} believes b is {@code bAsSeenByA}. */
  public static Connection connect(MemoryHost a, MemoryHost b, PeerId bAsSeenByA) {
    MemoryConnection[] pair = MemoryConnection.pair(a, b, bAsSeenByA);
    a.connections.add(pair[0]);
    b.connections.add(pair[1]);
    a.listeners.forEach(l -> l.connected(pair[0]));
    b.listeners.forEach(l -> l.connected(pair[1]));
    return pair[0];
  }

  /** The address the other side of a connection sees this host at. */
  public Multiaddr connectAddress() {
    return connectAddress;
  }

  public void setListenAddresses(List<Multiaddr> addresses) {
    this.listenAddresses = List.copyOf(addresses);
  }

  void removeConnection(Connection connection) {
    if (connections.remove(connection)) {
      listeners.forEach(l -> l.disconnected(connection));
    }
  }

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public PrivateKey privateKey() {
    return privateKey;
  }

  @Override
  public String agentVersion() {
    return agentVersion;
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    return listenAddresses;
  }

  @Override
  public MemoryRegistry protocols() {
    return registry;
  }

  @Override
  public PeerStore peerStore() {
    return peerStore;
  }

  @Override
  public CompletableFuture<Connection> dial(Multiaddr address) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("memory host"));
  }

  @Override
  public CompletableFuture<Connection> dial(PeerId peer) {
    return connections(peer).stream()
        .findFirst()
        .map(CompletableFuture::completedFuture)
        .orElseGet(
            () -> CompletableFuture.failedFuture(new UnsupportedOperationException("memory host")));
  }

  @Override
  public CompletableFuture<Stream> newStream(PeerId peer, List<String> protocols) {
    return dial(peer).thenCompose(c -> c.openStream(protocols));
  }

  @Override
  public List<Connection> connections() {
    return List.copyOf(connections);
  }

  @Override
  public List<Connection> connections(PeerId peer) {
    return connections.stream().filter(c -> c.remotePeer().equals(peer)).toList();
  }

  @Override
  public void addListener(ConnectionListener listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    for (Connection connection : connections) {
      connection.close();
    }
  }
}
