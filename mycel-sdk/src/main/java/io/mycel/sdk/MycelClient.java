package io.mycel.sdk;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.tar.TarWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A client of a Mycel daemon's HTTP API ({@code /api/v0/}, documented in
 * {@code docs/api/openapi.yaml}). Find the daemon of a node home with {@link #forHome}, which
 * reads the {@code api} file the daemon writes there and the token of its {@code config.json}:
 *
 * <pre>{@code
 * MycelClient client = MycelClient.forHome(Path.of(System.getenv("MYCEL_HOME")))
 *     .orElseThrow(() -> new IOException("no daemon runs"));
 * MycelClient.AddResult added = client.add(Path.of("photo.jpg"), AddOptions.defaults(), null);
 * try (InputStream in = client.cat(added.cid(), 0, -1)) { ... }
 * }</pre>
 *
 * Every call blocks; a refusal or failure of the daemon throws {@link MycelApiException} with the
 * HTTP status and the daemon's message.
 */
public final class MycelClient implements AutoCloseable {
  /** The file in a node home holding the running daemon's API multiaddr. */
  public static final String API_FILE = "api";
  private static final String PREFIX = "/api/v0/";
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Hears about an add while it runs. */
  public interface AddListener {
    /** {@code sent} bytes of the file or folder have gone to the daemon so far. */
    default void bytesSent(long sent) {}

    /** A folder entry ({@code folder/sub/file.txt}) was imported as {@code cid}. */
    default void entryAdded(String entry, String cid) {}
  }

  /** What {@code id} answers. */
  public record Id(String peerId, String peerIdCid, String publicKey, String agentVersion,
      List<String> swarmAddresses, String apiUrl, String gatewayUrl, String home, long pid) {}

  /** What {@code add} answers. */
  public record AddResult(String cid, String name, String type, long contentBytes, long dagBytes,
      boolean pinned, boolean onlyHash) {}

  /** A pin. */
  public record Pin(String cid, String type, String name) {}

  /** A key and its IPNS name. */
  public record Key(String name, String id, String path) {}

  /** An IPNS record published or resolved. */
  public record NameRecord(String name, String path, String sequence, String validity,
      long ttlSeconds, String key, Integer peers) {}

  /** What {@code ping} answers. */
  public record PingResult(String peerId, double connectMs, List<Double> rttMs, double minMs,
      double avgMs, double maxMs) {}

  /** What {@code car/import} answers. */
  public record CarImportResult(List<String> roots, long blocks, boolean pinned) {}

  /** What {@code repo/stat} answers. */
  public record RepoStat(long blocks, long bytes, long quotaBytes, int pins,
      long corruptBlocksRemoved, String path) {}

  private final URI base;
  private final String token;
  private final HttpClient http;

  private MycelClient(URI base, String token) {
    this.base = base;
    this.token = token == null ? "" : token;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .build();
  }

  /** A client of the API at {@code url} ({@code http://127.0.0.1:7070}), with a token or null. */
  public static MycelClient connect(String url, String token) {
    URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("the API URL must be http://HOST:PORT, was " + url);
    }
    return new MycelClient(uri, token);
  }

  /**
   * The client of the daemon running on node home {@code home}: its {@code api} file names the
   * address, its {@code config.json} the token ({@code api.token}) if any. Empty when the home
   * has no {@code api} file (no daemon runs there).
   *
   * @throws IOException when the files are there but unreadable
   */
  public static Optional<MycelClient> forHome(Path home) throws IOException {
    Path apiFile = home.resolve(API_FILE);
    if (!Files.isRegularFile(apiFile)) {
      return Optional.empty();
    }
    String address = Files.readString(apiFile, StandardCharsets.UTF_8).trim();
    String token = "";
    Path config = home.resolve("config.json");
    if (Files.isRegularFile(config)) {
      JsonNode tree = JSON.readTree(config.toFile());
      JsonNode t = tree == null ? null : tree.path("api").get("token");
      if (t != null && t.isTextual()) {
        token = t.asText();
      }
    }
    return Optional.of(connect(toUrl(address), token));
  }

  /** {@code /ip4/127.0.0.1/tcp/7070} (or an {@code http://} URL) as a base URL. */
  static String toUrl(String address) {
    if (address.startsWith("http://")) {
      return address;
    }
    Multiaddr multiaddr;
    try {
      multiaddr = Multiaddr.parse(address);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the api file holds neither a multiaddr nor a URL: '"
          + address + "'");
    }
    if (address.startsWith("/dns")) {
      String[] parts = address.split("/");
      return "http://" + parts[2] + ":" + parts[4];
    }
    InetSocketAddress at = multiaddr.toSocketAddress();
    String host = at.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + at.getPort();
  }

  /** Releases the HTTP client's connections. */
  @Override
  public void close() {
    http.close();
  }

  /** The API's base URL. */
  public String url() {
    return base.toString();
  }

  public Id id() throws IOException {
    return JSON.treeToValue(getJson("id", Map.of()), Id.class);
  }

  /**
   * The node's place in the network ({@code GET net/status}): reachability, observed and listen
   * addresses, relay reservations, hole punches, and the relay service.
   */
  public JsonNode netStatus() throws IOException {
    return getJson("net/status", Map.of());
  }

  /** The connected peers, each {@code {peerId, address, direction, streams}}. */
  public JsonNode peers() throws IOException {
    return getJson("peers", Map.of()).get("peers");
  }

  /** Pings {@code target} (a multiaddr with {@code /p2p/}, or a peer id) {@code count} times. */
  public PingResult ping(String target, int count, long intervalMs, long timeoutMs)
      throws IOException {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("arg", target);
    args.put("count", count);
    args.put("interval-ms", intervalMs);
    args.put("timeout-ms", timeoutMs);
    return JSON.treeToValue(postJson("ping", args), PingResult.class);
  }

  /**
   * Adds a file or a folder (sent as a tar stream, read while it is sent). The result is what
   * {@code mycel add} on the repository would give.
   *
   * @param listener hears progress, or null
   */
  public AddResult add(Path path, AddOptions options, AddListener listener) throws IOException {
    AddListener hear = listener != null ? listener : new AddListener() {};
    Map<String, Object> args = new LinkedHashMap<>();
    if (options.profile() != null) {
      args.put("profile", options.profile());
    }
    if (options.cidVersion() != null) {
      args.put("cid-version", options.cidVersion());
    }
    if (options.chunker() != null) {
      args.put("chunker", options.chunker());
    }
    if (options.rawLeaves() != null) {
      args.put("raw-leaves", options.rawLeaves());
    }
    args.put("only-hash", options.onlyHash());
    args.put("pin", options.pin());
    args.put("name", path.getFileName() == null ? "" : path.getFileName().toString());
    boolean folder = Files.isDirectory(path);
    InputStream body;
    Thread writer = null;
    java.util.concurrent.atomic.AtomicReference<IOException> unread =
        new java.util.concurrent.atomic.AtomicReference<>();
    if (folder) {
      PipedInputStream pipe = new PipedInputStream(256 * 1024);
      PipedOutputStream into = new PipedOutputStream(pipe);
      writer = Thread.ofVirtual().name("mycel-sdk-tar").start(() -> {
        try (OutputStream out = into) {
          TarWriter tar = new TarWriter(out);
          tar.writeTree(path);
          tar.finish();
        } catch (IOException e) {
          // The daemon sees a broken tar stream; the caller is told what could not be read.
          unread.set(e);
        }
      });
      body = pipe;
    } else {
      body = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
    }
    InputStream counted = new Counting(body, hear);
    HttpRequest request = request("add", args)
        .header("Content-Type", folder ? "application/x-tar" : "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> counted))
        .build();
    try {
      HttpResponse<Stream<String>> response = send(request, HttpResponse.BodyHandlers.ofLines());
      if (response.statusCode() != 200) {
        throw failure(response.statusCode(), String.join("\n", response.body().toList()));
      }
      AddResult result = null;
      try (Stream<String> lines = response.body()) {
        Iterator<String> it = lines.iterator();
        while (it.hasNext()) {
          String line = it.next();
          if (line.isBlank()) {
            continue;
          }
          JsonNode node = JSON.readTree(line);
          if (node.has("error")) {
            throw new MycelApiException(node.path("code").asInt(500), node.get("error").asText());
          }
          if (node.has("entry")) {
            hear.entryAdded(node.get("entry").asText(), node.get("cid").asText());
          } else if (node.path("done").asBoolean()) {
            result = JSON.treeToValue(node, AddResult.class);
          }
        }
      }
      if (result == null) {
        throw new IOException("the daemon's answer to add ended without a result");
      }
      return result;
    } catch (IOException e) {
      IOException reading = unread.get();
      if (reading != null) {
        throw new IOException("cannot read " + path + ": " + reading.getMessage(), reading);
      }
      throw e;
    } finally {
      body.close();
      if (writer != null) {
        writer.interrupt();
      }
    }
  }

  /**
   * The bytes of a file, {@code CID} or {@code CID/path}, from {@code offset}, at most
   * {@code length} bytes (-1: to the end). Close the stream.
   */
  public InputStream cat(String target, long offset, long length) throws IOException {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("arg", target);
    if (offset > 0) {
      args.put("offset", offset);
    }
    if (length >= 0) {
      args.put("length", length);
    }
    return getStream("cat", args);
  }

  /**
   * A file, folder or link as a tar stream whose top entry is named by its CID (read it with
   * {@link io.mycel.core.tar.TarReader}). Close the stream.
   */
  public InputStream get(String target) throws IOException {
    return getStream("get", Map.of("arg", target));
  }

  /** The DAG under {@code cid} as a CAR v1 stream. Close the stream. */
  public InputStream carExport(String cid) throws IOException {
    return getStream("car/export", Map.of("arg", cid));
  }

  /** Imports a CAR v1 stream, each block verified; pins its roots when {@code pin}. */
  public CarImportResult carImport(InputStream car, boolean pin) throws IOException {
    HttpRequest request = request("car/import", Map.of("pin", pin))
        .header("Content-Type", "application/vnd.ipld.car")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> car))
        .build();
    return JSON.treeToValue(json(request), CarImportResult.class);
  }

  public Pin pinAdd(String cid, boolean direct, String name) throws IOException {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("arg", cid);
    args.put("direct", direct);
    if (name != null) {
      args.put("name", name);
    }
    return JSON.treeToValue(postJson("pin/add", args), Pin.class);
  }

  public void pinRm(String cid) throws IOException {
    postJson("pin/rm", Map.of("arg", cid));
  }

  /** The pins, only those of {@code type} ({@code recursive}, {@code direct}) unless null. */
  public List<Pin> pinLs(String type) throws IOException {
    JsonNode pins = getJson("pin/ls", type == null ? Map.of() : Map.of("type", type)).get("pins");
    List<Pin> result = new ArrayList<>();
    for (JsonNode pin : pins) {
      result.add(JSON.treeToValue(pin, Pin.class));
    }
    return result;
  }

  public RepoStat repoStat() throws IOException {
    return JSON.treeToValue(getJson("repo/stat", Map.of()), RepoStat.class);
  }

  /** Collects garbage: {@code {blocksRemoved, bytesRemoved, blocksKept, problems, swept}}. */
  public JsonNode repoGc() throws IOException {
    return postJson("repo/gc", Map.of());
  }

  public Key keyGen(String name) throws IOException {
    return JSON.treeToValue(postJson("key/gen", Map.of("arg", name)), Key.class);
  }

  public List<Key> keyLs() throws IOException {
    List<Key> keys = new ArrayList<>();
    for (JsonNode key : getJson("key/ls", Map.of()).get("keys")) {
      keys.add(JSON.treeToValue(key, Key.class));
    }
    return keys;
  }

  public void keyRm(String name) throws IOException {
    postJson("key/rm", Map.of("arg", name));
  }

  /**
   * Publishes {@code path} under {@code key}; {@code lifetime} and {@code ttl} as
   * {@code 48h}/{@code 30m}/{@code 7d}, null for the defaults.
   */
  public NameRecord namePublish(String path, String key, String lifetime, String ttl)
      throws IOException {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("arg", path);
    if (key != null) {
      args.put("key", key);
    }
    if (lifetime != null) {
      args.put("lifetime", lifetime);
    }
    if (ttl != null) {
      args.put("ttl", ttl);
    }
    return JSON.treeToValue(postJson("name/publish", args), NameRecord.class);
  }

  public NameRecord nameResolve(String name) throws IOException {
    return JSON.treeToValue(getJson("name/resolve", Map.of("arg", name)), NameRecord.class);
  }

  /**
   * The node at a glance: {@code {peerId, peers, connections, streams, dhtPeers, store, traffic,
   * bitswap, gateway}}.
   */
  public JsonNode stats() throws IOException {
    return getJson("stats", Map.of());
  }

  /**
   * Publishes the folder {@code folder} on the daemon's machine as the site {@code name}
   * ({@code POST /api/v0/site/publish?name=&arg=}); answers the site with its URLs.
   */
  public JsonNode sitePublish(Path folder, String name) throws IOException {
    return postJson("site/publish", Map.of("name", name, "arg", folder.toAbsolutePath().normalize()));
  }

  /** The sites the daemon publishes, with their URLs ({@code GET /api/v0/site/ls}). */
  public JsonNode siteLs() throws IOException {
    return getJson("site/ls", Map.of()).path("sites");
  }

  /** Forgets the site {@code name} and unpins it, its key too when {@code removeKey}. */
  public JsonNode siteRm(String name, boolean removeKey) throws IOException {
    return postJson("site/rm", Map.of("arg", name, "remove-key", removeKey));
  }

  private JsonNode getJson(String route, Map<String, ?> args) throws IOException {
    return json(request(route, args).GET().build());
  }

  private JsonNode postJson(String route, Map<String, ?> args) throws IOException {
    return json(request(route, args).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  private JsonNode json(HttpRequest request) throws IOException {
    HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
    String text = new String(response.body(), StandardCharsets.UTF_8);
    if (response.statusCode() / 100 != 2) {
      throw failure(response.statusCode(), text);
    }
    return JSON.readTree(text);
  }

  private InputStream getStream(String route, Map<String, ?> args) throws IOException {
    HttpResponse<InputStream> response = send(request(route, args).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      try (InputStream in = response.body()) {
        throw failure(response.statusCode(),
            new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return response.body();
  }

  private HttpRequest.Builder request(String route, Map<String, ?> args) {
    StringBuilder uri = new StringBuilder(base.toString()).append(PREFIX).append(route);
    char sep = '?';
    for (Map.Entry<String, ?> arg : args.entrySet()) {
      uri.append(sep).append(arg.getKey()).append('=')
          .append(URLEncoder.encode(String.valueOf(arg.getValue()), StandardCharsets.UTF_8));
      sep = '&';
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri.toString()));
    if (!token.isEmpty()) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    try {
      return http.send(request, handler);
    } catch (ConnectException e) {
      throw new ConnectException("the Mycel daemon's API at " + base + " does not answer; is the "
          + "daemon running?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while calling " + request.uri());
    }
  }

  private static MycelApiException failure(int status, String body) {
    String message = body;
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.has("error")) {
        message = node.get("error").asText();
      }
    } catch (IOException notJson) {
      // the body itself is the message
    }
    return new MycelApiException(status, message.isBlank() ? "HTTP " + status : message);
  }

  /** Counts the bytes the HTTP client reads from an upload. */
  private static final class Counting extends FilterInputStream {
    private final AddListener listener;
    private long sent;

    Counting(InputStream in, AddListener listener) {
      super(Objects.requireNonNull(in));
      this.listener = listener;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        listener.bytesSent(++sent);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        sent += n;
        listener.bytesSent(sent);
      }
      return n;
    }
  }
}
