package io.mycel.node.gateway;

import io.mycel.content.blockstore.BlockNotFoundException;
import io.mycel.content.blockstore.BlockUnavailableException;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.car.CarWriter;
import io.mycel.content.dagpb.DagPbLinkDecoder;
import io.mycel.content.unixfs.DirectoryEntry;
import io.mycel.content.unixfs.PathNotFoundException;
import io.mycel.content.unixfs.UnixfsExporter;
import io.mycel.content.unixfs.UnixfsStat;
import io.mycel.core.cid.Cid;
import io.mycel.core.multibase.Multibase;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.peer.PeerId;
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
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's logic: resolves {@code /ipfs/{cid}[/path]} (or {@code /ipns/{name}[/path]}, or
 * the same on a {@code {cid}.ipfs.{host}} or {@code {name}.ipns.{host}} subdomain) inside the DAG
 * and answers with the file, folder, raw block or CAR. Runs on a virtual thread; every read is
 * blocking. Sites on a subdomain have their own origin, so their {@code _redirects} and
 * {@code 404.html} files apply.
 *
 * @see <a href="https://specs.ipfs.tech/http-gateways/path-gateway/">Path Gateway</a>
 * @see <a href="https://specs.ipfs.tech/http-gateways/subdomain-gateway/">Subdomain Gateway</a>
 * @see <a href="https://specs.ipfs.tech/http-gateways/web-redirects-file/">Web Redirects File</a>
 * @see <a href="https://specs.ipfs.tech/http-gateways/trustless-gateway/">Trustless Gateway</a>
 */
final class PathGateway {
  private static final Logger LOG = LoggerFactory.getLogger(PathGateway.class);

  static final String IMMUTABLE_CACHE_CONTROL = "public, max-age=29030400, immutable";
  static final String RAW_TYPE = "application/vnd.ipld.raw";
  static final String CAR_TYPE = "application/vnd.ipld.car";
  static final String X_IPFS_PATH = "X-Ipfs-Path";
  static final String X_IPFS_ROOTS = "X-Ipfs-Roots";

