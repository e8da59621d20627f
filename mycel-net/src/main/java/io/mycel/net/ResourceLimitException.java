package io.mycel.net;

/** A local resource limit (connections, streams, buffers) refused the operation. */
public class ResourceLimitException extends MycelNetException {
  public ResourceLimitException(String message) {
    super(message);
  }
}
