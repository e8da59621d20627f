package io.mycel.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link ApiHandler} answers: a status, a content type, extra headers and a body that is
 * either whole bytes or written as a stream (chunked when its length is unknown).
 */
public final class ApiResponse {
  public static final String JSON = "application/json";
  /** Newline-delimited JSON, one object a line, for progress and long listings. */
  public static final String NDJSON = "application/x-ndjson";
  public static final String OCTETS = "application/octet-stream";

  /** Writes a streamed body. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private final int status;
  private final String contentType;
  private final byte[] bytes;
  private final Body stream;
  private final long length;
  private final Map<String, String> headers = new LinkedHashMap<>();

  private ApiResponse(int status, String contentType, byte[] bytes, Body stream, long length) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    this.status = status;
    this.contentType = Objects.requireNonNull(contentType, "contentType");
    this.bytes = bytes;
    this.stream = stream;
    this.length = length;
  }

  /** 200 with {@code value} as JSON. */
  public static ApiResponse json(Object value) {
    return json(200, value);
  }

  /** {@code status} with {@code value} as JSON. */
  public static ApiResponse json(int status, Object value) {
    try {
      return bytes(status, JSON, ApiJson.MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the answer as JSON: " + e.getOriginalMessage(),
          e);
    }
  }

  /** 200 with a text body, e.g. {@code text("text/plain; version=0.0.4", metrics)}. */
  public static ApiResponse text(String contentType, String text) {
    return bytes(200, contentType, text.getBytes(StandardCharsets.UTF_8));
  }

  public static ApiResponse bytes(int status, String contentType, byte[] body) {
    return new ApiResponse(status, contentType, body.clone(), null, body.length);
  }

  /** 200 with a body streamed by {@code body}; {@code length} is -1 when unknown. */
  public static ApiResponse stream(String contentType, long length, Body body) {
    return new ApiResponse(200, contentType, null, Objects.requireNonNull(body, "body"),
        length);
  }

  /** Adds a response header. */
  public ApiResponse header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  public Map<String, String> headers() {
    return Collections.unmodifiableMap(headers);
  }

  /** The whole body, or null when it is streamed. */
  byte[] bytes() {
    return bytes;
  }

  /** The streamed body, or null. */
  Body stream() {
    return stream;
  }

  /** Length of the body, -1 when a streamed body's length is unknown. */
  long length() {
    return length;
  }
}
