package io.mycel.node.api;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * Who may call the API. A web page the user visits must not drive the node (CSRF), nor reach it
 * under a name it controls (DNS rebinding), so:
 * <ul>
 *   <li>a request with an {@code Origin} other than the API's own, or with
 *       {@code Sec-Fetch-Site: cross-site} or {@code same-site}, is refused with 403;</li>
 *   <li>on a loopback address, a request whose {@code Host} is not a loopback name
 *       ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}) is refused with 403;</li>
 *   <li>with a token configured, a request to an API route ({@code /api/…}) or to
 *       {@code /metrics} without {@code Authorization: Bearer TOKEN} is refused with 401; the
 *       dashboard's own files (the same on every node, no data in them) are served without it,
 *       and the page asks for the token.</li>
 * </ul>
 * Mutations are POST-only (see {@link ApiRoutes}), so plain links and images cannot change the
 * node either.
 *
 * @see <a href="https://fetch.spec.whatwg.org/#origin-header">Fetch: the Origin header</a>
 * @see <a href="https://www.w3.org/TR/fetch-metadata/">Fetch Metadata Request Headers</a>
 */
final class ApiAccess {
  private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

  private final boolean loopback;
  private final byte[] token;

  ApiAccess(InetSocketAddress bound, String token) {
    this.loopback = bound.getAddress() != null && bound.getAddress().isLoopbackAddress();
    this.token = token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /** Throws the 403 or 401 that the request deserves, or returns when it may be served. */
  void check(ApiRequest request) {
    String host = request.header("Host");
    if (loopback) {
      if (host == null || !LOOPBACK_HOSTS.contains(hostName(host))) {
        throw new ApiException(403, "the API answers only requests to a loopback name "
            + "(localhost, 127.0.0.1, [::1]), not to Host '" + host + "'");
      }
    }
    String fetchSite = request.header("Sec-Fetch-Site");
    if (fetchSite != null) {
      String site = fetchSite.trim().toLowerCase(Locale.ROOT);
      if (site.equals("cross-site") || site.equals("same-site")) {
        throw new ApiException(403, "the API refuses requests made by other sites' pages "
            + "(Sec-Fetch-Site: " + fetchSite + ")");
      }
    }
    String origin = request.header("Origin");
    if (origin != null && !sameOrigin(origin, host)) {
      throw new ApiException(403, "the API refuses requests from origin '" + origin
          + "'; only pages it serves itself may call it");
    }
    if (token != null && needsToken(request.path())) {
      String authorization = request.header("Authorization");
      if (authorization == null) {
        throw new ApiException(401, "the API requires a token: send 'Authorization: Bearer "
            + "<api.token from config.json>'");
      }
      String given = authorization.regionMatches(true, 0, "Bearer ", 0, 7)
          ? authorization.substring(7).trim() : "";
      if (!MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
        throw new ApiException(401, "the API token is wrong; see api.token in the node's "
            + "config.json");
      }
    }
  }

  /** API routes and metrics carry the node's data and actions; the dashboard's files do not. */
  private static boolean needsToken(String path) {
    return path.startsWith(ApiServer.PREFIX) || path.equals("/api") || path.startsWith("/api/")
        || path.equals("/metrics");
  }

  /** Whether {@code origin} is the API's own origin as the client reached it. */
  private static boolean sameOrigin(String origin, String host) {
    if (host == null) {
      return false;
    }
    try {
      URI uri = new URI(origin.trim());
      if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
        return false;
      }
      String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
      String expected = host.trim().toLowerCase(Locale.ROOT);
      return authority.equals(expected) || authority.equals(expected + ":80")
          || expected.equals(authority + ":80");
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** The host part of a Host header ({@code name}, {@code name:port}, {@code [v6]:port}). */
  private static String hostName(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.lastIndexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }
}
