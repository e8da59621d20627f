package io.mycel.net;

/** The connection or stream closed before the operation finished. */
public class ConnectionClosedException extends MycelNetException {
  public ConnectionClosedException(String message) {
    super(message);
  }
}
