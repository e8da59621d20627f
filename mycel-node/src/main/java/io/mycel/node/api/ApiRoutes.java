package io.mycel.node.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The route table of an {@link ApiServer}: exact {@code (method, path)} routes, e.g.
 * {@code routes.add("POST", "/api/v0/pin/add", handler)}, and static files served from the class
 * path under a prefix. Routes may be added while the server runs.
 *
 * <p>Mutations are registered as {@code POST} only, so a cross-site {@code GET} (an image tag,
 * a link) can never change the node; every method other than the registered one is answered 405.
 */
public final class ApiRoutes {
  /** A registered route; static files show as {@code GET prefix*}. */
  public record Route(String method, String path) {
    public Route {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
    }
  }

  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("htm", "text/html; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("json", "application/json"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("txt", "text/plain; charset=utf-8"),
      Map.entry("woff2", "font/woff2"));

  private final Map<String, Map<String, ApiHandler>> exact = new ConcurrentHashMap<>();
  private final List<StaticFiles> statics = new CopyOnWriteArrayList<>();

  ApiRoutes() {}

  /**
   * Registers {@code handler} for {@code method} (GET or POST) on {@code path}, an absolute path
   * without a query.
   *
   * @throws IllegalStateException when that route is already registered
   */
  public ApiRoutes add(String method, String path, ApiHandler handler) {
    String m = method.toUpperCase(Locale.ROOT);
    if (!m.equals("GET") && !m.equals("POST")) {
      throw new IllegalArgumentException("API routes are GET (reads) or POST (everything else), not "
          + method);
    }
    if (!path.startsWith("/") || path.contains("?")) {
      throw new IllegalArgumentException("a route path is absolute and has no query: " + path);
    }
    Objects.requireNonNull(handler, "handler");
    Map<String, ApiHandler> byMethod = exact.computeIfAbsent(path,
        p -> new ConcurrentHashMap<>());
    if (byMethod.putIfAbsent(m, handler) != null) {
      throw new IllegalStateException("the route " + m + " " + path + " is already registered");
    }
    return this;
  }

  /**
   * Serves the class path resources under {@code classpathDir} (e.g. {@code "dashboard"}) at
   * {@code prefix} (e.g. {@code "/"}) with GET; a path ending in {@code /} serves its
   * {@code index.html}. Exact routes win over static files.
   */
  public ApiRoutes staticResources(String prefix, String classpathDir) {
    if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
      throw new IllegalArgumentException("a static prefix starts and ends with '/': " + prefix);
    }
    String dir = classpathDir.replaceAll("^/+|/+$", "");
    statics.add(new StaticFiles(prefix, dir));
    statics.sort(Comparator.comparingInt((StaticFiles s) -> s.prefix().length()).reversed());
    return this;
  }

  /** Every registered route, sorted by path then method. */
  public List<Route> list() {
    List<Route> routes = new ArrayList<>();
    exact.forEach((path, methods) -> methods.keySet().forEach(m -> routes.add(new Route(m, path))));
    statics.forEach(s -> routes.add(new Route("GET", s.prefix() + "*")));
    routes.sort(Comparator.comparing(Route::path).thenComparing(Route::method));
    return routes;
  }

  /** The methods registered on {@code path}, empty when none. */
  List<String> methods(String path) {
    Map<String, ApiHandler> byMethod = exact.get(path);
    return byMethod == null ? List.of() : List.copyOf(byMethod.keySet());
  }

  /** The handler for {@code method path}, or null. HEAD is served by GET handlers. */
  ApiHandler find(String method, String path) {
    Map<String, ApiHandler> byMethod = exact.get(path);
    String m = method.equals("HEAD") ? "GET" : method;
    if (byMethod != null) {
      return byMethod.get(m);
    }
    if (!m.equals("GET")) {
      return null;
    }
    for (StaticFiles files : statics) {
      if (path.startsWith(files.prefix())) {
        return files.handlerFor(path.substring(files.prefix().length()));
      }
    }
    return null;
  }

  /** Whether {@code path} is served by some route, whatever the method. */
  boolean known(String path) {
    return exact.containsKey(path) || statics.stream().anyMatch(s -> path.startsWith(s.prefix()));
  }

  private record StaticFiles(String prefix, String dir) {
    ApiHandler handlerFor(String rest) {
      String name = rest.isEmpty() || rest.endsWith("/") ? rest + "index.html" : rest;
      if (name.contains("..") || name.contains("//") || name.contains("\\")) {
        return null;
      }
      String resource = (dir.isEmpty() ? "" : dir + "/") + name;
      if (ApiRoutes.class.getClassLoader().getResource(resource) == null) {
        return null;
      }
      return request -> {
        try (InputStream in = ApiRoutes.class.getClassLoader().getResourceAsStream(resource)) {
          if (in == null) {
            throw ApiException.notFound("no such file: " + request.path());
          }
          byte[] body = in.readAllBytes();
          int dot = name.lastIndexOf('.');
          String type = TYPES.getOrDefault(
              dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT),
              ApiResponse.OCTETS);
          return ApiResponse.bytes(200, type, body).header("Cache-Control", "no-cache");
        } catch (IOException e) {
          throw new ApiException(500, "cannot read " + resource + ": " + e.getMessage(), e);
        }
      };
    }
  }
}
