package io.mycel.net.relay;

import io.mycel.core.peer.PeerId;
import io.mycel.net.relay.pb.CircuitProtos.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The relay's bookkeeping, without I/O: who holds a reservation until when, which circuits are
 * open, and whether a new reservation or circuit fits the {@link RelayLimits}. Expired
 * reservations are dropped as they are met.
 */
final class RelayResources {
  private final RelayLimits limits;
  private final Clock clock;
  private final Map<PeerId, Held> reservations = new HashMap<>();
  private final Map<PeerId, Integer> circuitsPerPeer = new HashMap<>();
  private int circuits;

  RelayResources(RelayLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  private record Held(String ip, Instant expire) {}

  /** The outcome of a reservation request: OK with its expiry, or the refusal status. */
  record Decision(Status status, Instant expire) {}

  /**
   * Reserves (or renews) a slot for {@code peer} connected from {@code ip}. A renewal is not a
   * new reservation: it never counts twice against the caps.
   */
  synchronized Decision reserve(PeerId peer, String ip) {
    Instant now = clock.instant();
    dropExpired(now);
    Held existing = reservations.get(peer);
    if (existing == null) {
      if (reservations.size() >= limits.maxReservations()) {
        return new Decision(Status.RESERVATION_REFUSED, null);
      }
      long fromIp = reservations.values().stream().filter(h -> h.ip().equals(ip)).count();
      if (fromIp >= limits.maxReservationsPerIp()) {
        return new Decision(Status.RESERVATION_REFUSED, null);
      }
    }
    // Whole seconds: the expiry travels as Unix seconds and the voucher must match it.
    Instant expire = Instant.ofEpochSecond(now.plus(limits.reservationTtl()).getEpochSecond());
    reservations.put(peer, new Held(ip, expire));
    return new Decision(Status.OK, expire);
  }

  synchronized boolean hasReservation(PeerId peer) {
    dropExpired(clock.instant());
    return reservations.containsKey(peer);
  }

  synchronized void release(PeerId peer) {
    reservations.remove(peer);
  }

  synchronized int reservationCount() {
    dropExpired(clock.instant());
    return reservations.size();
  }

  /** Admits a circuit from {@code source} to {@code destination}: OK, or why not. */
  synchronized Status admitCircuit(PeerId source, PeerId destination) {
    if (!hasReservation(destination)) {
      return Status.NO_RESERVATION;
    }
    if (circuits >= limits.maxCircuits()
        || circuitsPerPeer.getOrDefault(source, 0) >= limits.maxCircuitsPerPeer()
        || circuitsPerPeer.getOrDefault(destination, 0) >= limits.maxCircuitsPerPeer()) {
      return Status.RESOURCE_LIMIT_EXCEEDED;
    }
    circuits++;
    circuitsPerPeer.merge(source, 1, Integer::sum);
    circuitsPerPeer.merge(destination, 1, Integer::sum);
    return Status.OK;
  }

  synchronized void circuitClosed(PeerId source, PeerId destination) {
    circuits--;
    circuitsPerPeer.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
    circuitsPerPeer.computeIfPresent(destination, (k, n) -> n <= 1 ? null : n - 1);
  }

  synchronized int circuitCount() {
    return circuits;
  }

  private void dropExpired(Instant now) {
    for (Iterator<Held> it = reservations.values().iterator(); it.hasNext(); ) {
      if (!it.next().expire().isAfter(now)) {
        it.remove();
      }
    }
  }
}
