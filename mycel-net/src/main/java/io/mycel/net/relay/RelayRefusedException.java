package io.mycel.net.relay;

import io.mycel.net.MycelNetException;
import io.mycel.net.relay.pb.CircuitProtos.Status;

/** A relay or the reached peer answered a reservation or connect request with an error status. */
public final class RelayRefusedException extends MycelNetException {
  private final Status status;

  public RelayRefusedException(Status status, String message) {
    super(message + " (" + status + ")");
    this.status = status;
  }

  /** The status the remote side answered, e.g. {@code NO_RESERVATION}. */
  public Status status() {
    return status;
  }
}
