package io.mycel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycel.node.DaemonFile;
import io.mycel.node.NodeHome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mycel devnet} and {@code mycel id} as separate processes, the way a developer uses them
 * from two terminals: {@code MYCEL_HOME=DIR/node-3 mycel id} reaches node 3 of the devnet through
 * the api file in that home, and stopping the devnet process (SIGTERM, as Ctrl-C) releases every
 * home.
 */
class DevnetProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static ProcessBuilder mycel(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /** Reads the process's output until it holds one whole JSON document. */
  private static JsonNode readJson(Process process) {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    StringBuilder text = new StringBuilder();
    try {
      String line;
      while ((line = out.readLine()) != null) {
        text.append(line).append('\n');
        try {
          return JSON.readTree(text.toString());
        } catch (IOException incomplete) {
          // more lines to come
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new AssertionError("the devnet ended before printing its nodes: " + text);
  }

  @Test
  void nodeHomesAtDirNodeIAreDrivenFromAnotherProcessThroughTheirApi() throws Exception {
    Process devnet = mycel("devnet", "--nodes", "3", "--dir", dir.toString(), "--json")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      CompletableFuture<JsonNode> printed = CompletableFuture.supplyAsync(() -> readJson(devnet));
      JsonNode network = printed.get(60, TimeUnit.SECONDS);
      assertThat(network.get("nodes")).hasSize(3);
      for (int i = 1; i <= 3; i++) {
        JsonNode node = network.get("nodes").get(i - 1);
        Path home = dir.toAbsolutePath().normalize().resolve("node-" + i);
        assertThat(node.get("home").asText()).isEqualTo(home.toString());
        assertThat(home.resolve(DaemonFile.API_FILE)).exists();
        assertThat(home.resolve("config.json")).exists();
      }
      JsonNode third = network.get("nodes").get(2);

      ProcessBuilder id = mycel("id", "--json").redirectError(ProcessBuilder.Redirect.DISCARD);
      id.environment().put("MYCEL_HOME", dir.resolve("node-3").toString());
      Process idProcess = id.start();
      String idOut = new String(idProcess.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(idProcess.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(idProcess.exitValue()).as(idOut).isZero();
      JsonNode shown = JSON.readTree(idOut);
      assertThat(shown.get("peerId").asText()).isEqualTo(third.get("peerId").asText());
      assertThat(shown.get("daemonRunning").asBoolean()).isTrue();
      assertThat(shown.get("apiUrl").asText()).isEqualTo(third.get("apiUrl").asText());
      assertThat(shown.get("gatewayUrl").asText()).isEqualTo(third.get("gatewayUrl").asText());

      try (HttpClient client = HttpClient.newHttpClient()) {
        HttpResponse<String> dashboard = client.send(HttpRequest.newBuilder(
                URI.create(third.get("dashboardUrl").asText())).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.headers().firstValue("Content-Type")).hasValueSatisfying(
            type -> assertThat(type).startsWith("text/html"));
        HttpResponse<String> stats = client.send(HttpRequest.newBuilder(
                URI.create(third.get("apiUrl").asText() + "/api/v0/stats"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(stats.body()).get("network").get("peers").asInt()).isEqualTo(2);
      }
    } finally {
      devnet.destroy();
      assertThat(devnet.waitFor(30, TimeUnit.SECONDS)).as("the devnet stops on SIGTERM").isTrue();
    }
    for (int i = 1; i <= 3; i++) {
      NodeHome home = new NodeHome(dir.resolve("node-" + i));
      assertThat(home.dir().resolve(DaemonFile.INFO_FILE)).doesNotExist();
      assertThat(home.dir().resolve(DaemonFile.API_FILE)).doesNotExist();
      DaemonFile.lock(home).close();
    }
  }
}
