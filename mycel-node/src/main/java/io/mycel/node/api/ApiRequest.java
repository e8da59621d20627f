package io.mycel.node.api;

import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One API request as a handler sees it: method, path, query arguments ({@code ?arg=...}, Kubo
 * style), headers and the body as a stream that is read while it arrives.
 */
public final class ApiRequest {
  private final String method;
  private final String path;
  private final Map<String, List<String>> query;
  private final HttpHeaders headers;
  private final InputStream body;

  ApiRequest(String method, String path, Map<String, List<String>> query, HttpHeaders headers,
      InputStream body) {
    this.method = method;
    this.path = path;
    this.query = Map.copyOf(query);
    this.headers = headers;
    this.body = body;
  }

  /** {@code GET}, {@code POST}, ... */
  public String method() {
    return method;
  }

  /** The decoded path, without the query. */
  public String path() {
    return path;
  }

  /** The first value of query argument {@code name}. */
  public Optional<String> param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Every value of query argument {@code name}, in order. */
  public List<String> params(String name) {
    return query.getOrDefault(name, List.of());
  }

  /** The first value of {@code name}, or 400 naming the argument. */
  public String requiredParam(String name) {
    return param(name).filter(v -> !v.isEmpty()).orElseThrow(() -> ApiException.badRequest(
        "the argument '" + name + "' is missing (" + method + " " + path + "?" + name + "=...)"));
  }

  /** {@code name} as a boolean ({@code true}/{@code false}, or present with no value: true). */
  public boolean flag(String name, boolean absent) {
    Optional<String> value = param(name);
    if (value.isEmpty()) {
      return absent;
    }
    String v = value.get().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "", "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw ApiException.badRequest("the argument '" + name
          + "' must be true or false, was '" + value.get() + "'");
    };
  }

  /** {@code name} as a number, or {@code absent}; 400 when it is not a whole number. */
  public long longParam(String name, long absent) {
    Optional<String> value = param(name);
    if (value.isEmpty()) {
      return absent;
    }
    try {
      return Long.parseLong(value.get().trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("the argument '" + name + "' must be a whole number, was '"
          + value.get() + "'");
    }
  }

  /** The value of header {@code name}, or null. */
  public String header(String name) {
    return headers.get(name);
  }

  /** The request body, read as it arrives; empty when the request has none. */
  public InputStream body() {
    return body;
  }

  /** The body parsed as JSON into {@code type}; 400 when it is not. */
  public <T> T bodyAs(Class<T> type) {
    try {
      return ApiJson.MAPPER.readValue(body, type);
    } catch (IOException e) {
      throw new ApiException(400, "the request body is not the JSON expected: " + e.getMessage(),
          e);
    }
  }
}
