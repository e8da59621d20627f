package io.mycel.testkit.sim;

import java.util.ArrayDeque;

/**
 * One direction of a simulated connection: events sent on it arrive in order, each after the
 * link's latency (and any retransmission delay), like the bytes of one TCP connection. Events
 * from a node that has left are never sent; events reaching a node that has left are dropped.
 */
final class Link {

  private final SimNetwork network;
  private final SimHost from;
  private final SimHost to;
  private final ArrayDeque<Event> queue = new ArrayDeque<>();
  private long lastArrival;

  Link(SimNetwork network, SimHost from, SimHost to) {
    this.network = network;
    this.from = from;
    this.to = to;
  }

  long latencyNanos() {
    return network.latencyNanos(from, to);
  }

  /** Runs {@code onArrival} on the scheduler thread once the event reaches the other side. */
  void send(Runnable onArrival) {
    if (from.hasLeft()) {
      return;
    }
    long now = System.nanoTime();
    long arrival = now + network.transmitNanos(network.latencyNanos(from, to));
    synchronized (this) {
      // A later write never overtakes an earlier one (one byte stream).
      arrival = Math.max(arrival, lastArrival);
      lastArrival = arrival;
      queue.add(new Event(arrival, onArrival));
      network.schedule(arrival - now, this::deliverNext);
    }
  }

  private void deliverNext() {
    Event next;
    synchronized (this) {
      next = queue.poll();
    }
    if (next == null) {
      return;
    }
    network.countLateness(System.nanoTime() - next.arrival);
    if (!to.hasLeft()) {
      next.action.run();
    }
  }

  private record Event(long arrival, Runnable action) {}
}
