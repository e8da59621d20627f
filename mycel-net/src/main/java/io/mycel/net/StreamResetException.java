package io.mycel.net;

import java.io.IOException;

/** Thrown by a {@link Stream}'s input or output after the stream was reset. */
public class StreamResetException extends IOException {
  public StreamResetException(String message) {
    super(message);
  }
}
