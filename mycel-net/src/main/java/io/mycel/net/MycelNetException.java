package io.mycel.net;

/** Root of the network errors; subclasses say who is at fault. */
public class MycelNetException extends RuntimeException {
  public MycelNetException(String message) {
    super(message);
  }

  public MycelNetException(String message, Throwable cause) {
    super(message, cause);
  }
}
