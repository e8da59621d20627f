package io.mycel.net.relay;

import io.mycel.core.peer.PeerId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the bytes a relay carries, per peer and per circuit: what later payment for bandwidth
 * is based on. Counts are of relayed payload (the bytes of the end-to-end connection), not of
 * the relay's own hop and stop messages. Peer totals are kept for the relay's lifetime; the
 * last {@link #CLOSED_CIRCUITS_KEPT} closed circuits are kept beside the open ones.
 */
public final class RelayMeter {
  public static final int CLOSED_CIRCUITS_KEPT = 1024;

  private final Clock clock;
  private final AtomicLong nextCircuitId = new AtomicLong(1);
  private final Map<PeerId, PeerCounter> peers = new ConcurrentHashMap<>();
  private final Map<Long, CircuitCounter> open = new ConcurrentHashMap<>();
  private final Deque<CircuitUsage> closed = new ArrayDeque<>();

  public RelayMeter(Clock clock) {
    this.clock = clock;
  }

  /** Starts counting a circuit from {@code source} to {@code destination}. */
  CircuitCounter open(PeerId source, PeerId destination) {
    CircuitCounter circuit = new CircuitCounter(nextCircuitId.getAndIncrement(), source, destination,
        clock.instant(), peer(source), peer(destination));
    open.put(circuit.id, circuit);
    circuit.sourceCounter.circuits.incrementAndGet();
    circuit.destinationCounter.circuits.incrementAndGet();
    return circuit;
  }

  private PeerCounter peer(PeerId peer) {
    return peers.computeIfAbsent(peer, k -> new PeerCounter());
  }

  void close(CircuitCounter circuit) {
    if (open.remove(circuit.id) == null) {
      return;
    }
    synchronized (closed) {
      closed.addLast(circuit.usage(clock.instant()));
      while (closed.size() > CLOSED_CIRCUITS_KEPT) {
        closed.removeFirst();
      }
    }
  }

  /** The counts now: every peer the relay carried bytes for, open and recently closed circuits. */
  public Snapshot snapshot() {
    List<PeerUsage> peerUsage = new ArrayList<>();
    long total = 0;
    for (Map.Entry<PeerId, PeerCounter> e : peers.entrySet()) {
      PeerCounter c = e.getValue();
      peerUsage.add(new PeerUsage(e.getKey(), c.fromPeer.get(), c.toPeer.get(), c.circuits.get()));
      total += c.fromPeer.get();
    }
    peerUsage.sort(Comparator.comparing(PeerUsage::peer));
    List<CircuitUsage> circuits = new ArrayList<>();
    synchronized (closed) {
      circuits.addAll(closed);
    }
    open.values().forEach(c -> circuits.add(c.usage(null)));
    circuits.sort(Comparator.comparingLong(CircuitUsage::id));
    return new Snapshot(clock.instant(), total, peerUsage, circuits);
  }

  /** The counts of one circuit, updated by the threads that relay its two directions. */
  static final class CircuitCounter {
    final long id;
    final PeerId source;
    final PeerId destination;
    final Instant opened;
    final PeerCounter sourceCounter;
    final PeerCounter destinationCounter;
    final AtomicLong sourceToDestination = new AtomicLong();
    final AtomicLong destinationToSource = new AtomicLong();

    CircuitCounter(long id, PeerId source, PeerId destination, Instant opened,
        PeerCounter sourceCounter, PeerCounter destinationCounter) {
      this.id = id;
      this.source = source;
      this.destination = destination;
      this.opened = opened;
      this.sourceCounter = sourceCounter;
      this.destinationCounter = destinationCounter;
    }

    /** Counts {@code bytes} relayed from source to destination, or back when not {@code forward}. */
    void count(boolean forward, long bytes) {
      if (forward) {
        sourceToDestination.addAndGet(bytes);
        sourceCounter.fromPeer.addAndGet(bytes);
        destinationCounter.toPeer.addAndGet(bytes);
      } else {
        destinationToSource.addAndGet(bytes);
        destinationCounter.fromPeer.addAndGet(bytes);
        sourceCounter.toPeer.addAndGet(bytes);
      }
    }

    CircuitUsage usage(Instant closedAt) {
      return new CircuitUsage(id, source, destination, opened, closedAt, sourceToDestination.get(),
          destinationToSource.get());
    }
  }

  private static final class PeerCounter {
    final AtomicLong fromPeer = new AtomicLong();
    final AtomicLong toPeer = new AtomicLong();
    final AtomicLong circuits = new AtomicLong();
  }

  /**
   * What the relay carried for one peer.
   *
   * @param bytesFromPeer relayed bytes the peer sent through the relay
   * @param bytesToPeer relayed bytes the relay delivered to the peer
   * @param circuits circuits the peer took part in, as source or destination
   */
  public record PeerUsage(PeerId peer, long bytesFromPeer, long bytesToPeer, long circuits) {
    public long totalBytes() {
      return bytesFromPeer + bytesToPeer;
    }
  }

  /**
   * One circuit's counts.
   *
   * @param closed when the circuit closed, null while it is open
   */
  public record CircuitUsage(long id, PeerId source, PeerId destination, Instant opened,
      Instant closed, long bytesSourceToDestination, long bytesDestinationToSource) {
    public long totalBytes() {
      return bytesSourceToDestination + bytesDestinationToSource;
    }

    public boolean isOpen() {
      return closed == null;
    }
  }

  /**
   * The meter at one instant.
   *
   * @param totalBytes every byte relayed, both directions of every circuit
   */
  public record Snapshot(Instant taken, long totalBytes, List<PeerUsage> peers,
      List<CircuitUsage> circuits) {
    public Snapshot {
      peers = List.copyOf(peers);
      circuits = List.copyOf(circuits);
    }

    /** The counts of {@code peer}, zero when the relay carried nothing for it. */
    public PeerUsage peer(PeerId peer) {
      return peers.stream().filter(p -> p.peer().equals(peer)).findFirst()
          .orElse(new PeerUsage(peer, 0, 0, 0));
    }
  }
}
