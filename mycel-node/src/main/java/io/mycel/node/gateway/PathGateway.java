package io.mycel.node.gateway;

import io.mycel.content.blockstore.BlockNotFoundException;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.car.CarWriter;
import io.mycel.content.dagpb.DagPbLinkDecoder;
import io.mycel.content.unixfs.DirectoryEntry;
import io.mycel.content.unixfs.PathNotFoundException;
import io.mycel.content.unixfs.UnixfsExporter;
import io.mycel.content.unixfs.UnixfsStat;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path gateway's logic: resolves {@code /ipfs/{cid}[/path]} inside the DAG and answers with
 * the file, folder, raw block or CAR. Runs on a virtual thread; every read is blocking.
 *
 * @see <a href="https://specs.ipfs.tech/http-gateways/path-gateway/">Path Gateway</a>
 * @see <a href="https://specs.ipfs.tech/http-gateways/trustless-gateway/">Trustless Gateway</a>
 */
final class PathGateway {
  private static final Logger LOG = LoggerFactory.getLogger(PathGateway.class);

  static final String IMMUTABLE_CACHE_CONTROL = "public, max-age=29030400, immutable";
  static final String RAW_TYPE = "application/vnd.ipld.raw";
  static final String CAR_TYPE = "application/vnd.ipld.car";
  static final String X_IPFS_PATH = "X-Ipfs-Path";
  static final String X_IPFS_ROOTS = "X-Ipfs-Roots";

  private enum Format { UNIXFS, RAW, CAR }

  private final Blockstore store;
  private final UnixfsExporter exporter;
  private final GatewayOptions options;

  PathGateway(Blockstore store, GatewayOptions options) {
    this.store = store;
    this.exporter = new UnixfsExporter(store);
    this.options = options;
  }

  void serve(Exchange exchange) {
    try {
      handle(exchange);
    } catch (GatewayException e) {
      HttpHeaders headers = new DefaultHttpHeaders();
      if (e.status().equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
        headers.set(HttpHeaderNames.ALLOW, "GET, HEAD");
      }
      exchange.sendError(e.status(), e.getMessage(), headers);
    } catch (BlockNotFoundException e) {
      exchange.sendError(HttpResponseStatus.NOT_FOUND, e.getMessage()
          + ": this node does not hold it, and this gateway does not fetch content from other"
          + " peers yet", new DefaultHttpHeaders());
    } catch (PathNotFoundException e) {
      exchange.sendError(HttpResponseStatus.NOT_FOUND, e.getMessage(), new DefaultHttpHeaders());
    } catch (IOException | RuntimeException e) {
      LOG.warn("gateway request {} failed", exchange.request().uri(), e);
      if (!exchange.sent()) {
        exchange.sendError(HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "the gateway failed to answer: " + e.getMessage(), new DefaultHttpHeaders());
      }
    }
  }

