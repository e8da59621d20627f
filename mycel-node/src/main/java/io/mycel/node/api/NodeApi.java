package io.mycel.node.api;

import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.car.CarImport;
import io.mycel.content.car.CarWriter;
import io.mycel.content.dagpb.DagPbLinkDecoder;
import io.mycel.content.pin.GarbageCollector;
import io.mycel.content.pin.Pin;
import io.mycel.content.pin.PinType;
import io.mycel.content.unixfs.DirectoryEntry;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.ImportProgress;
import io.mycel.content.unixfs.ImportResult;
import io.mycel.content.unixfs.UnixfsExporter;
import io.mycel.content.unixfs.UnixfsProfile;
import io.mycel.content.unixfs.UnixfsStat;
import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.multibase.Multibase;
import io.mycel.core.peer.PeerId;
import io.mycel.core.tar.TarReader;
import io.mycel.core.tar.TarWriter;
import io.mycel.net.Connection;
import io.mycel.net.ping.PingService;
import io.mycel.node.Daemon;
import io.mycel.node.Keystore;
import io.mycel.node.Names;
import io.mycel.node.NetStatus;
import io.mycel.node.NetworkBlockstore;
import io.mycel.node.Node;
import io.mycel.node.Repo;
import io.mycel.node.Version;
import io.mycel.routing.ipns.IpnsName;
import io.mycel.routing.ipns.IpnsRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's own routes under {@code /api/v0/}, each documented in {@code docs/api/openapi.yaml}
 * and mirroring a CLI command. Reads are GET, changes (and anything that dials peers) are POST;
 * arguments travel in the query ({@code ?arg=...} for the command's operand, as Kubo does),
 * uploads in the body.
 */
public final class NodeApi {
  /** The media type of a folder upload and of {@code get}'s answer. */
  public static final String TAR = "application/x-tar";
  /** The media type of a CAR v1 stream. */
  public static final String CAR = "application/vnd.ipld.car";
  /** How long reads wait for a block that must come from the network. */
  static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
  /** Where folder uploads are unpacked before their import, below the node home. */
  static final String UPLOADS_DIR = "uploads";
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final Daemon daemon;
  private final Repo repo;
  private final Names names;
  private final Keystore keys;
  private final Blockstore readThrough;

  private NodeApi(Daemon daemon) {
    this.daemon = daemon;
    this.repo = daemon.repo();
    this.names = new Names(daemon.home());
    this.keys = new Keystore(daemon.home());
    this.readThrough = new NetworkBlockstore(repo.blocks(), daemon.node(), FETCH_TIMEOUT);
  }

  /**
   * Registers the node's routes for {@code daemon} on {@code routes}, after removing what uploads
   * a previous daemon left unfinished.
   */
  public static void register(ApiRoutes routes, Daemon daemon) throws IOException {
    deleteTree(daemon.home().dir().resolve(UPLOADS_DIR));
    NodeApi api = new NodeApi(daemon);
    String p = ApiServer.PREFIX;
    routes.add("GET", p + "id", r -> api.id());
    routes.add("GET", p + "peers", r -> api.peers());
    routes.add("POST", p + "ping", api::ping);
    routes.add("POST", p + "add", api::add);
    routes.add("GET", p + "cat", api::cat);
    routes.add("GET", p + "get", api::get);
    routes.add("POST", p + "pin/add", api::pinAdd);
    routes.add("POST", p + "pin/rm", api::pinRm);
    routes.add("GET", p + "pin/ls", api::pinLs);
    routes.add("GET", p + "repo/stat", r -> api.repoStat());
    routes.add("POST", p + "repo/gc", r -> api.repoGc());
    routes.add("GET", p + "car/export", api::carExport);
    routes.add("POST", p + "car/import", api::carImport);
    routes.add("POST", p + "key/gen", api::keyGen);
    routes.add("GET", p + "key/ls", r -> api.keyLs());
    routes.add("POST", p + "key/rm", api::keyRm);
    routes.add("POST", p + "name/publish", api::namePublish);
    routes.add("GET", p + "name/resolve", api::nameResolve);
    // GET /api/v0/stats, /api/v0/stats/bandwidth and /metrics: io.mycel.node.metrics.MetricsApi
    routes.add("GET", p + "net/status", r -> ApiResponse.json(NetStatus.of(daemon.node())));
    routes.add("GET", p + "relay/meter", r -> ApiResponse.json(relayMeter(daemon.node()
        .relayService().orElseThrow(() -> new ApiException(404,
            "this node does not relay (set relay.enabled in its config)")).meter())));
  }

  private ApiResponse id() {
    Node node = daemon.node();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("peerId", node.peerId().toString());
    result.put("peerIdCid", node.peerId().toCid().toString());
    result.put("publicKey", Multibase.encode(Multibase.BASE64,
        node.host().privateKey().publicKey().marshal()));
    result.put("agentVersion", Version.agent());
    result.put("swarmAddresses", node.dialableAddresses().stream().map(Object::toString).toList());
    result.put("apiUrl", daemon.apiUrl());
    result.put("gatewayUrl", daemon.gatewayUrl());
    result.put("home", daemon.home().dir().toString());
    result.put("pid", ProcessHandle.current().pid());
    return ApiResponse.json(result);
  }

  /** One entry per connected peer (a peer may have more than one connection). */
  private ApiResponse peers() {
    Map<PeerId, Map<String, Object>> byPeer = new LinkedHashMap<>();
    for (Connection connection : daemon.node().host().connections()) {
      Map<String, Object> peer = byPeer.computeIfAbsent(connection.remotePeer(), id -> {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("peerId", id.toString());
        row.put("address", connection.remoteAddress().toString());
        row.put("direction", connection.isInitiator() ? "outbound" : "inbound");
        row.put("connections", 0);
        row.put("streams", 0);
        return row;
      });
      peer.put("connections", (int) peer.get("connections") + 1);
      peer.put("streams", (int) peer.get("streams") + connection.streamCount());
    }
    return ApiResponse.json(Map.of("peers", List.copyOf(byPeer.values())));
  }

  private ApiResponse ping(ApiRequest request) throws Exception {
    String target = request.requiredParam("arg");
    long count = request.longParam("count", 5);
    long intervalMs = request.longParam("interval-ms", 1000);
    long timeoutMs = request.longParam("timeout-ms", 10_000);
    if (count < 1 || count > 100) {
      throw ApiException.badRequest("count must be 1 to 100, was " + count);
    }
    if (intervalMs < 0 || intervalMs > 60_000 || timeoutMs < 1 || timeoutMs > 300_000) {
      throw ApiException.badRequest("interval-ms must be 0 to 60000 and timeout-ms 1 to 300000");
    }
    Node node = daemon.node();
    long began = System.nanoTime();
    Connection connection;
    try {
      if (target.startsWith("/")) {
        connection = node.host().dial(Multiaddr.parse(target)).get(timeoutMs,
            TimeUnit.MILLISECONDS);
      } else {
        PeerId peer = PeerId.parse(target.trim());
        if (node.host().connections(peer).isEmpty()
            && node.host().peerStore().get(peer).map(i -> i.addresses().isEmpty()).orElse(true)) {
          node.dht().findClosestPeers(peer.bytes()).get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        connection = node.host().dial(peer).get(timeoutMs, TimeUnit.MILLISECONDS);
      }
    } catch (TimeoutException e) {
      throw new ApiException(504, "could not reach " + target + " within " + timeoutMs + " ms");
    } catch (ExecutionException e) {
      throw new ApiException(502, "could not reach " + target + ": " + cause(e));
    }
    double connectMs = (System.nanoTime() - began) / 1e6;
    List<Double> rtts = new ArrayList<>();
    try (PingService.PingSession session = PingService.open(connection, timeoutMs)) {
      for (int i = 0; i < count; i++) {
        if (i > 0) {
          Thread.sleep(intervalMs);
        }
        rtts.add(session.ping().toNanos() / 1e6);
      }
    } catch (IOException e) {
      throw new ApiException(502, "pinging " + connection.remotePeer() + " failed: "
          + e.getMessage());
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("peerId", connection.remotePeer().toString());
    result.put("connectMs", connectMs);
    result.put("rttMs", rtts);
    result.put("minMs", rtts.stream().mapToDouble(d -> d).min().orElse(0));
    result.put("avgMs", rtts.stream().mapToDouble(d -> d).average().orElse(0));
    result.put("maxMs", rtts.stream().mapToDouble(d -> d).max().orElse(0));
    return ApiResponse.json(result);
  }

  /**
   * A file (any body) or a folder ({@code Content-Type: application/x-tar}); answers
   * newline-delimited JSON: one {@code {"entry","cid"}} line per folder entry, then the result
   * line with {@code "done": true} (or an {@code "error"} line).
   */
  private ApiResponse add(ApiRequest request) {
    ImportOptions options = importOptions(request);
    boolean onlyHash = request.flag("only-hash", false);
    boolean pin = request.flag("pin", true) && !onlyHash;
    String name = request.param("name").orElse("");
    String type = request.header("Content-Type");
    if (MultipartReader.isMultipart(type)) {
      MultipartReader parts = MultipartReader.of(type, request.body());
      return ApiResponse.stream(ApiResponse.NDJSON, -1, out ->
          addParts(parts, name, options, onlyHash, pin, out));
    }
    boolean folder = type != null && type.toLowerCase(Locale.ROOT).startsWith(TAR);
    return ApiResponse.stream(ApiResponse.NDJSON, -1, out -> {
      try {
        ImportProgress progress = new ImportProgress() {
          @Override
          public void entryImported(String entry, ImportResult r) {
            if (folder && !entry.isEmpty()) {
              line(out, Map.of("entry", entry, "cid", r.cid().toString()));
            }
          }
        };
        ImportResult result;
        if (folder) {
          // Unpacked under the folder's own name, so entries read as they would offline.
          Path upload = daemon.home().dir().resolve(UPLOADS_DIR)
              .resolve(UUID.randomUUID().toString());
          Path dir = upload.resolve(folderName(name));
          try {
            new TarReader(request.body()).extractTo(dir);
            result = repo.add(dir, options, onlyHash, pin, progress);
          } finally {
            deleteTree(upload);
          }
        } else {
          result = repo.add(request.body(), options, onlyHash, pin, progress);
        }
        done(out, result, name, onlyHash, pin);
      } catch (IOException | RuntimeException e) {
        failed(out, e);
      }
    });
  }

  private void done(OutputStream out, ImportResult result, String name, boolean onlyHash,
      boolean pin) {
    if (pin) {
      daemon.node().provide(List.of(result.cid()));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("done", true);
    m.put("cid", result.cid().toString());
    m.put("name", name);
    m.put("type", result.type().toString().toLowerCase(Locale.ROOT));
    m.put("contentBytes", result.contentSize());
    m.put("dagBytes", result.dagSize());
    m.put("pinned", pin);
    m.put("onlyHash", onlyHash);
    line(out, m);
  }

  private static void failed(OutputStream out, Exception e) {
    int status = e instanceof ApiException api ? api.status()
        : e instanceof IllegalArgumentException ? 400 : 500;
    line(out, ApiJson.error(status,
        "adding failed: " + (e.getMessage() != null ? e.getMessage() : e.toString())));
  }

  /**
   * A {@code multipart/form-data} upload (browsers, Kubo-style clients): each part with a file
   * name is a file, named by its path ({@code site/css/a.css}); a single file is added as a
   * file, several as the folder they make up.
   */
  private void addParts(MultipartReader parts, String name, ImportOptions options,
      boolean onlyHash, boolean pin, OutputStream out) {
    Path upload = daemon.home().dir().resolve(UPLOADS_DIR).resolve(UUID.randomUUID().toString());
    try {
      Path root = Files.createDirectories(upload.resolve("root"));
      for (MultipartReader.Part part; (part = parts.next()) != null; ) {
        if (part.filename() == null || part.filename().isEmpty()) {
          continue;
        }
        Path target = uploadPath(root, part.filename());
        if (part.contentType().toLowerCase(Locale.ROOT).startsWith("application/x-directory")) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = part.content()) {
          Files.copy(in, target);
        }
      }
      List<Path> top;
      try (var children = Files.list(root)) {
        top = children.toList();
      }
      if (top.isEmpty()) {
        throw ApiException.badRequest("no files in the upload: send them as multipart/form-data "
            + "parts with a filename");
      }
      Path what = top.size() == 1 ? top.get(0) : root;
      String shown = top.size() == 1 ? what.getFileName().toString() : name;
      if (what == root) {
        what = Files.move(root, upload.resolve(folderName(name)));
      }
      boolean folder = Files.isDirectory(what);
      ImportResult result = repo.add(what, options, onlyHash, pin, new ImportProgress() {
        @Override
        public void entryImported(String entry, ImportResult r) {
          if (folder) {
            line(out, Map.of("entry", entry, "cid", r.cid().toString()));
          }
        }
      });
      done(out, result, shown, onlyHash, pin);
    } catch (IOException | RuntimeException e) {
      failed(out, e);
    } finally {
      try {
        deleteTree(upload);
      } catch (IOException e) {
        line(out, ApiJson.error(500, "cannot remove the upload folder " + upload + ": "
            + e.getMessage()));
      }
    }
  }

  /** Where an uploaded file named {@code path} goes below {@code root}; never outside it. */
  private static Path uploadPath(Path root, String path) {
    String p = path.replace('\\', '/');
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    for (String part : p.split("/")) {
      if (part.equals("..") || part.indexOf('\0') >= 0) {
        throw ApiException.badRequest("refusing the uploaded file '" + path
            + "': it points outside the upload");
      }
    }
    Path target = root.resolve(p.replaceAll("^/+", "")).normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      throw ApiException.badRequest("refusing the uploaded file '" + path + "'");
    }
    return target;
  }

  private static String folderName(String name) {
    boolean plain = !name.isEmpty() && !name.equals(".") && !name.equals("..")
        && !name.contains("/") && !name.contains("\\") && name.indexOf('\0') < 0;
    return plain ? name : "folder";
  }

  private static ImportOptions importOptions(ApiRequest request) {
    String profile = request.param("profile").orElse(UnixfsProfile.UNIXFS_V1_2025.id());
    ImportOptions.Builder options = ImportOptions.builder(UnixfsProfile.fromId(profile));
    if (request.param("cid-version").isPresent()) {
      options.cidVersion((int) request.longParam("cid-version", 1));
    }
    request.param("chunker").ifPresent(options::chunker);
    if (request.param("raw-leaves").isPresent()) {
      options.rawLeaves(request.flag("raw-leaves", true));
    }
    return options.build();
  }

  private static void line(OutputStream out, Map<String, ?> value) {
    try {
      out.write(ApiJson.MAPPER.writeValueAsBytes(value));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ApiResponse cat(ApiRequest request) throws IOException {
    Cid cid = resolve(request.requiredParam("arg"));
    long offset = request.longParam("offset", 0);
    long length = request.longParam("length", Long.MAX_VALUE);
    if (offset < 0 || length < 0) {
      throw ApiException.badRequest("offset and length must not be negative");
    }
    UnixfsExporter exporter = new UnixfsExporter(readThrough);
    UnixfsStat stat = exporter.stat(cid);
    if (stat.type() != io.mycel.content.unixfs.UnixfsType.FILE
        && stat.type() != io.mycel.content.unixfs.UnixfsType.RAW) {
      throw ApiException.badRequest(cid + " is a " + stat.type().toString().toLowerCase(Locale.ROOT)
          + ", not a file; use get for folders");
    }
    long from = Math.min(offset, stat.size());
    long bytes = Math.min(length, stat.size() - from);
    return ApiResponse.stream(ApiResponse.OCTETS, bytes, out -> {
      try (InputStream in = exporter.open(cid, offset, length)) {
        in.transferTo(out);
      }
    });
  }

  /** The file, folder or link under {@code arg} as a tar stream whose top entry is named by the CID. */
  private ApiResponse get(ApiRequest request) throws IOException {
    Cid cid = resolve(request.requiredParam("arg"));
    UnixfsExporter exporter = new UnixfsExporter(readThrough);
    exporter.stat(cid);
    return ApiResponse.stream(TAR, -1, out -> {
      TarWriter tar = new TarWriter(out);
      writeEntry(exporter, tar, cid, cid.toString());
      tar.finish();
    }).header("X-Mycel-Root", cid.toString());
  }

  private static void writeEntry(UnixfsExporter exporter, TarWriter tar, Cid cid, String path)
      throws IOException {
    UnixfsStat stat = exporter.stat(cid);
    switch (stat.type()) {
      case DIRECTORY, HAMT_SHARD -> {
        tar.directory(path);
        for (DirectoryEntry entry : exporter.list(cid)) {
          String name = entry.name();
          if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
              || name.indexOf('\0') >= 0) {
            throw new IOException("the folder " + cid + " holds an entry named '" + name
                + "' that cannot be a file name");
          }
          writeEntry(exporter, tar, entry.cid(), path + "/" + name);
        }
      }
      case SYMLINK -> tar.symlink(path, exporter.readSymlink(cid));
      default -> {
        try (InputStream in = exporter.open(cid)) {
          tar.file(path, stat.size(), in);
        }
      }
    }
  }

  private ApiResponse pinAdd(ApiRequest request) throws IOException {
    Cid cid = parseCid(request.requiredParam("arg"));
    if (!repo.blocks().has(cid)) {
      throw ApiException.notFound(cid + " is not in the repository; add or fetch it first");
    }
    String name = request.param("name").orElse(null);
    Pin pin = request.flag("direct", false) ? repo.pins().pinDirect(cid, name)
        : repo.pins().pinRecursive(cid, name);
    return ApiResponse.json(pinJson(pin));
  }

  private ApiResponse pinRm(ApiRequest request) throws IOException {
    Cid cid = parseCid(request.requiredParam("arg"));
    if (!repo.pins().unpin(cid)) {
      throw ApiException.notFound(cid + " is not pinned");
    }
    return ApiResponse.json(Map.of("cid", cid.toString(), "unpinned", true));
  }

  private ApiResponse pinLs(ApiRequest request) {
    List<Pin> pins = request.param("type").isPresent()
        ? repo.pins().list(PinType.fromWireName(request.param("type").get()))
        : repo.pins().list();
    return ApiResponse.json(Map.of("pins", pins.stream().map(NodeApi::pinJson).toList()));
  }

  private static Map<String, Object> pinJson(Pin pin) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("cid", pin.cid().toString());
    row.put("type", pin.type().wireName());
    pin.name().ifPresent(n -> row.put("name", n));
    return row;
  }

  private ApiResponse repoStat() throws IOException {
    return ApiResponse.json(repoStats());
  }

  private Map<String, Object> repoStats() throws IOException {
    Blockstore.BlockstoreStats stats = repo.blocks().stats();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("blocks", stats.blocks());
    m.put("bytes", stats.bytes());
    m.put("quotaBytes", stats.quotaBytes());
    m.put("pins", repo.pins().size());
    m.put("corruptBlocksRemoved", stats.corruptBlocksRemoved());
    m.put("path", daemon.home().dir().resolve(Repo.BLOCKS_DIR).toString());
    return m;
  }

  private ApiResponse repoGc() throws IOException {
    GarbageCollector.GcResult result = repo.gc().collect();
    return ApiResponse.json(result);
  }

  private ApiResponse carExport(ApiRequest request) throws IOException {
    Cid root = parseCid(request.requiredParam("arg"));
    if (!readThrough.has(root) && readThrough.get(root).isEmpty()) {
      throw ApiException.notFound(root + " is not in the repository and no peer provided it");
    }
    return ApiResponse.stream(CAR, -1, out ->
        CarWriter.exportDag(readThrough, new DagPbLinkDecoder(), root, out))
        .header("Content-Disposition", "attachment; filename=\"" + root + ".car\"");
  }

  private ApiResponse carImport(ApiRequest request) throws IOException {
    boolean pin = request.flag("pin", true);
    CarImport imported;
    try {
      imported = repo.importCar(request.body(), pin);
    } catch (IOException e) {
      if (e instanceof java.io.InterruptedIOException) {
        throw e;
      }
      throw new ApiException(400, "the CAR could not be imported: " + e.getMessage(), e);
    }
    if (pin && !imported.roots().isEmpty()) {
      daemon.node().provide(imported.roots());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("roots", imported.roots().stream().map(Cid::toString).toList());
    m.put("blocks", imported.blocks());
    m.put("pinned", pin);
    return ApiResponse.json(m);
  }

  private ApiResponse keyGen(ApiRequest request) throws IOException {
    String name = request.requiredParam("arg");
    Keystore.checkName(name);
    if (!name.equals(Keystore.SELF) && keys.exists(name)) {
      throw ApiException.conflict("a key named '" + name + "' already exists");
    }
    return ApiResponse.json(keyJson(name, keys.gen(name)));
  }

  private ApiResponse keyLs() throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Keystore.Entry e : keys.list()) {
      rows.add(keyJson(e.name(), e.ipnsName()));
    }
    return ApiResponse.json(Map.of("keys", rows));
  }

  private ApiResponse keyRm(ApiRequest request) throws IOException {
    String name = request.requiredParam("arg");
    if (!name.equals(Keystore.SELF) && !keys.exists(name)) {
      throw ApiException.notFound("no key named '" + name + "'");
    }
    keys.remove(name);
    return ApiResponse.json(Map.of("removed", name));
  }

  private static Map<String, Object> keyJson(String name, IpnsName ipns) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", name);
    row.put("id", ipns.toBase36());
    row.put("path", ipns.toString());
    return row;
  }

  private ApiResponse namePublish(ApiRequest request) throws IOException {
    String path = request.requiredParam("arg");
    Names.checkPath(path);
    String key = request.param("key").orElse(Keystore.SELF);
    if (!key.equals(Keystore.SELF) && !keys.exists(key)) {
      throw ApiException.notFound("no key named '" + key + "'; create it with key/gen");
    }
    Duration lifetime = duration(request, "lifetime", Names.DEFAULT_LIFETIME);
    Duration ttl = duration(request, "ttl", Names.DEFAULT_TTL);
    PrivateKey signer = keys.load(key);
    Names.Publication published = names.publish(daemon.node(), signer, path, lifetime, ttl);
    Map<String, Object> result = describe(published.name(), published.record());
    result.put("key", key);
    result.put("peers", published.peers());
    return ApiResponse.json(result);
  }

  private ApiResponse nameResolve(ApiRequest request) throws IOException {
    String name = request.requiredParam("arg");
    IpnsName target = keys.exists(name) ? Keystore.ipnsName(keys.load(name))
        : IpnsName.parse(name.trim());
    IpnsRecord record;
    try {
      record = names.resolveRecord(daemon.node(), target);
    } catch (Names.NameNotFoundException e) {
      throw ApiException.notFound(e.getMessage());
    }
    return ApiResponse.json(describe(target, record));
  }

  private static Map<String, Object> describe(IpnsName name, IpnsRecord record) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("name", name.toString());
    result.put("path", record.path());
    result.put("sequence", Long.toUnsignedString(record.sequence()));
    result.put("validity", record.validity().toString());
    result.put("ttlSeconds", record.ttl().toSeconds());
    return result;
  }

  /** A {@code CID} or {@code CID/path} (optionally {@code /ipfs/}-prefixed) to the CID it names. */
  private Cid resolve(String target) throws IOException {
    String t = target.startsWith("/ipfs/") ? target.substring("/ipfs/".length()) : target;
    int slash = t.indexOf('/');
    Cid root = parseCid(slash < 0 ? t : t.substring(0, slash));
    if (slash < 0 || slash == t.length() - 1) {
      return root;
    }
    try {
      return new UnixfsExporter(readThrough).resolve(root, t.substring(slash + 1));
    } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
      throw ApiException.notFound(e.getMessage());
    }
  }

  private static Cid parseCid(String text) {
    try {
      return Cid.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("not a CID: '" + text + "' (" + e.getMessage() + ")");
    }
  }

  /** {@code 48h}, {@code 30m}, {@code 90s}, {@code 500ms}, {@code 7d} or ISO-8601. */
  private static Duration duration(ApiRequest request, String name, Duration absent) {
    String value = request.param(name).orElse(null);
    if (value == null) {
      return absent;
    }
    Matcher m = DURATION.matcher(value.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("the argument '" + name + "' is not a duration: '" + value
          + "' (e.g. 48h, 30m, 7d)");
    }
  }

  private static String cause(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** The relay's meter as JSON: bytes in all, per peer, and per circuit (open and recent). */
  private static Map<String, Object> relayMeter(io.mycel.net.relay.RelayMeter.Snapshot meter) {
    Map<String, Object> json = new java.util.LinkedHashMap<>();
    json.put("taken", meter.taken().toString());
    json.put("totalBytes", meter.totalBytes());
    json.put("peers", meter.peers().stream().map(peer -> Map.of(
        "peer", peer.peer().toString(),
        "bytesFromPeer", peer.bytesFromPeer(),
        "bytesToPeer", peer.bytesToPeer(),
        "circuits", peer.circuits())).toList());
    json.put("circuits", meter.circuits().stream().map(circuit -> {
      Map<String, Object> c = new java.util.LinkedHashMap<>();
      c.put("id", circuit.id());
      c.put("source", circuit.source().toString());
      c.put("destination", circuit.destination().toString());
      c.put("opened", circuit.opened().toString());
      c.put("closed", circuit.closed() == null ? null : circuit.closed().toString());
      c.put("bytesSourceToDestination", circuit.bytesSourceToDestination());
      c.put("bytesDestinationToSource", circuit.bytesDestinationToSource());
      c.put("totalBytes", circuit.totalBytes());
      return c;
    }).toList());
    return json;
  }
}
