package io.mycel.node.api;

/**
 * A request the API refuses or cannot serve; answered with {@code status} and the JSON body
 * {@code {"error": message, "code": status}}.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public ApiException(int status, String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an API error status must be 4xx or 5xx: " + status);
    }
    this.status = status;
  }

  public ApiException(int status, String message, Throwable cause) {
    this(status, message);
    initCause(cause);
  }

  /** 400: a missing or malformed argument. */
  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  /** 404: the named thing does not exist. */
  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  /** 409: the request conflicts with the node's state. */
  public static ApiException conflict(String message) {
    return new ApiException(409, message);
  }

  public int status() {
    return status;
  }
}
