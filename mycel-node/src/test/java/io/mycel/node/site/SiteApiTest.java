package io.mycel.node.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycel.node.Daemon;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The site routes of a running daemon's API, over HTTP. */
class SiteApiTest {
  /** Only the nodes of the test: no peers found on the local network. */
  private static final NodeConfig.Discovery NO_MDNS = new NodeConfig.Discovery(false, 10_000);
  private static final String BOUNDARY = "----mycel-test-boundary";

  @TempDir Path dir;
  private Daemon daemon;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    NodeHome home = new NodeHome(dir.resolve("home"));
    NodeConfig config = NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0"))
        .withGateway("/ip4/127.0.0.1/tcp/0").withApi("/ip4/127.0.0.1/tcp/0").withDiscovery(NO_MDNS).withBootstrap(List.of());
    home.init(config);
    daemon = Daemon.start(home, config);
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  private HttpResponse<String> post(String pathAndQuery, HttpRequest.BodyPublisher body, String type) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(daemon.apiUrl() + pathAndQuery))
        .timeout(Duration.ofSeconds(30)).POST(body);
    if (type != null) {
      request.header("Content-Type", type);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A multipart body: each file as a {@code path} part followed by its {@code file} part. */
  private static HttpRequest.BodyPublisher multipart(Map<String, String> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder b = new StringBuilder();
    files.forEach((path, content) -> {
      b.append("--").append(BOUNDARY).append("\r\n")
          .append("Content-Disposition: form-data; name=\"path\"\r\n\r\n").append(path).append("\r\n");
      String fileName = path.substring(path.lastIndexOf('/') + 1);
      b.append("--").append(BOUNDARY).append("\r\n")
          .append("Content-Disposition: form-data; name=\"file\"; filename=\"").append(fileName).append("\"\r\n")
          .append("Content-Type: application/octet-stream\r\n\r\n").append(content).append("\r\n");
    });
    b.append("--").append(BOUNDARY).append("--\r\n");
    out.writeBytes(b.toString().getBytes(StandardCharsets.UTF_8));
    return HttpRequest.BodyPublishers.ofByteArray(out.toByteArray());
  }

  private static String multipartType() {
    return "multipart/form-data; boundary=" + BOUNDARY;
  }

  private JsonNode sites() throws Exception {
    return json.readTree(get(daemon.apiUrl() + "/api/v0/site/ls").body()).get("sites");
  }

  @Test
  void anUploadedFolderIsPublishedAndOpensThroughTheGateway() throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("index.html", "<h1>uploaded</h1>");
    files.put("docs/guide/intro.txt", "nested file");

    HttpResponse<String> r = post("/api/v0/site/publish?name=uploaded", multipart(files), multipartType());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode site = json.readTree(r.body());
    assertThat(site.get("source").asText()).isEqualTo("upload");
    assertThat(site.get("urls").get("gateway").asText()).isEqualTo(daemon.gatewayUrl() + "/ipns/" + site.get("ipnsName").asText() + "/");
    assertThat(get(site.get("urls").get("gateway").asText()).body()).isEqualTo("<h1>uploaded</h1>");
    assertThat(get(site.get("urls").get("gateway").asText() + "docs/guide/intro.txt").body()).isEqualTo("nested file");
    assertThat(sites()).hasSize(1);
    try (var staged = Files.list(daemon.home().dir().resolve(SiteUpload.STAGING_DIR))) {
      assertThat(staged).as("the staging folder is emptied").isEmpty();
    }
  }

  @Test
  void aLocalFolderIsPublishedByPathAndRemoved() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("local"));
    Files.writeString(folder.resolve("index.html"), "<h1>local</h1>");

    HttpResponse<String> r = post("/api/v0/site/publish?name=local&arg="
        + URLEncoder.encode(folder.toString(), StandardCharsets.UTF_8), HttpRequest.BodyPublishers.noBody(), null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode site = json.readTree(r.body());
    assertThat(site.get("source").asText()).isEqualTo(folder.toString());
    assertThat(sites().get(0).get("name").asText()).isEqualTo("local");

    HttpResponse<String> removed = post("/api/v0/site/rm?arg=local", HttpRequest.BodyPublishers.noBody(), null);
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    assertThat(json.readTree(removed.body()).get("keyRemoved").asBoolean()).isFalse();
    assertThat(sites()).isEmpty();
    assertThat(daemon.repo().pins().list()).isEmpty();
  }

  @Test
  void anUploadedPathLeavingTheFolderIsRefusedAndNothingIsPublished() throws Exception {
    HttpResponse<String> r = post("/api/v0/site/publish?name=evil",
        multipart(Map.of("../../escape.html", "x")), multipartType());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json.readTree(r.body()).get("error").asText()).contains("'../../escape.html'");
    assertThat(sites()).isEmpty();
    assertThat(daemon.repo().pins().list()).isEmpty();
    assertThat(daemon.home().dir().resolve("escape.html")).doesNotExist();
  }

  @Test
  void aFolderWithASymlinkLoopIsRefusedNamingTheLink() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("looping"));
    Files.writeString(folder.resolve("index.html"), "<h1>loop</h1>");
    Files.createSymbolicLink(folder.resolve("self"), Path.of("."));

    HttpResponse<String> r = post("/api/v0/site/publish?name=looping&arg="
        + URLEncoder.encode(folder.toString(), StandardCharsets.UTF_8), HttpRequest.BodyPublishers.noBody(), null);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json.readTree(r.body()).get("error").asText()).contains(folder.resolve("self").toString(), "loop");
    assertThat(sites()).isEmpty();
  }

  @Test
  void aBodyThatIsNotMultipartIsRefused() throws Exception {
    HttpResponse<String> r = post("/api/v0/site/publish?name=blog",
        HttpRequest.BodyPublishers.ofString("{}"), "application/json");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json.readTree(r.body()).get("error").asText()).contains("multipart/form-data");
  }

  @Test
  void aMissingNameIsRefused() throws Exception {
    HttpResponse<String> r = post("/api/v0/site/publish", multipart(Map.of("index.html", "x")), multipartType());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json.readTree(r.body()).get("error").asText()).contains("'name'");
  }

  @Test
  void aRelativePathIsRefused() throws Exception {
    HttpResponse<String> r = post("/api/v0/site/publish?name=blog&arg=site", HttpRequest.BodyPublishers.noBody(), null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json.readTree(r.body()).get("error").asText()).contains("absolute");
  }

  @Test
  void theFolderMayAlsoBeGivenAsPathAndTheSiteToRemoveAsName() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("named"));
    Files.writeString(folder.resolve("index.html"), "<h1>named</h1>");
    HttpResponse<String> r = post("/api/v0/site/publish?name=named&path="
        + URLEncoder.encode(folder.toString(), StandardCharsets.UTF_8), HttpRequest.BodyPublishers.noBody(), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    HttpResponse<String> removed = post("/api/v0/site/rm?name=named", HttpRequest.BodyPublishers.noBody(), null);
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    assertThat(sites()).isEmpty();
  }

  @Test
  void removingAnUnknownSiteIs404() throws Exception {
    HttpResponse<String> r = post("/api/v0/site/rm?arg=nothing", HttpRequest.BodyPublishers.noBody(), null);
    assertThat(r.statusCode()).isEqualTo(404);
  }

  @Test
  void publishingIsPostOnly() throws Exception {
    assertThat(get(daemon.apiUrl() + "/api/v0/site/publish?name=x&arg=/tmp").statusCode()).isEqualTo(405);
  }
}
