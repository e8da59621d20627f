package io.mycel.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API server's routing, access policy and body streaming, over real loopback HTTP. */
class ApiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "0123456789abcdef0123";

  private final HttpClient client = HttpClient.newHttpClient();
  private ApiServer server;
  private String base;

  @BeforeEach
  void start() throws Exception {
    server = started(ApiOptions.defaults());
    base = server.url();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static ApiServer started(ApiOptions options) throws Exception {
    ApiServer api = new ApiServer(options);
    api.routes()
        .add("GET", "/api/v0/hello", r -> ApiResponse.json(Map.of("hello", r.param("name")
            .orElse("world"))))
        .add("POST", "/api/v0/sha256", r -> {
          MessageDigest sha = MessageDigest.getInstance("SHA-256");
          byte[] buffer = new byte[8192];
          long total = 0;
          try (InputStream in = r.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
              sha.update(buffer, 0, n);
              total += n;
            }
          }
          return ApiResponse.json(Map.of("sha256", HexFormat.of().formatHex(sha.digest()),
              "bytes", total));
        })
        .add("GET", "/api/v0/count", r -> {
          long n = r.longParam("n", 10);
          return ApiResponse.stream(ApiResponse.NDJSON, -1, out -> {
            for (long i = 0; i < n; i++) {
              out.write(("{\"i\":" + i + "}\n").getBytes(StandardCharsets.UTF_8));
            }
          });
        })
        .add("GET", "/metrics", r -> ApiResponse.text("text/plain; version=0.0.4", "up 1\n"))
        .staticResources("/webui/", "io/mycel/node/api/static");
    api.start(new InetSocketAddress("127.0.0.1", 0));
    return api;
  }

  @Test
  void closingLetsARequestInProgressFinish() throws Exception {
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    ApiServer draining = new ApiServer(ApiOptions.defaults());
    draining.routes().add("POST", "/api/v0/slow", r -> {
      entered.countDown();
      release.await();
      return ApiResponse.json(Map.of("written", true));
    });
    draining.start(new InetSocketAddress("127.0.0.1", 0));
    var response = client.sendAsync(HttpRequest.newBuilder(URI.create(draining.url() + "/api/v0/slow"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    URI at = URI.create(draining.url());
    Thread closing = Thread.ofVirtual().start(draining::close);
    // The listener goes first: a new connection is refused while the request in progress runs.
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (isListening(at) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(isListening(at)).isFalse();
    assertThat(closing.isAlive()).as("close() waits for the request in progress").isTrue();
    release.countDown();
    closing.join(java.time.Duration.ofSeconds(15));

    HttpResponse<String> answered = response.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(answered.body()).get("written").asBoolean()).isTrue();
  }

  private static boolean isListening(URI uri) {
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void aRegisteredRouteAnswersJson() throws Exception {
    HttpResponse<String> r = get("/api/v0/hello?name=mycel");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(json(r).get("hello").asText()).isEqualTo("mycel");
  }

  @Test
  void anUnknownRouteIs404WithAJsonError() throws Exception {
    HttpResponse<String> r = get("/api/v0/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).get("error").asText()).contains("/api/v0/nope");
    assertThat(json(r).get("code").asInt()).isEqualTo(404);
  }

  @Test
  void aMutationByGetIs405() throws Exception {
    HttpResponse<String> r = get("/api/v0/sha256");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    assertThat(json(r).get("error").asText()).contains("POST");
  }

  @Test
  void aForeignOriginIsRefused() throws Exception {
    HttpResponse<String> r = get("/api/v0/hello", "Origin", "http://evil.example");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).get("error").asText()).contains("http://evil.example");
  }

  @Test
  void aForeignOriginCannotPost() throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v0/sha256"))
        .header("Origin", "http://localhost:1234")
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
  }

  @Test
  void theNullOriginIsRefused() throws Exception {
    assertThat(get("/api/v0/hello", "Origin", "null").statusCode()).isEqualTo(403);
  }

  @Test
  void aCrossSiteFetchIsRefused() throws Exception {
    assertThat(get("/api/v0/hello", "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403);
  }

  @Test
  void theSameOriginIsAllowed() throws Exception {
    assertThat(get("/api/v0/hello", "Origin", base).statusCode()).isEqualTo(200);
    assertThat(get("/api/v0/hello", "Sec-Fetch-Site", "same-origin").statusCode())
        .isEqualTo(200);
  }

  @Test
  void aForeignHostIsRefusedOnLoopback() throws Exception {
    String response = raw("GET /api/v0/hello HTTP/1.1\r\nHost: rebind.example:"
        + server.address().getPort() + "\r\nConnection: close\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 403").contains("rebind.example");
  }

  @Test
  void localhostIsAnAcceptedHost() throws Exception {
    String response = raw("GET /api/v0/hello HTTP/1.1\r\nHost: localhost:"
        + server.address().getPort() + "\r\nConnection: close\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 200");
  }

  @Test
  void aRequestWithoutHostIsRefused() throws Exception {
    String response = raw("GET /api/v0/hello HTTP/1.0\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 403");
  }

  @Test
  void aLargeUploadStreamsThroughTheHandler() throws Exception {
    byte[] data = new byte[8 * 1024 * 1024 + 7];
    new Random(7).nextBytes(data);
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v0/sha256"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("bytes").asLong()).isEqualTo(data.length);
    assertThat(json(r).get("sha256").asText()).isEqualTo(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
  }

  @Test
  void aStreamedResponseArrivesWhole() throws Exception {
    HttpResponse<String> r = get("/api/v0/count?n=20000");
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> lines = r.body().lines().toList();
    assertThat(lines).hasSize(20000);
    assertThat(lines.get(19999)).isEqualTo("{\"i\":19999}");
  }

  @Test
  void aBadNumberArgumentIs400() throws Exception {
    HttpResponse<String> r = get("/api/v0/count?n=lots");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("error").asText()).contains("'n'", "lots");
  }

  @Test
  void keepAliveConnectionsServeManyRequests() throws Exception {
    for (int i = 0; i < 50; i++) {
      assertThat(get("/api/v0/hello?name=" + i).body()).contains("\"" + i + "\"");
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    String one = "GET /api/v0/hello?name=one HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    String two = "GET /api/v0/hello?name=two HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close"
        + "\r\n\r\n";
    String response = raw(one + two);
    assertThat(response.indexOf("\"one\"")).isPositive().isLessThan(response.indexOf("\"two\""));
  }

  @Test
  void aTextRouteServesMetrics() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4");
    assertThat(r.body()).isEqualTo("up 1\n");
  }

  @Test
  void staticResourcesAreServedWithIndex() throws Exception {
    HttpResponse<String> index = get("/webui/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(index.body()).contains("api test page");
    assertThat(get("/webui/missing.js").statusCode()).isEqualTo(404);
    assertThat(get("/webui/../ApiServerTest.class").statusCode()).isEqualTo(404);
  }

  @Test
  void theRouteTableListsEveryRoute() {
    assertThat(server.routeList()).contains(
        new ApiRoutes.Route("GET", "/api/v0/hello"),
        new ApiRoutes.Route("POST", "/api/v0/sha256"),
        new ApiRoutes.Route("GET", "/metrics"),
        new ApiRoutes.Route("GET", "/webui/*"));
  }

  @Test
  void aRouteCannotBeRegisteredTwice() {
    assertThatThrownBy(() -> server.routes().add("GET", "/api/v0/hello", r -> null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("/api/v0/hello");
  }

  @Test
  void withATokenARequestWithoutItIs401() throws Exception {
    try (ApiServer guarded = started(ApiOptions.withToken(TOKEN))) {
      base = guarded.url();
      HttpResponse<String> r = get("/api/v0/hello");
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
      assertThat(json(r).get("error").asText()).contains("api.token");
    }
  }

  @Test
  void withATokenThePagesFilesAreServedButMetricsAreNot() throws Exception {
    try (ApiServer guarded = started(ApiOptions.withToken(TOKEN))) {
      base = guarded.url();
      assertThat(get("/webui/").statusCode()).isEqualTo(200);
      assertThat(get("/metrics").statusCode()).isEqualTo(401);
      assertThat(get("/metrics", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
      assertThat(get("/webui/", "Origin", "http://evil.example").statusCode()).isEqualTo(403);
    }
  }

  @Test
  void withATokenAWrongTokenIs401() throws Exception {
    try (ApiServer guarded = started(ApiOptions.withToken(TOKEN))) {
      base = guarded.url();
      HttpResponse<String> r = get("/api/v0/hello", "Authorization", "Bearer wrong-token-0000000");
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(json(r).get("error").asText()).contains("wrong");
    }
  }

  @Test
  void withATokenTheRightTokenIsServed() throws Exception {
    try (ApiServer guarded = started(ApiOptions.withToken(TOKEN))) {
      base = guarded.url();
      assertThat(get("/api/v0/hello", "Authorization", "Bearer " + TOKEN).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void aNonLoopbackAddressWithoutATokenIsRefusedAtStart() {
    try (ApiServer open = new ApiServer(ApiOptions.defaults())) {
      assertThatThrownBy(() -> open.start(new InetSocketAddress("0.0.0.0", 0)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("api.token");
    }
  }

  @Test
  void aShortTokenIsRefused() {
    assertThatThrownBy(() -> ApiOptions.withToken("short"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16");
  }

  private String raw(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(all);
      return all.toString(StandardCharsets.UTF_8);
    }
  }
}