  static final String IPNS_PREFIX = "/ipns/";
  static final String NOT_FOUND_PAGE = "404.html";
  /** Longest DNS label; a CID or name that does not fit is served on the path gateway. */
  static final int MAX_DNS_LABEL = 63;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,253}");

  private enum Format { UNIXFS, RAW, CAR }

  /**
   * What a request asks for once its host and name are resolved.
   *
   * @param path the DAG walk: its raw path is the one the client sees, its segments run from the
   *     root CID (a name's target first, then the request's own)
   * @param ipfsPath the {@code X-Ipfs-Path} answered
   * @param cacheControl the {@code Cache-Control} of content answers
   * @param baseCount how many leading segments lead to the site root (a name's target path)
   * @param site whether the content is a site with its own origin ({@code _redirects},
   *     {@code 404.html})
   */
  private record Target(ContentPath path, String ipfsPath, String cacheControl, int baseCount,
      boolean site) {
    List<String> siteSegments() {
      return path.segments().subList(baseCount, path.segments().size());
    }
  }

  private final Blockstore store;
  private final UnixfsExporter exporter;
  private final GatewayOptions options;
  private final NameResolver names;
  private final Consumer<Cid> served;

  /** {@code names} is null when {@code /ipns/} is not served. */
  PathGateway(Blockstore store, GatewayOptions options, NameResolver names) {
    this(store, options, names, root -> {});
  }

  /** As above; {@code served} hears the root CID of each request answered with content. */
  PathGateway(Blockstore store, GatewayOptions options, NameResolver names,
      Consumer<Cid> served) {
    this.store = store;
    this.exporter = new UnixfsExporter(store);
    this.options = options;
    this.names = names;
    this.served = served;
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
    } catch (BlockUnavailableException e) {
      exchange.sendError(HttpResponseStatus.GATEWAY_TIMEOUT, e.getMessage()
          + ": this node does not hold it and could not get it from the network in time",
          new DefaultHttpHeaders());
    } catch (BlockNotFoundException e) {
      exchange.sendError(HttpResponseStatus.NOT_FOUND, e.getMessage()
          + ": this node does not hold it", new DefaultHttpHeaders());
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
    Optional<Target> target = target(exchange, uri);
    if (target.isEmpty()) {
      return;
    }
    Target t = target.get();
    switch (format(exchange, t.path())) {
      case RAW -> serveRaw(exchange, t);
      case CAR -> serveCar(exchange, t);
      case UNIXFS -> serveUnixfs(exchange, t);
      default -> throw new IllegalStateException();
    }
    served.accept(t.path().root());
  }

  /** The target of a request, or empty when a redirect was answered instead. */
  private Optional<Target> target(Exchange exchange, String uri)
      throws GatewayException, IOException {
    String[] split = ContentPath.splitTarget(uri);
    String rawPath = split[0];
    String rawQuery = split[1];
    String host = exchange.request().headers().get(HttpHeaderNames.HOST, "");
    String hostName = stripPort(host);
    String suffix = options.subdomainHost();
    if (!suffix.isEmpty()) {
      String lower = hostName.toLowerCase(Locale.ROOT);
      for (String ns : List.of("ipfs", "ipns")) {
        String tail = "." + ns + "." + suffix;
        if (lower.endsWith(tail) && lower.length() > tail.length()) {
          String label = hostName.substring(0, hostName.length() - tail.length());
          String hostTail = host.substring(label.length());
          return subdomain(exchange, ns, label, hostTail, rawPath, rawQuery);
        }
      }
      if (lower.equals(suffix) && redirectToSubdomain(exchange, host, rawPath, rawQuery)) {
        return Optional.empty();
      }
    }
    if (rawPath.startsWith(IPNS_PREFIX) && names != null) {
      String[] parts = rawPath.substring(IPNS_PREFIX.length()).split("/", -1);
      String name = ContentPath.decode(parts[0]);
      return Optional.of(named(name, rawPath, rawQuery, parts, 1, rawPath, false));
    }
    ContentPath path = ContentPath.parse(uri);
    return Optional.of(new Target(path, path.rawPath(), IMMUTABLE_CACHE_CONTROL, 0, false));
  }

  private static String stripPort(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  private static String scheme(Exchange exchange) {
    String proto = exchange.request().headers().get("X-Forwarded-Proto", "");
    return proto.equalsIgnoreCase("https") ? "https" : "http";
  }

  /** A request to {@code {label}.{ns}.{host}}: the content at {@code /{path}} of that root. */
  private Optional<Target> subdomain(Exchange exchange, String ns, String label, String hostTail,
      String rawPath, String rawQuery) throws GatewayException, IOException {
    String[] parts = (rawPath.startsWith("/") ? rawPath.substring(1) : rawPath).split("/", -1);
    String query = rawQuery.isEmpty() ? "" : "?" + rawQuery;
    if (ns.equals("ipfs")) {
      Cid cid = ContentPath.parseCid(label);
      String canonical = cid.toV1().toString();
      if (!label.equals(canonical)) {
        // a CIDv0, or another base: browsers lower-case host names, so only base32 is stable
        redirect(exchange, scheme(exchange) + "://" + canonical + hostTail + rawPath + query);
        return Optional.empty();
      }
      List<String> segments = ContentPath.segments(parts, 0, label);
      ContentPath path = new ContentPath(rawPath, rawQuery, cid, segments,
          ContentPath.trailingSlash(parts, 0));
      return Optional.of(new Target(path, ContentPath.IPFS_PREFIX + label + rawPath,
          IMMUTABLE_CACHE_CONTROL, 0, true));
    }
    String name = label;
    if (label.indexOf('-') >= 0) {
      // an inlined DNSLink name: '-' stands for '.', and '--' for '-'
      name = label.replace("--", "\0").replace('-', '.').replace('\0', '-');
    }
    if (names == null) {
      throw new GatewayException(HttpResponseStatus.NOT_IMPLEMENTED,
          "/ipns/ names are not served by this gateway; request {cid}.ipfs subdomains");
    }
    return Optional.of(named(name, rawPath, rawQuery, parts, 0, IPNS_PREFIX + name + rawPath,
        true));
  }

  /**
   * Redirects a path request made to the subdomain host itself to the subdomain form, as the
   * subdomain gateway spec asks, and returns true; false when it cannot be expressed there.
   */
  private boolean redirectToSubdomain(Exchange exchange, String host, String rawPath,
      String rawQuery) throws GatewayException {
    boolean ipfs = rawPath.startsWith(ContentPath.IPFS_PREFIX);
    if (!ipfs && !rawPath.startsWith(IPNS_PREFIX)) {
      return false;
    }
    String rest = rawPath.substring(ipfs ? ContentPath.IPFS_PREFIX.length() : IPNS_PREFIX.length());
    int slash = rest.indexOf('/');
    String first = ContentPath.decode(slash < 0 ? rest : rest.substring(0, slash));
    String tail = slash < 0 ? "" : rest.substring(slash);
    // a path the gateway refuses is refused here too, not carried over to the subdomain
    ContentPath.segments(tail.split("/", -1), 0, first);
    String label;
    if (ipfs) {
      Cid cid = ContentPath.parseCid(first);
      label = cid.toV1().toString();
      if (label.length() > MAX_DNS_LABEL) {
        label = cid.toV1().toString(Multibase.BASE36);
      }
    } else {
      label = ipnsLabel(first);
    }
    if (label == null || label.length() > MAX_DNS_LABEL) {
      return false;
    }
    String ns = ipfs ? "ipfs" : "ipns";
    redirect(exchange, scheme(exchange) + "://" + label + "." + ns + "." + host + tail
        + (rawQuery.isEmpty() ? "" : "?" + rawQuery));
    return true;
  }

  /** The subdomain label of an IPNS name, or null when it has none. */
  private static String ipnsLabel(String name) {
    if (name.indexOf('.') >= 0) {
      return NAME.matcher(name).matches()
          ? name.replace("-", "--").replace('.', '-').toLowerCase(Locale.ROOT) : null;
    }
    try {
      return PeerId.parse(name).toCid().toString(Multibase.BASE36);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void redirect(Exchange exchange, String location) {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.LOCATION, location);
    headers.set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.HTML);
    exchange.sendFull(HttpResponseStatus.MOVED_PERMANENTLY, headers, new byte[0]);
  }

  /**
   * The target of {@code /ipns/{name}} followed by {@code parts} from {@code from} on, through
   * the name resolver.
   */
  private Target named(String name, String rawPath, String rawQuery, String[] parts, int from,
      String ipfsPath, boolean site) throws GatewayException, IOException {
    if (!NAME.matcher(name).matches()) {
      throw new GatewayException(HttpResponseStatus.BAD_REQUEST, "invalid IPNS name '" + name
          + "': a name is a key (CID or peer ID) or a DNS name");
    }
    List<String> request = ContentPath.segments(parts, from, name);
    Optional<NameResolver.Resolution> resolution;
    try {
      resolution = names.resolveWithTtl(name);
    } catch (IllegalArgumentException e) {
      throw new GatewayException(HttpResponseStatus.BAD_REQUEST,
          "invalid IPNS name '" + name + "': " + e.getMessage());
    } catch (IOException e) {
      throw new GatewayException(HttpResponseStatus.BAD_GATEWAY,
          "cannot resolve the IPNS name '" + name + "': " + e.getMessage());
    }
    if (resolution.isEmpty()) {
      throw new GatewayException(HttpResponseStatus.NOT_FOUND,
          "the IPNS name '" + name + "' is not known");
    }
    ContentPath resolved;
    try {
      resolved = ContentPath.parse(resolution.get().path());
    } catch (GatewayException e) {
      throw new GatewayException(HttpResponseStatus.BAD_GATEWAY, "the IPNS name '" + name
          + "' points at '" + resolution.get().path() + "', which this gateway cannot serve: "
          + e.getMessage());
    }
    List<String> segments = new ArrayList<>(resolved.segments());
    segments.addAll(request);
    ContentPath path = new ContentPath(rawPath, rawQuery, resolved.root(), segments,
        ContentPath.trailingSlash(parts, from));
    return new Target(path, ipfsPath, "public, max-age=" + resolution.get().ttl().toSeconds(),
        resolved.segments().size(), site);
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

  private HttpHeaders contentHeaders(Target target, List<Cid> roots, String etag) {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.ETAG, etag);
    headers.set(HttpHeaderNames.CACHE_CONTROL, target.cacheControl());
    headers.set(X_IPFS_PATH, target.ipfsPath());
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

  private void serveRaw(Exchange exchange, Target target) throws GatewayException, IOException {
    ContentPath path = target.path();
    if (!path.segments().isEmpty()) {
      throw new GatewayException(HttpResponseStatus.BAD_REQUEST, "raw blocks are served only for "
          + "/ipfs/{cid} without a path; resolve '" + path.subPath() + "' first or ask for a CAR");
    }
    Cid cid = path.root();
    byte[] block = cid.multihash().code() == Multicodec.IDENTITY ? cid.multihash().digest()
        : store.get(cid).orElseThrow(() -> new BlockNotFoundException(cid));
    HttpHeaders headers = contentHeaders(target, List.of(cid), "\"" + cid + ".raw\"");
    if (notModified(exchange, "\"" + cid + ".raw\"", headers)) {
      return;
    }
    headers.set(HttpHeaderNames.CONTENT_TYPE, RAW_TYPE);
    headers.set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + cid + ".bin\"");
    exchange.sendFull(HttpResponseStatus.OK, headers, block);
  }

  private void serveCar(Exchange exchange, Target target) throws IOException {
    List<Cid> roots = resolve(target.path());
    Cid cid = roots.get(roots.size() - 1);
    if (cid.multihash().code() != Multicodec.IDENTITY && !store.has(cid)) {
      throw new BlockNotFoundException(cid);
    }
    String etag = "W/\"" + cid + ".car\"";
    HttpHeaders headers = contentHeaders(target, roots, etag);
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

  private void serveUnixfs(Exchange exchange, Target target)
      throws GatewayException, IOException {
    ContentPath path = target.path();
    List<Cid> roots;
    try {
      roots = resolve(path);
    } catch (PathNotFoundException e) {
      if (target.site() && serveSiteFallback(exchange, target)) {
        return;
      }
      throw e;
    }
    Cid cid = roots.get(roots.size() - 1);
    String name = path.segments().isEmpty() ? "" : path.segments().get(path.segments().size() - 1);
    if (cid.codec() == Multicodec.RAW && cid.multihash().code() != Multicodec.IDENTITY) {
      serveRawLeafFile(exchange, contentHeaders(target, roots, "\"" + cid + "\""), cid, name);
      return;
    }
    UnixfsStat stat = stat(cid);
    if (stat.type().isDirectory()) {
      serveDirectory(exchange, target, roots, cid);
      return;
    }
    HttpHeaders headers = contentHeaders(target, roots, "\"" + cid + "\"");
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

  private void serveDirectory(Exchange exchange, Target target, List<Cid> roots, Cid dir)
      throws GatewayException, IOException {
    ContentPath path = target.path();
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
        HttpHeaders headers = contentHeaders(target, roots, "\"" + indexCid + "\"");
        serveFile(exchange, headers, indexCid, "index.html", stat.size());
        return;
      }
    }
    String etag = "\"DirIndex-" + dir + "\"";
    HttpHeaders headers = contentHeaders(target, roots, etag);
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
    String html = HtmlPages.listing(path.rawPath(), !target.siteSegments().isEmpty(), detailed,
        truncated);
    exchange.sendFull(HttpResponseStatus.OK, headers, html.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Answers a path missing from a site through its {@code _redirects} rules, or else its
   * {@code 404.html}; false when neither applies.
   */
  private boolean serveSiteFallback(Exchange exchange, Target target)
      throws GatewayException, IOException {
    ContentPath path = target.path();
    List<String> base = path.segments().subList(0, target.baseCount());
    Cid siteRoot = path.root();
    for (String segment : base) {
      siteRoot = exporter.resolve(siteRoot, segment);
    }
    Optional<RedirectsFile> redirects = redirects(siteRoot);
    if (redirects.isPresent()) {
      String asked = "/" + String.join("/", target.siteSegments())
          + (path.trailingSlash() && !target.siteSegments().isEmpty() ? "/" : "");
      Optional<RedirectsFile.Match> match = redirects.get().match(asked);
      if (match.isPresent()) {
        RedirectsFile.Match m = match.get();
        if (m.isRedirect()) {
          HttpHeaders headers = new DefaultHttpHeaders();
          headers.set(HttpHeaderNames.LOCATION, m.to());
          headers.set(HttpHeaderNames.CACHE_CONTROL, target.cacheControl());
          headers.set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.HTML);
          exchange.sendFull(HttpResponseStatus.valueOf(m.status()), headers, new byte[0]);
          return true;
        }
        String toPath = m.to().split("[?#]", 2)[0];
        List<String> to = ContentPath.segments(toPath.split("/", -1), 0, RedirectsFile.FILE_NAME);
        List<String> segments = new ArrayList<>(base);
        segments.addAll(to);
        if (m.status() == 200) {
          // a rewrite: the rules are not applied again to where it leads
          Target rewritten = new Target(new ContentPath(path.rawPath(), path.rawQuery(),
              path.root(), segments, true), target.ipfsPath(), target.cacheControl(),
              target.baseCount(), false);
          serveUnixfs(exchange, rewritten);
          return true;
        }
        if (servePage(exchange, target, siteRoot, to, HttpResponseStatus.valueOf(m.status()))) {
          return true;
        }
      }
    }
    return servePage(exchange, target, siteRoot, List.of(NOT_FOUND_PAGE),
        HttpResponseStatus.NOT_FOUND);
  }

  /** The site's {@code _redirects} rules, when it has that file. */
  private Optional<RedirectsFile> redirects(Cid siteRoot) throws GatewayException, IOException {
    Cid file;
    try {
      file = exporter.resolve(siteRoot, RedirectsFile.FILE_NAME);
    } catch (PathNotFoundException e) {
      return Optional.empty();
    }
    UnixfsStat stat = stat(file);
    if (!stat.type().isFileLike()) {
      return Optional.empty();
    }
    if (stat.size() > RedirectsFile.MAX_FILE_BYTES) {
      throw new GatewayException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the site's "
          + RedirectsFile.FILE_NAME + " is " + stat.size() + " bytes; at most "
          + RedirectsFile.MAX_FILE_BYTES + " are read");
    }
    String text;
    try (InputStream in = exporter.open(file, 0, stat.size())) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      return Optional.of(RedirectsFile.parse(text));
    } catch (IllegalArgumentException e) {
      throw new GatewayException(HttpResponseStatus.INTERNAL_SERVER_ERROR,
          "the site's " + e.getMessage());
    }
  }

  /** Serves the file at {@code segments} under {@code siteRoot} with {@code status}. */
  private boolean servePage(Exchange exchange, Target target, Cid siteRoot,
      List<String> segments, HttpResponseStatus status) throws GatewayException, IOException {
    Cid cid = siteRoot;
    try {
      for (String segment : segments) {
        cid = exporter.resolve(cid, segment);
      }
    } catch (PathNotFoundException e) {
      return false;
    }
    UnixfsStat stat = stat(cid);
    if (!stat.type().isFileLike()) {
      return false;
    }
    String name = segments.isEmpty() ? "" : segments.get(segments.size() - 1);
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.CACHE_CONTROL, target.cacheControl());
    headers.set(X_IPFS_PATH, target.ipfsPath());
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set(HttpHeaderNames.CONTENT_TYPE, contentType(cid, name, stat.size()));
    if (exchange.isHead()) {
      exchange.sendStream(status, headers, stat.size(), out -> { });
      return true;
    }
    InputStream in = exporter.open(cid, 0, stat.size());
    exchange.sendStream(status, headers, stat.size(), out -> {
      try (in) {
        in.transferTo(out);
      }
    });
    return true;
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

  /**
   * A file that is a single raw block (every file up to the chunk size, with raw leaves): the
   * block is read once, and the body goes out with the status line in one write.
   */
  private void serveRawLeafFile(Exchange exchange, HttpHeaders headers, Cid cid, String name)
      throws IOException {
    if (notModified(exchange, headers.get(HttpHeaderNames.ETAG), headers)) {
      return;
    }
    byte[] data = store.get(cid).orElseThrow(() -> new BlockNotFoundException(cid));
    headers.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    Optional<ByteRange> range;
    try {
      range = ByteRange.parse(exchange.request().headers().get(HttpHeaderNames.RANGE), data.length);
    } catch (ByteRange.UnsatisfiableException e) {
      HttpHeaders h = new DefaultHttpHeaders();
      h.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + data.length);
      exchange.sendError(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, e.getMessage(), h);
      return;
    }
    Optional<String> byName = ContentTypes.byName(name);
    headers.set(HttpHeaderNames.CONTENT_TYPE, byName.isPresent() ? byName.get()
        : data.length == 0 ? ContentTypes.OCTET_STREAM
        : ContentTypes.sniff(data.length <= ContentTypes.SNIFF_BYTES ? data
            : java.util.Arrays.copyOf(data, ContentTypes.SNIFF_BYTES)));
    int offset = 0;
    int length = data.length;
    HttpResponseStatus status = HttpResponseStatus.OK;
    if (range.isPresent()) {
      status = HttpResponseStatus.PARTIAL_CONTENT;
      headers.set(HttpHeaderNames.CONTENT_RANGE, range.get().contentRange(data.length));
      offset = (int) range.get().first();
      length = (int) range.get().length();
    }
    exchange.sendFull(status, headers, data, offset, length);
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
