package io.mycel.node.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings and limits of the {@link ApiServer}.
 *
 * @param token the bearer token every request must carry ({@code Authorization: Bearer TOKEN});
 *     empty for none, which is allowed only on a loopback address
 * @param maxUrlBytes longest request target accepted; longer ones are answered 414
 * @param maxHeaderBytes largest request header block accepted; larger ones are answered 431
 * @param idleTimeout a connection that reads and writes nothing this long is closed
 * @param chunkBytes size of each body chunk written while streaming
 * @param bodyBufferBytes most bytes of a request body held unread before the connection stops
 *     reading (back-pressure on uploads)
 * @param eventLoopThreads threads of the server's own event loop group
 */
public record ApiOptions(String token, int maxUrlBytes, int maxHeaderBytes, Duration idleTimeout,
    int chunkBytes, int bodyBufferBytes, int eventLoopThreads) {
  public static final int DEFAULT_MAX_URL_BYTES = 8 * 1024;
  public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
  public static final int DEFAULT_CHUNK_BYTES = 64 * 1024;
  public static final int DEFAULT_BODY_BUFFER_BYTES = 1024 * 1024;
  public static final int DEFAULT_EVENT_LOOP_THREADS = 1;
  /** Shortest token accepted: a guessable token is no protection. */
  public static final int MIN_TOKEN_CHARS = 16;

  public ApiOptions {
    Objects.requireNonNull(token, "token");
    if (!token.isEmpty() && (token.length() < MIN_TOKEN_CHARS || !token.matches("[\\x21-\\x7e]+"))) {
      throw new IllegalArgumentException("the API token must be at least " + MIN_TOKEN_CHARS
          + " printable characters without spaces");
    }
    if (maxUrlBytes < 64) {
      throw new IllegalArgumentException("maxUrlBytes must be at least 64: " + maxUrlBytes);
    }
    if (maxHeaderBytes < 1024) {
      throw new IllegalArgumentException("maxHeaderBytes must be at least 1024: " + maxHeaderBytes);
    }
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
    }
    if (chunkBytes < 512) {
      throw new IllegalArgumentException("chunkBytes must be at least 512: " + chunkBytes);
    }
    if (bodyBufferBytes < 1024) {
      throw new IllegalArgumentException("bodyBufferBytes must be at least 1024: "
          + bodyBufferBytes);
    }
    if (eventLoopThreads < 1) {
      throw new IllegalArgumentException("eventLoopThreads must be positive: " + eventLoopThreads);
    }
  }

  /** Default limits, no token. */
  public static ApiOptions defaults() {
    return withToken("");
  }

  /** Default limits with {@code token} ({@code ""} for none). */
  public static ApiOptions withToken(String token) {
    return new ApiOptions(token, DEFAULT_MAX_URL_BYTES, DEFAULT_MAX_HEADER_BYTES,
        DEFAULT_IDLE_TIMEOUT, DEFAULT_CHUNK_BYTES, DEFAULT_BODY_BUFFER_BYTES,
        DEFAULT_EVENT_LOOP_THREADS);
  }
}
