package io.mycel.content.unixfs;

/**
 * A block that is not a well-formed UnixFS node, or a DAG whose nodes contradict each other
 * (sizes that do not add up, a cycle, a depth or size beyond the limits).
 */
public class UnixfsFormatException extends IllegalArgumentException {
  public UnixfsFormatException(String message) {
    super(message);
  }

  public UnixfsFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
