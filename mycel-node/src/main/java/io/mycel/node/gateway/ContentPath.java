package io.mycel.node.gateway;

import io.mycel.core.cid.Cid;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed {@code /ipfs/{cid}[/{path}]} request target. Segments are split on literal slashes
 * before percent-decoding, so an encoded slash can never add a level; {@code .} and {@code ..}
 * segments are refused, so a path only ever walks down from the root CID.
 *
 * @param rawPath the request path as sent, without the query
 * @param rawQuery the query as sent, or empty
 * @param root the CID after {@code /ipfs/}
 * @param segments the decoded path segments under the root, empty ones dropped
 * @param trailingSlash whether the path ends with a slash
 * @see <a href="https://specs.ipfs.tech/http-gateways/path-gateway/">Path Gateway</a>
 */
record ContentPath(String rawPath, String rawQuery, Cid root, List<String> segments,
    boolean trailingSlash) {
  static final String IPFS_PREFIX = "/ipfs/";

  ContentPath {
    Objects.requireNonNull(rawPath, "rawPath");
    Objects.requireNonNull(rawQuery, "rawQuery");
    Objects.requireNonNull(root, "root");
    segments = List.copyOf(segments);
  }

  /** The path under the root, joined with slashes (empty for the root itself). */
  String subPath() {
    return String.join("/", segments);
  }

  static ContentPath parse(String uri) throws GatewayException {
    String[] target = splitTarget(uri);
    String rawPath = target[0];
    if (rawPath.startsWith("/ipns/")) {
      throw new GatewayException(HttpResponseStatus.NOT_IMPLEMENTED,
          "/ipns/ paths are not supported by this gateway yet; request /ipfs/{cid}");
    }
    if (!rawPath.startsWith(IPFS_PREFIX)) {
      throw new GatewayException(HttpResponseStatus.NOT_FOUND,
          "this gateway serves only /ipfs/{cid}[/path]; nothing is at '" + rawPath + "'");
    }
    String[] parts = rawPath.substring(IPFS_PREFIX.length()).split("/", -1);
    Cid root = parseCid(decode(parts[0]));
    List<String> segments = segments(parts, 1, root.toString());
    return new ContentPath(rawPath, target[1], root, segments, trailingSlash(parts, 1));
  }

  /** The CID of a request, or a 400 naming it. */
  static Cid parseCid(String cidText) throws GatewayException {
    if (cidText.isEmpty()) {
      throw new GatewayException(HttpResponseStatus.BAD_REQUEST,
          "missing CID: request /ipfs/{cid}[/path]");
    }
    try {
      return Cid.parse(cidText);
    } catch (IllegalArgumentException e) {
      throw new GatewayException(HttpResponseStatus.BAD_REQUEST,
          "invalid CID '" + cidText + "': " + e.getMessage());
    }
  }

  /** The path (without query or fragment) and the query (or empty) of a request target. */
  static String[] splitTarget(String uri) {
    String target = stripOrigin(uri);
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    String rawQuery = q < 0 ? "" : target.substring(q + 1);
    int hash = rawPath.indexOf('#');
    if (hash >= 0) {
      rawPath = rawPath.substring(0, hash);
    }
    int queryHash = rawQuery.indexOf('#');
    if (queryHash >= 0) {
      rawQuery = rawQuery.substring(0, queryHash);
    }
    return new String[] {rawPath, rawQuery};
  }

  /** Whether the path split into {@code parts} ends with a slash after part {@code from}. */
  static boolean trailingSlash(String[] parts, int from) {
    return parts.length > from && parts[parts.length - 1].isEmpty();
  }

  /**
   * The decoded, checked segments of {@code parts} from index {@code from} on, empty ones
   * dropped; {@code under} names the root in errors.
   */
  static List<String> segments(String[] parts, int from, String under) throws GatewayException {
    List<String> segments = new ArrayList<>();
    for (int i = from; i < parts.length; i++) {
      String segment = decode(parts[i]);
      if (segment.isEmpty()) {
        continue;
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new GatewayException(HttpResponseStatus.BAD_REQUEST, "path segment '" + segment
            + "' is not allowed: paths resolve only downwards inside the DAG of " + under);
      }
      if (segment.indexOf('/') >= 0 || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0) {
        throw new GatewayException(HttpResponseStatus.BAD_REQUEST, "path segment '"
            + parts[i] + "' encodes a separator or NUL, which no folder entry name may hold");
      }
      segments.add(segment);
    }
    return segments;
  }

  private static String stripOrigin(String uri) {
    if (uri.startsWith("http://") || uri.startsWith("https://")) {
      int slash = uri.indexOf('/', uri.indexOf("//") + 2);
      return slash < 0 ? "/" : uri.substring(slash);
    }
    return uri;
  }

  /** Strict percent-decoding to UTF-8 ({@code +} stays a plus, as in a path). */
  static String decode(String s) throws GatewayException {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new GatewayException(HttpResponseStatus.BAD_REQUEST,
              "malformed percent-encoding in path segment '" + s + "'");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new GatewayException(HttpResponseStatus.BAD_REQUEST,
          "path segment '" + s + "' is not UTF-8 once decoded");
    }
  }

  /** Percent-encodes one path segment (everything but RFC 3986 unreserved characters). */
  static String encodeSegment(String name) {
    StringBuilder out = new StringBuilder(name.length() + 8);
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
