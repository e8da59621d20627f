package io.mycel.net.autonat;

import io.mycel.core.peer.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts dial-back requests per peer and in total within fixed windows, so that a server cannot
 * be turned into a dialing machine. Pure logic with an injected clock.
 */
final class DialBackLimiter {

  private final int perPeer;
  private final int total;
  private final Duration window;
  private final InstantSource clock;
  private final Map<PeerId, Integer> counts = new HashMap<>();
  private int totalCount;
  private Instant windowStart;

  DialBackLimiter(int perPeer, int total, Duration window, InstantSource clock) {
    this.perPeer = perPeer;
    this.total = total;
    this.window = window;
    this.clock = clock;
    this.windowStart = clock.instant();
  }

  /** Counts a request of {@code peer}; false when it is past either limit (and not counted). */
  synchronized boolean tryAcquire(PeerId peer) {
    Instant now = clock.instant();
    if (!now.isBefore(windowStart.plus(window))) {
      counts.clear();
      totalCount = 0;
      windowStart = now;
    }
    int mine = counts.getOrDefault(peer, 0);
    if (mine >= perPeer || totalCount >= total) {
      return false;
    }
    counts.put(peer, mine + 1);
    totalCount++;
    return true;
  }
}
