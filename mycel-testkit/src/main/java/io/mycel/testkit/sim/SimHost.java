package io.mycel.testkit.sim;

import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.Host;
import io.mycel.net.MycelNetException;
import io.mycel.net.PeerIdMismatchException;
import io.mycel.net.PeerStore;
import io.mycel.net.ProtocolRegistry;
import io.mycel.net.Stream;
import io.mycel.net.host.DefaultProtocolRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Host} of a {@link SimNetwork}: dials cost the configured handshake round trips,
 * streams are in-memory pipes whose writes arrive after the link latency, and identify is
 * modelled as done the moment a connection opens (each side learns the other's listen
 * addresses and protocols).
 *
 * <p>{@link #leave()} makes the node vanish like a crashed machine: it stops sending and
 * answering, dials to it fail after {@link SimConfig#unreachableDialTimeout()}, and streams on
 * connections already open to it stay silent.
 */
public final class SimHost implements Host {

  public static final String AGENT_VERSION = "mycel-sim/0.1.0";

  private final SimNetwork network;
  private final int index;
  private final PrivateKey key;
  private final PeerId peerId;
  private final Multiaddr address;
  private final DefaultProtocolRegistry protocols = new DefaultProtocolRegistry();
  private final PeerStore peerStore = new PeerStore();
  private final Map<PeerId, List<SimConnection>> connections = new ConcurrentHashMap<>();
  private final Map<PeerId, CompletableFuture<Connection>> pendingDials =
      new ConcurrentHashMap<>();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean left;

  SimHost(SimNetwork network, int index, PrivateKey key, Multiaddr address) {
    this.network = network;
    this.index = index;
    this.key = key;
    this.peerId = PeerId.fromPublicKey(key.publicKey());
    this.address = address;
  }

  /** The node's position in its network, which decides its address and link latencies. */
  public int index() {
    return index;
  }

  public SimNetwork network() {
    return network;
  }

  /** Makes this node vanish: from now on it sends nothing and nothing reaches it. */
  public void leave() {
    left = true;
  }

  public boolean hasLeft() {
    return left;
  }

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public PrivateKey privateKey() {
    return key;
  }

  @Override
  public String agentVersion() {
    return AGENT_VERSION;
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    return List.of(address);
  }

  @Override
  public ProtocolRegistry protocols() {
    return protocols;
  }

  @Override
  public PeerStore peerStore() {
    return peerStore;
  }

  @Override
  public CompletableFuture<Connection> dial(Multiaddr address) {
    Optional<PeerId> expected = address.peerId();
    Multiaddr transport = expected.isPresent() ? address.withoutPeerId() : address;
    Optional<SimHost> target = network.hostAt(transport);
    if (target.isEmpty()) {
      return CompletableFuture.failedFuture(
          new MycelNetException("no simulated node listens on " + transport));
    }
    if (expected.isPresent() && !expected.get().equals(target.get().peerId)) {
      return CompletableFuture.failedFuture(
          new PeerIdMismatchException(expected.get(), target.get().peerId));
    }
    return dial(target.get());
  }

  @Override
  public CompletableFuture<Connection> dial(PeerId peer) {
    Optional<Connection> open = openConnection(peer);
    if (open.isPresent()) {
      return CompletableFuture.completedFuture(open.get());
    }
    List<Multiaddr> addresses =
        peerStore.get(peer).map(PeerStore.PeerInfo::addresses).orElse(List.of());
    for (Multiaddr a : addresses) {
      Optional<SimHost> target = network.hostAt(a.peerId().isPresent() ? a.withoutPeerId() : a);
      if (target.isPresent() && target.get().peerId.equals(peer)) {
        return dial(target.get());
      }
    }
    return CompletableFuture.failedFuture(
        new MycelNetException(
            "no address of " + peer + " reaches a simulated node; add one to the peer store"));
  }

  @Override
  public CompletableFuture<Stream> newStream(PeerId peer, List<String> protocolIds) {
    return dial(peer).thenCompose(c -> c.openStream(protocolIds));
  }

  @Override
  public List<Connection> connections() {
    List<Connection> all = new ArrayList<>();
    connections.values().forEach(all::addAll);
    return all;
  }

  @Override
  public List<Connection> connections(PeerId peer) {
    List<SimConnection> list = connections.get(peer);
    return list == null ? List.of() : List.copyOf(list);
  }

  @Override
  public void addListener(ConnectionListener listener) {
    listeners.add(listener);
  }

  /** Leaves the network (see {@link #leave()}). */
  @Override
  public void close() {
    leave();
  }

  private Optional<Connection> openConnection(PeerId peer) {
    List<SimConnection> list = connections.get(peer);
    if (list != null) {
      for (SimConnection c : list) {
        if (c.isOpen()) {
          return Optional.of(c);
        }
      }
    }
    return Optional.empty();
  }

  private CompletableFuture<Connection> dial(SimHost target) {
    if (left) {
      return CompletableFuture.failedFuture(
          new ConnectionClosedException("simulated node " + peerId + " has left the network"));
    }
    if (target == this) {
      return CompletableFuture.failedFuture(new MycelNetException("a node cannot dial itself"));
    }
    Optional<Connection> open = openConnection(target.peerId);
    if (open.isPresent()) {
      return CompletableFuture.completedFuture(open.get());
    }
    CompletableFuture<Connection> fresh = new CompletableFuture<>();
    CompletableFuture<Connection> pending = pendingDials.putIfAbsent(target.peerId, fresh);
    if (pending != null) {
      return pending;
    }
    fresh.whenComplete((c, e) -> pendingDials.remove(target.peerId, fresh));
    handshake(target, fresh);
    return fresh;
  }

  private void handshake(SimHost target, CompletableFuture<Connection> result) {
    network.countDial();
    long start = System.nanoTime();
    long latency = network.latencyNanos(this, target);
    long delay = 0;
    for (int i = 0; i < network.config().handshakeRoundTrips(); i++) {
      delay += network.transmitNanos(latency) + network.transmitNanos(latency);
    }
    network.schedule(
        delay,
        () -> {
          if (left || target.left) {
            long timeout = network.unreachableDialTimeoutNanos();
            network.schedule(
                timeout - (System.nanoTime() - start),
                () ->
                    result.completeExceptionally(
                        new MycelNetException(
                            "dial to " + target.peerId + " timed out: the node does not answer")));
            return;
          }
          SimConnection[] pair = SimConnection.pair(network, this, target);
          target.opened(pair[1], this);
          opened(pair[0], target);
          result.complete(pair[0]);
        });
  }

  /** Records a new connection to {@code remote}, with what identify would have told. */
  private void opened(SimConnection connection, SimHost remote) {
    connections.computeIfAbsent(remote.peerId, p -> new CopyOnWriteArrayList<>()).add(connection);
    peerStore.putIdentify(
        new PeerStore.PeerInfo(
            remote.peerId,
            remote.listenAddresses(),
            remote.protocols.protocols(),
            AGENT_VERSION,
            "ipfs/0.1.0",
            remote.key.publicKey(),
            address));
    for (ConnectionListener listener : listeners) {
      listener.connected(connection);
    }
  }

  void closed(SimConnection connection) {
    List<SimConnection> list = connections.get(connection.remotePeer());
    if (list != null && list.remove(connection)) {
      for (ConnectionListener listener : listeners) {
        listener.disconnected(connection);
      }
    }
  }

  @Override
  public String toString() {
    return "SimHost[" + index + " " + peerId + (left ? " left" : "") + "]";
  }
}
