package io.mycel.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycel.node.Daemon;
import io.mycel.node.DaemonFile;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import java.net.URI;
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
        .withApi(LOOPBACK);
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
  void peersListsNoneOnALoneNode() throws Exception {
    assertThat(getJson("/api/v0/peers").get("peers")).isEmpty();
  }
}
