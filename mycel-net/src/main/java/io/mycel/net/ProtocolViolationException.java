package io.mycel.net;

/** The remote peer broke a protocol rule (malformed, oversized or unexpected input). */
public class ProtocolViolationException extends MycelNetException {
  public ProtocolViolationException(String message) {
    super(message);
  }

  public ProtocolViolationException(String message, Throwable cause) {
    super(message, cause);
  }
}
