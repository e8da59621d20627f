package io.mycel.content.unixfs;

/** A byte range that starts beyond the end of the file, or has a negative offset or length. */
public class InvalidRangeException extends IllegalArgumentException {
  public InvalidRangeException(String message) {
    super(message);
  }
}
