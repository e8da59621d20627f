package io.mycel.testkit.js;

/**
 * A command sent to a {@link JsPeer} failed on the JavaScript side, or the peer process
 * could not be started, answered garbage or went away.
 */
public final class JsPeerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String errorName;

  public JsPeerException(String message) {
    this(message, null, null);
  }

  public JsPeerException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /**
   * @param errorName the JavaScript error's {@code name} (for instance {@code EncryptionFailedError}),
   *     or null when the failure did not come from a JavaScript error
   */
  public JsPeerException(String message, String errorName, Throwable cause) {
    super(message, cause);
    this.errorName = errorName;
  }

  /** The JavaScript error's {@code name}, or null. */
  public String errorName() {
    return errorName;
  }
}
