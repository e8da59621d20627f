package io.mycel.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.UnixfsImporter;
import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.tar.TarReader;
import io.mycel.core.tar.TarWriter;
import io.mycel.node.Daemon;
import io.mycel.node.Node;
import io.mycel.node.DaemonFile;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's API routes on a real daemon in a temporary home. */
class DaemonApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOOPBACK = "/ip4/127.0.0.1/tcp/0";

  @TempDir static Path dir;
  static NodeHome home;
  static Daemon daemon;
  static HttpClient client;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    home = new NodeHome(dir.resolve("home"));
    home.init(NodeConfig.defaults());
    NodeConfig config = home.loadConfig().withListen(List.of(LOOPBACK)).withGateway(LOOPBACK)
        .withApi(LOOPBACK).withRelay(relaying());
    daemon = Daemon.start(home, config);
    base = daemon.apiUrl();
    client = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    if (daemon != null) {
      daemon.close();
    }
    if (client != null) {
      client.close();
    }
  }

  /** The daemon relays (the meter route has something to show), with the default limits. */
  private static NodeConfig.Relay relaying() {
    NodeConfig.Relay d = NodeConfig.Relay.defaults();
    return new NodeConfig.Relay(true, d.reservationTtlSeconds(), d.maxReservations(),
        d.maxReservationsPerIp(), d.maxCircuits(), d.maxCircuitsPerPeer(),
        d.circuitDurationSeconds(), d.circuitBytes(), false, d.rateBytesPerSecond(),
        d.totalRateBytesPerSecond(), List.of());
  }

  @Test
  void theRelayMeterCountsBytesPerPeerAndPerCircuit() throws Exception {
    NodeConfig base = NodeConfig.defaults().withListen(List.of(LOOPBACK)).withGateway("");
    NodeConfig.Relay d = NodeConfig.Relay.defaults();
    try (Node reserving = Node.start(Ed25519.generate(), base.withRelay(new NodeConfig.Relay(false,
            d.reservationTtlSeconds(), 0, 0, 0, 0, 0, 0, false, 0, 0,
            List.of(daemon.node().dialableAddresses().get(0).toString()))));
        Node dialing = Node.start(Ed25519.generate(), base)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (reserving.relayClient().circuitAddresses().isEmpty() && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      var relayed = dialing.host().dial(reserving.relayClient().circuitAddresses().get(0)
          .withPeerId(reserving.peerId())).get(10, TimeUnit.SECONDS);
      io.mycel.net.ping.PingService.ping(relayed).get(10, TimeUnit.SECONDS);

      JsonNode meter = getJson("/api/v0/relay/meter");

      assertThat(meter.get("totalBytes").asLong()).isPositive();
      JsonNode circuit = meter.get("circuits").get(0);
      assertThat(circuit.get("source").asText()).isEqualTo(dialing.peerId().toString());
      assertThat(circuit.get("destination").asText()).isEqualTo(reserving.peerId().toString());
      assertThat(circuit.get("bytesSourceToDestination").asLong()).isPositive();
      assertThat(circuit.get("bytesDestinationToSource").asLong()).isPositive();
      long fromDialer = 0;
      for (JsonNode peer : meter.get("peers")) {
        if (peer.get("peer").asText().equals(dialing.peerId().toString())) {
          fromDialer = peer.get("bytesFromPeer").asLong();
        }
      }
      assertThat(fromDialer).isPositive();
    }
  }

  static JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void theDaemonWritesItsApiAddressInTheHome() throws Exception {
    String api = Files.readString(home.dir().resolve(DaemonFile.API_FILE)).trim();
    assertThat(api).isEqualTo("/ip4/127.0.0.1/tcp/" + daemon.api().address().getPort());
    DaemonFile.Info info = DaemonFile.read(home).orElseThrow();
    assertThat(info.apiUrl()).isEqualTo(base);
    assertThat(info.gatewayUrl()).isEqualTo(daemon.gatewayUrl());
  }

  @Test
  void idShowsPeerAddressesAndUrls() throws Exception {
    JsonNode id = getJson("/api/v0/id");
    assertThat(id.get("peerId").asText()).isEqualTo(daemon.node().peerId().toString());
    assertThat(id.get("apiUrl").asText()).isEqualTo(base);
    assertThat(id.get("gatewayUrl").asText()).startsWith("http://127.0.0.1:");
    assertThat(id.get("swarmAddresses")).isNotEmpty();
    assertThat(id.get("agentVersion").asText()).startsWith("mycel/");
  }

  @Test
  void peersListsAConnectedPeer() throws Exception {
    try (Node other = Node.start(Ed25519.generate(), NodeConfig.defaults()
        .withListen(List.of(LOOPBACK)))) {
      other.host().dial(daemon.node().dialableAddresses().get(0)).get(10, TimeUnit.SECONDS);
      JsonNode peers = getJson("/api/v0/peers").get("peers");
      assertThat(peers.findValuesAsText("peerId")).contains(other.peerId().toString());
    }
  }

  @Test
  void pingMeasuresRoundTripsToAPeer() throws Exception {
    try (Node other = Node.start(Ed25519.generate(), NodeConfig.defaults()
        .withListen(List.of(LOOPBACK)))) {
      String address = other.dialableAddresses().get(0).toString();
      JsonNode ping = json(post("/api/v0/ping?count=2&interval-ms=0&arg="
          + enc(address), null, null), 200);
      assertThat(ping.get("peerId").asText()).isEqualTo(other.peerId().toString());
      assertThat(ping.get("rttMs")).hasSize(2);
    }
  }

  @Test
  void pingOfAnUnreachableAddressIs502() throws Exception {
    HttpResponse<String> r = post("/api/v0/ping?count=1&timeout-ms=3000&arg="
        + enc("/ip4/127.0.0.1/tcp/1/p2p/" + daemon.node().peerId()), null, null);
    assertThat(r.statusCode()).isIn(502, 504);
    assertThat(JSON.readTree(r.body()).get("error").asText()).contains("could not reach");
  }

  @Test
  void anAddedFileIsCatAndPinned() throws Exception {
    byte[] data = new byte[3 * 1024 * 1024 + 5];
    new Random(1).nextBytes(data);
    JsonNode added = lastLine(post("/api/v0/add?name=blob.bin", "application/octet-stream",
        data));
    assertThat(added.get("done").asBoolean()).isTrue();
    String cid = added.get("cid").asText();
    assertThat(cid).isEqualTo(UnixfsImporter.onlyHash(ImportOptions.defaults())
        .importBytes(data).cid().toString());
    assertThat(added.get("contentBytes").asLong()).isEqualTo(data.length);
    assertThat(added.get("pinned").asBoolean()).isTrue();

    HttpResponse<byte[]> cat = client.send(HttpRequest.newBuilder(
        URI.create(base + "/api/v0/cat?arg=" + cid)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(cat.statusCode()).isEqualTo(200);
    assertThat(cat.body()).isEqualTo(data);

    HttpResponse<byte[]> range = client.send(HttpRequest.newBuilder(
        URI.create(base + "/api/v0/cat?arg=" + cid + "&offset=10&length=100")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(range.body()).isEqualTo(Arrays.copyOfRange(data, 10, 110));
    assertThat(getJson("/api/v0/pin/ls").get("pins").findValuesAsText("cid")).contains(cid);
  }

  @Test
  void onlyHashStoresNothing() throws Exception {
    byte[] data = "only hashed\n".getBytes(StandardCharsets.UTF_8);
    JsonNode added = lastLine(post("/api/v0/add?only-hash=true", "application/octet-stream",
        data));
    assertThat(added.get("pinned").asBoolean()).isFalse();
    assertThat(daemon.repo().blocks().has(Cid.parse(added.get("cid").asText()))).isFalse();
  }

  @Test
  void anAddedFolderHasTheOfflineCidAndComesBackByGet() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("site"));
    Files.writeString(folder.resolve("index.html"), "<h1>hi</h1>");
    Files.createDirectories(folder.resolve("sub"));
    Files.writeString(folder.resolve("sub").resolve("deep.txt"), "deep");
    Files.writeString(folder.resolve("sub").resolve("ünïcode name with a long tail "
        + "x".repeat(90) + ".txt"), "long");
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    TarWriter writer = new TarWriter(tar);
    writer.writeTree(folder);
    writer.finish();
    HttpResponse<String> r = post("/api/v0/add?name=site&profile=unixfs-v0-2015", NodeApi.TAR,
        tar.toByteArray());
    List<String> lines = r.body().lines().toList();
    JsonNode done = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(done.get("type").asText()).isEqualTo("directory");
    String cid = done.get("cid").asText();
    assertThat(cid).isEqualTo(UnixfsImporter.onlyHash(ImportOptions.of(
        io.mycel.content.unixfs.UnixfsProfile.UNIXFS_V0_2015)).importPath(folder).cid()
        .toString());
    assertThat(lines).anyMatch(l -> l.contains("\"entry\":\"site/sub/deep.txt\""));
    assertThat(home.dir().resolve(NodeApi.UPLOADS_DIR)).isEmptyDirectory();

    HttpResponse<InputStream> get = client.send(HttpRequest.newBuilder(
        URI.create(base + "/api/v0/get?arg=" + cid)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(get.statusCode()).isEqualTo(200);
    Path out = dir.resolve("got");
    try (InputStream in = get.body()) {
      new TarReader(in).extractTo(out);
    }
    assertThat(out.resolve(cid).resolve("sub").resolve("deep.txt")).hasContent("deep");
    assertThat(out.resolve(cid).resolve("index.html")).hasContent("<h1>hi</h1>");
    assertThat(Files.list(out.resolve(cid).resolve("sub")).count()).isEqualTo(2);

    HttpResponse<String> cat = client.send(HttpRequest.newBuilder(
        URI.create(base + "/api/v0/cat?arg=" + cid + "/sub/deep.txt")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(cat.body()).isEqualTo("deep");
  }

  @Test
  void aBrowserUploadOfOneFileIsAddedAsThatFile() throws Exception {
    String boundary = "----formBoundary7MA4YWxkTrZu0gW";
    String body = "--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"file\"; filename=\"note.txt\"\r\n"
        + "Content-Type: text/plain\r\n\r\n"
        + "a note\r\nwith lines\r\n"
        + "--" + boundary + "--\r\n";
    HttpResponse<String> r = post("/api/v0/add", "multipart/form-data; boundary=" + boundary,
        body.getBytes(StandardCharsets.UTF_8));
    assertThat(r.body().lines().count()).isEqualTo(1);
    JsonNode added = JSON.readTree(r.body());
    assertThat(added.get("name").asText()).isEqualTo("note.txt");
    assertThat(added.get("cid").asText()).isEqualTo(UnixfsImporter.onlyHash(
        ImportOptions.defaults()).importBytes("a note\r\nwith lines".getBytes(
        StandardCharsets.UTF_8)).cid().toString());
    assertThat(home.dir().resolve(NodeApi.UPLOADS_DIR)).isEmptyDirectory();
  }

  @Test
  void aMultipartUploadOfSeveralFilesIsAddedAsAFolder() throws Exception {
    String boundary = "b0undary";
    String body = "preamble\r\n--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"file\"; filename=\"site/a.txt\"\r\n\r\n"
        + "A\r\n--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"file\"; filename=\"site/sub/b.txt\"\r\n\r\n"
        + "B\r\n--" + boundary + "--\r\n";
    HttpResponse<String> r = post("/api/v0/add", "multipart/form-data; boundary=\"" + boundary
        + "\"", body.getBytes(StandardCharsets.UTF_8));
    JsonNode done = lastLine(r);
    assertThat(done.get("type").asText()).isEqualTo("directory");
    assertThat(done.get("name").asText()).isEqualTo("site");
    Path expected = Files.createDirectories(dir.resolve("expected-site").resolve("sub"));
    Files.writeString(expected.getParent().resolve("a.txt"), "A");
    Files.writeString(expected.resolve("b.txt"), "B");
    assertThat(done.get("cid").asText()).isEqualTo(UnixfsImporter.onlyHash(
        ImportOptions.defaults()).importPath(expected.getParent()).cid().toString());
  }

  @Test
  void aMultipartFileNameLeavingTheUploadIsRefused() throws Exception {
    String body = "--x\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename=\"../../evil\"\r\n\r\nE\r\n--x--\r\n";
    JsonNode last = lastLine(post("/api/v0/add", "multipart/form-data; boundary=x",
        body.getBytes(StandardCharsets.UTF_8)));
    assertThat(last.get("error").asText()).contains("../../evil");
    assertThat(last.get("code").asInt()).isEqualTo(400);
    assertThat(home.dir().resolve("evil")).doesNotExist();
  }

  @Test
  void catOfAFolderIs400() throws Exception {
    JsonNode folder = lastLine(post("/api/v0/add", NodeApi.TAR, emptyTar()));
    HttpResponse<String> r = get("/api/v0/cat?arg=" + folder.get("cid").asText());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("not a file");
  }

  @Test
  void aMissingPathInAFolderIs404() throws Exception {
    JsonNode folder = lastLine(post("/api/v0/add", NodeApi.TAR, emptyTar()));
    assertThat(get("/api/v0/cat?arg=" + folder.get("cid").asText() + "/nope.txt").statusCode())
        .isEqualTo(404);
  }

  @Test
  void aBadCidIs400() throws Exception {
    HttpResponse<String> r = get("/api/v0/cat?arg=not-a-cid");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("error").asText()).contains("not a CID");
  }

  @Test
  void aMissingArgumentIs400() throws Exception {
    HttpResponse<String> r = get("/api/v0/cat");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("error").asText()).contains("'arg'");
  }

  @Test
  void anUnknownProfileIs400() throws Exception {
    HttpResponse<String> r = post("/api/v0/add?profile=nope", "application/octet-stream",
        new byte[] {1});
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void aBrokenTarAddAnswersAnErrorLine() throws Exception {
    JsonNode last = lastLine(post("/api/v0/add", NodeApi.TAR,
        "garbage that is not a tar stream at all".repeat(20).getBytes(StandardCharsets.UTF_8)));
    assertThat(last.get("error").asText()).contains("tar");
    assertThat(home.dir().resolve(NodeApi.UPLOADS_DIR)).isEmptyDirectory();
  }

  @Test
  void pinsAreAddedListedAndRemoved() throws Exception {
    String cid = lastLine(post("/api/v0/add?pin=false", "application/octet-stream",
        "pin me".getBytes(StandardCharsets.UTF_8))).get("cid").asText();
    assertThat(getJson("/api/v0/pin/ls").get("pins").findValuesAsText("cid")).doesNotContain(cid);
    JsonNode pinned = json(post("/api/v0/pin/add?name=mine&arg=" + cid, null, null), 200);
    assertThat(pinned.get("type").asText()).isEqualTo("recursive");
    assertThat(getJson("/api/v0/pin/ls?type=recursive").get("pins").findValuesAsText("name"))
        .contains("mine");
    json(post("/api/v0/pin/rm?arg=" + cid, null, null), 200);
    assertThat(getJson("/api/v0/pin/ls").get("pins").findValuesAsText("cid")).doesNotContain(cid);
    assertThat(post("/api/v0/pin/rm?arg=" + cid, null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void pinningAbsentContentIs404() throws Exception {
    String absent = UnixfsImporter.onlyHash(ImportOptions.defaults())
        .importBytes("never added".getBytes(StandardCharsets.UTF_8)).cid().toString();
    assertThat(post("/api/v0/pin/add?arg=" + absent, null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void repoStatAndGc() throws Exception {
    lastLine(post("/api/v0/add?pin=false", "application/octet-stream",
        "garbage".getBytes(StandardCharsets.UTF_8)));
    JsonNode stat = getJson("/api/v0/repo/stat");
    assertThat(stat.get("blocks").asLong()).isPositive();
    JsonNode gc = json(post("/api/v0/repo/gc", null, null), 200);
    assertThat(gc.get("blocksRemoved").asLong()).isPositive();
  }

  @Test
  void aCarExportImportsBack() throws Exception {
    byte[] data = new byte[2 * 1024 * 1024 + 1];
    new Random(3).nextBytes(data);
    String cid = lastLine(post("/api/v0/add", "application/octet-stream", data)).get("cid")
        .asText();
    HttpResponse<byte[]> car = client.send(HttpRequest.newBuilder(
        URI.create(base + "/api/v0/car/export?arg=" + cid)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(car.statusCode()).isEqualTo(200);
    assertThat(car.headers().firstValue("Content-Type")).hasValue(NodeApi.CAR);
    JsonNode imported = json(post("/api/v0/car/import", NodeApi.CAR, car.body()), 200);
    assertThat(imported.get("roots").get(0).asText()).isEqualTo(cid);
    assertThat(imported.get("blocks").asLong()).isGreaterThan(1);
  }

  @Test
  void aBrokenCarIs400() throws Exception {
    HttpResponse<String> r = post("/api/v0/car/import", NodeApi.CAR, new byte[] {1, 2, 3});
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void keysAreGeneratedListedAndRemoved() throws Exception {
    JsonNode key = json(post("/api/v0/key/gen?arg=blog", null, null), 200);
    assertThat(key.get("path").asText()).startsWith("/ipns/k51");
    assertThat(post("/api/v0/key/gen?arg=blog", null, null).statusCode()).isEqualTo(409);
    assertThat(getJson("/api/v0/key/ls").get("keys").findValuesAsText("name"))
        .contains("self", "blog");
    json(post("/api/v0/key/rm?arg=blog", null, null), 200);
    assertThat(post("/api/v0/key/rm?arg=blog", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aBadKeyNameIs400() throws Exception {
    assertThat(post("/api/v0/key/gen?arg=" + enc("a b/c"), null, null).statusCode())
        .isEqualTo(400);
  }

  @Test
  void aNameIsPublishedAndResolved() throws Exception {
    String cid = lastLine(post("/api/v0/add", "application/octet-stream",
        "named".getBytes(StandardCharsets.UTF_8))).get("cid").asText();
    JsonNode published = json(post("/api/v0/name/publish?lifetime=2h&arg=" + enc("/ipfs/" + cid),
        null, null), 200);
    assertThat(published.get("path").asText()).isEqualTo("/ipfs/" + cid);
    assertThat(published.get("key").asText()).isEqualTo("self");
    JsonNode resolved = getJson("/api/v0/name/resolve?arg=" + enc(published.get("name").asText()));
    assertThat(resolved.get("path").asText()).isEqualTo("/ipfs/" + cid);
  }

  @Test
  void aBadLifetimeIs400() throws Exception {
    HttpResponse<String> r = post("/api/v0/name/publish?lifetime=soon&arg=" + enc("/ipfs/x"),
        null, null);
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void statsAreServedByTheMetrics() throws Exception {
    JsonNode stats = getJson("/api/v0/stats");
    assertThat(stats.get("peerId").asText()).isEqualTo(daemon.node().peerId().toString());
  }

  @Test
  void aMutationCannotBeMadeWithGet() throws Exception {
    assertThat(get("/api/v0/repo/gc").statusCode()).isEqualTo(405);
  }

  @Test
  void aForeignOriginCannotAddContent() throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v0/add"))
        .header("Origin", "https://attacker.example")
        .POST(HttpRequest.BodyPublishers.ofString("evil")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(daemon.repo().blocks().has(UnixfsImporter.onlyHash(ImportOptions.defaults())
        .importBytes("evil".getBytes(StandardCharsets.UTF_8)).cid())).isFalse();
  }

  @Test
  void theOpenApiDocumentListsEveryRouteAndNoOther() throws Exception {
    Path doc = Path.of(System.getProperty("mycel.root", "..")).resolve("docs/api/openapi.yaml");
    JsonNode openapi = new ObjectMapper(new YAMLFactory()).readTree(doc.toFile());
    Set<String> documented = new TreeSet<>();
    openapi.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
      assertThat(op.getValue().has("responses")).as(path.getKey() + " " + op.getKey()).isTrue();
      documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
    }));
    Set<String> registered = new TreeSet<>();
    daemon.api().routeList().stream()
        .filter(route -> route.path().startsWith(ApiServer.PREFIX)
            || route.path().equals(io.mycel.node.metrics.MetricsApi.METRICS_PATH))
        .forEach(route -> registered.add(route.method() + " " + route.path()));
    assertThat(documented).isEqualTo(registered);
  }

  private static byte[] emptyTar() throws Exception {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    TarWriter writer = new TarWriter(tar);
    writer.directory("empty");
    writer.finish();
    return tar.toByteArray();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String type, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .POST(body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return JSON.readTree(r.body());
  }

  static JsonNode lastLine(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> lines = r.body().lines().toList();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