  private void handle(Exchange exchange) throws GatewayException, IOException {
    HttpMethod method = exchange.request().method();
    if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      throw new GatewayException(HttpResponseStatus.METHOD_NOT_ALLOWED,
          "method " + method + " is not allowed: this gateway is read-only (GET, HEAD)");
    }
    String uri = exchange.request().uri();
    if (uri.length() > options.maxUrlBytes()) {
      throw new GatewayException(HttpResponseStatus.REQUEST_URI_TOO_LONG, "the URL is "
          + uri.length() + " bytes long; at most " + options.maxUrlBytes() + " are accepted");
    }
    ContentPath path = ContentPath.parse(uri);
    switch (format(exchange, path)) {
      case RAW -> serveRaw(exchange, path);
      case CAR -> serveCar(exchange, path);
      case UNIXFS -> serveUnixfs(exchange, path);
      default -> throw new IllegalStateException();
    }
  }

  private static Format format(Exchange exchange, ContentPath path) throws GatewayException {
    List<String> formats;
    try {
      formats = new QueryStringDecoder("?" + path.rawQuery()).parameters().get("format");
    } catch (IllegalArgumentException e) {
      throw new GatewayException(HttpResponseStatus.BAD_REQUEST,
          "malformed query string: " + e.getMessage());
    }
    if (formats != null && !formats.isEmpty()) {
      return switch (formats.get(0).toLowerCase(Locale.ROOT)) {
        case "raw" -> Format.RAW;
        case "car" -> Format.CAR;
        default -> throw new GatewayException(HttpResponseStatus.BAD_REQUEST, "unsupported format '"
            + formats.get(0) + "': this gateway serves format=raw and format=car");
      };
    }
    String accept = exchange.request().headers().get(HttpHeaderNames.ACCEPT, "");
    for (String part : accept.split(",")) {
      String type = part.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (type.equals(RAW_TYPE)) {
        return Format.RAW;
      }
      if (type.equals(CAR_TYPE)) {
        return Format.CAR;
      }
    }
    return Format.UNIXFS;
  }

  private HttpHeaders immutableHeaders(ContentPath path, List<Cid> roots, String etag) {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.ETAG, etag);
    headers.set(HttpHeaderNames.CACHE_CONTROL, IMMUTABLE_CACHE_CONTROL);
    headers.set(X_IPFS_PATH, path.rawPath());
    headers.set(X_IPFS_ROOTS, String.join(",", roots.stream().map(Cid::toString).toList()));
    headers.set("X-Content-Type-Options", "nosniff");
    // the same URL answers a raw block or a CAR when Accept asks for one
    headers.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT);
    return headers;
  }

  /** Answers 304 and returns true when the client's If-None-Match already names {@code etag}. */
  private static boolean notModified(Exchange exchange, String etag, HttpHeaders headers) {
    String inm = exchange.request().headers().get(HttpHeaderNames.IF_NONE_MATCH);
    if (inm == null) {
      return false;
    }
    String strong = etag.startsWith("W/") ? etag.substring(2) : etag;
    for (String candidate : inm.split(",")) {
      String c = candidate.trim();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.equals("*") || c.equals(strong)) {
        exchange.sendFull(HttpResponseStatus.NOT_MODIFIED, headers, new byte[0]);
        return true;
      }
    }
    return false;
  }

  private void serveRaw(Exchange exchange, ContentPath path) throws GatewayException, IOException {
    if (!path.segments().isEmpty()) {
      throw new GatewayException(HttpResponseStatus.BAD_REQUEST, "raw blocks are served only for "
          + "/ipfs/{cid} without a path; resolve '" + path.subPath() + "' first or ask for a CAR");
    }
    Cid cid = path.root();
    byte[] block = cid.multihash().code() == Multicodec.IDENTITY ? cid.multihash().digest()
        : store.get(cid).orElseThrow(() -> new BlockNotFoundException(cid));
    HttpHeaders headers = immutableHeaders(path, List.of(cid), "\"" + cid + ".raw\"");
    if (notModified(exchange, "\"" + cid + ".raw\"", headers)) {
      return;
    }
    headers.set(HttpHeaderNames.CONTENT_TYPE, RAW_TYPE);
    headers.set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + cid + ".bin\"");
    exchange.sendFull(HttpResponseStatus.OK, headers, block);
  }

  private void serveCar(Exchange exchange, ContentPath path) throws IOException {
    List<Cid> roots = resolve(path);
    Cid cid = roots.get(roots.size() - 1);
    if (cid.multihash().code() != Multicodec.IDENTITY && !store.has(cid)) {
      throw new BlockNotFoundException(cid);
    }
    String etag = "W/\"" + cid + ".car\"";
    HttpHeaders headers = immutableHeaders(path, roots, etag);
    if (notModified(exchange, etag, headers)) {
      return;
    }
    headers.set(HttpHeaderNames.CONTENT_TYPE, CAR_TYPE + "; version=1");
    headers.set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + cid + ".car\"");
    DagPbLinkDecoder decoder = new DagPbLinkDecoder();
    exchange.sendStream(HttpResponseStatus.OK, headers, -1,
        out -> CarWriter.exportDag(store, decoder, cid, out));
  }

  /** The CIDs from the root to the end of the path, each segment looked up inside the DAG. */
  private List<Cid> resolve(ContentPath path) throws IOException {
    List<Cid> roots = new ArrayList<>(path.segments().size() + 1);
    Cid current = path.root();
    roots.add(current);
    for (String segment : path.segments()) {
      current = exporter.resolve(current, segment);
      roots.add(current);
    }
    return roots;
  }

  private void serveUnixfs(Exchange exchange, ContentPath path)
      throws GatewayException, IOException {
    List<Cid> roots = resolve(path);
    Cid cid = roots.get(roots.size() - 1);
    UnixfsStat stat = stat(cid);
    if (stat.type().isDirectory()) {
      serveDirectory(exchange, path, roots, cid);
      return;
    }
    String name = path.segments().isEmpty() ? "" : path.segments().get(path.segments().size() - 1);
    HttpHeaders headers = immutableHeaders(path, roots, "\"" + cid + "\"");
    switch (stat.type()) {
      case SYMLINK -> {
        if (notModified(exchange, "\"" + cid + "\"", headers)) {
          return;
        }
        headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.sendFull(HttpResponseStatus.OK, headers,
            exporter.readSymlink(cid).getBytes(StandardCharsets.UTF_8));
      }
      case FILE, RAW -> serveFile(exchange, headers, cid, name, stat.size());
      default -> throw new GatewayException(HttpResponseStatus.NOT_IMPLEMENTED,
          cid + " is UnixFS " + stat.type() + ", which this gateway cannot render;"
              + " request ?format=raw or ?format=car");
    }
  }

  private UnixfsStat stat(Cid cid) throws GatewayException, IOException {
    try {
      return exporter.stat(cid);
    } catch (IllegalArgumentException e) {
      throw new GatewayException(HttpResponseStatus.NOT_IMPLEMENTED, cid
          + " is not UnixFS data this gateway can render (" + e.getMessage()
          + "); request ?format=raw or ?format=car");
    }
  }

  private void serveDirectory(Exchange exchange, ContentPath path, List<Cid> roots, Cid dir)
      throws GatewayException, IOException {
    if (!path.trailingSlash()) {
      HttpHeaders headers = new DefaultHttpHeaders();
      headers.set(HttpHeaderNames.LOCATION, path.rawPath() + "/"
          + (path.rawQuery().isEmpty() ? "" : "?" + path.rawQuery()));
      headers.set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.HTML);
      exchange.sendFull(HttpResponseStatus.MOVED_PERMANENTLY, headers, new byte[0]);
      return;
    }
    Optional<Cid> index = Optional.empty();
    try {
      index = Optional.of(exporter.resolve(dir, "index.html"));
    } catch (PathNotFoundException e) {
      // no index: generate a listing
    }
    if (index.isPresent()) {
      Cid indexCid = index.get();
      UnixfsStat stat = stat(indexCid);
      if (stat.type().isFileLike()) {
        HttpHeaders headers = immutableHeaders(path, roots, "\"" + indexCid + "\"");
        serveFile(exchange, headers, indexCid, "index.html", stat.size());
        return;
      }
    }
    String etag = "\"DirIndex-" + dir + "\"";
    HttpHeaders headers = immutableHeaders(path, roots, etag);
    if (notModified(exchange, etag, headers)) {
      return;
    }
    List<DirectoryEntry> entries = exporter.list(dir);
    boolean truncated = entries.size() > options.maxListingEntries();
    if (truncated) {
      entries = entries.subList(0, options.maxListingEntries());
    }
    List<DirectoryEntry> detailed = new ArrayList<>(entries.size());
    for (DirectoryEntry e : entries) {
      detailed.add(detail(e));
    }
    headers.set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.HTML);
    String html = HtmlPages.listing(path.rawPath(), !path.segments().isEmpty(), detailed,
        truncated);
    exchange.sendFull(HttpResponseStatus.OK, headers, html.getBytes(StandardCharsets.UTF_8));
  }

  /** The entry with its type and size, or as listed when its root is not held here. */
  private DirectoryEntry detail(DirectoryEntry e) throws IOException {
    try {
      UnixfsStat s = exporter.stat(e.cid());
      return new DirectoryEntry(e.name(), e.cid(), e.dagSize(), s.type(), s.size());
    } catch (BlockNotFoundException | IllegalArgumentException missing) {
      return e;
    }
  }

  private void serveFile(Exchange exchange, HttpHeaders headers, Cid cid, String name, long size)
      throws IOException {
    if (notModified(exchange, headers.get(HttpHeaderNames.ETAG), headers)) {
      return;
    }
    headers.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    Optional<ByteRange> range;
    try {
      range = ByteRange.parse(exchange.request().headers().get(HttpHeaderNames.RANGE), size);
    } catch (ByteRange.UnsatisfiableException e) {
      HttpHeaders h = new DefaultHttpHeaders();
      h.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
      exchange.sendError(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, e.getMessage(), h);
      return;
    }
    headers.set(HttpHeaderNames.CONTENT_TYPE, contentType(cid, name, size));
    long offset = range.map(ByteRange::first).orElse(0L);
    long length = range.map(ByteRange::length).orElse(size);
    HttpResponseStatus status = HttpResponseStatus.OK;
    if (range.isPresent()) {
      status = HttpResponseStatus.PARTIAL_CONTENT;
      headers.set(HttpHeaderNames.CONTENT_RANGE, range.get().contentRange(size));
    }
    if (exchange.isHead()) {
      exchange.sendStream(status, headers, length, out -> { });
      return;
    }
    // Open before the status line goes out, so a missing root block still gets a 404 page.
    InputStream in = exporter.open(cid, offset, length);
    exchange.sendStream(status, headers, length, out -> {
      try (in) {
        in.transferTo(out);
      }
    });
  }

  private String contentType(Cid cid, String name, long size) throws IOException {
    Optional<String> byName = ContentTypes.byName(name);
    if (byName.isPresent()) {
      return byName.get();
    }
    if (size == 0) {
      return ContentTypes.OCTET_STREAM;
    }
    try (InputStream head = exporter.open(cid, 0, ContentTypes.SNIFF_BYTES)) {
      return ContentTypes.sniff(head.readNBytes(ContentTypes.SNIFF_BYTES));
    }
  }
}
