package io.mycel.sdk;

import java.io.IOException;

/** The daemon refused or failed a request; {@link #status()} is the HTTP status it answered. */
public final class MycelApiException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public MycelApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status (e.g. 400 for a bad argument, 404 for something missing, 403 refused). */
  public int status() {
    return status;
  }
}
