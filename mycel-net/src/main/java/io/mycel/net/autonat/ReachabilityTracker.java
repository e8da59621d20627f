package io.mycel.net.autonat;

import io.mycel.core.multiaddr.Multiaddr;
import java.util.Objects;

/**
 * Turns AutoNAT answers into a {@link Reachability} with a confidence, as go-libp2p does: an
 * answer agreeing with the status raises the confidence up to a maximum, a contrary one lowers
 * it, and flips the status only once the confidence is zero. One lucky or unlucky answer thus
 * does not undo several consistent ones. Answers that carry no information (refusals, errors,
 * timeouts) change nothing. Pure logic, not thread-safe.
 */
public final class ReachabilityTracker {

  /** The status at one moment. {@code publicAddress} is the last address dialed back, if any. */
  public record Status(Reachability reachability, int confidence, Multiaddr publicAddress) {
    public Status {
      Objects.requireNonNull(reachability, "reachability");
    }

    public static final Status UNKNOWN = new Status(Reachability.UNKNOWN, 0, null);
  }

  private final int maxConfidence;
  private Status status = Status.UNKNOWN;

  public ReachabilityTracker(int maxConfidence) {
    if (maxConfidence < 1) {
      throw new IllegalArgumentException("maxConfidence must be at least 1: " + maxConfidence);
    }
    this.maxConfidence = maxConfidence;
  }

  public Status status() {
    return status;
  }

  /** A peer dialed us back on {@code address}. */
  public Status dialedBack(Multiaddr address) {
    return record(Reachability.PUBLIC, address);
  }

  /** A peer tried our addresses and reached none. */
  public Status dialFailed() {
    return record(Reachability.PRIVATE, null);
  }

  private Status record(Reachability observed, Multiaddr address) {
    Status current = status;
    if (current.reachability() == Reachability.UNKNOWN) {
      status = new Status(observed, 0, address);
    } else if (current.reachability() == observed) {
      status = new Status(observed, Math.min(maxConfidence, current.confidence() + 1),
          address != null ? address : current.publicAddress());
    } else if (current.confidence() > 0) {
      status = new Status(current.reachability(), current.confidence() - 1, current.publicAddress());
    } else {
      status = new Status(observed, 0, address);
    }
    return status;
  }
}
