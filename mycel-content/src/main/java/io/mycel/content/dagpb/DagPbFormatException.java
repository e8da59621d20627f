package io.mycel.content.dagpb;

/** Bytes that are not a valid dag-pb block, or a node that cannot be encoded canonically. */
public class DagPbFormatException extends IllegalArgumentException {
  public DagPbFormatException(String message) {
    super(message);
  }
}
