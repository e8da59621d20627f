package io.mycel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycel.node.DaemonFile;
import io.mycel.node.NodeHome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DevnetCliTest {
  @TempDir Path dir;

  /** Parses the output once it holds a whole JSON document, or returns null. */
  private static JsonNode parsed(StringWriter out) {
    try {
      String text = out.toString();
      return text.isBlank() ? null : new ObjectMapper().readTree(text);
    } catch (IOException incomplete) {
      return null;
    }
  }

  @Test
  void jsonListsEveryNodeAndAnInterruptStopsTheNetwork() throws Exception {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    AtomicInteger exitCode = new AtomicInteger(-1);
    Thread running = Thread.ofPlatform().name("devnet-under-test").start(() -> exitCode.set(
        cli.execute("devnet", "--nodes", "2", "--dir", dir.toString(), "--json")));

    JsonNode json = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while ((json = parsed(out)) == null && running.isAlive() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    try {
      assertThat(json).as("devnet output; stderr: %s", err).isNotNull();
      assertThat(json.get("dir").asText()).isEqualTo(dir.toAbsolutePath().normalize().toString());
      assertThat(json.get("nodes")).hasSize(2);
      for (int i = 0; i < 2; i++) {
        JsonNode node = json.get("nodes").get(i);
        assertThat(node.get("node").asInt()).isEqualTo(i + 1);
        NodeHome home = new NodeHome(Path.of(node.get("home").asText()));
        assertThat(home.dir()).isEqualTo(dir.toAbsolutePath().normalize().resolve("node-" + (i + 1)));
        DaemonFile.Info info = DaemonFile.read(home).orElseThrow();
        assertThat(info.peerId()).isEqualTo(node.get("peerId").asText());
        assertThat(info.swarmAddresses()).containsExactly(node.get("swarmAddress").asText());
        assertThat(node.get("gatewayUrl").asText()).startsWith("http://127.0.0.1:");
        assertThat(node.get("apiUrl").asText()).startsWith("http://127.0.0.1:")
            .isEqualTo(info.apiUrl()).isNotEqualTo(node.get("gatewayUrl").asText());
        assertThat(node.get("dashboardUrl").asText()).isEqualTo(node.get("apiUrl").asText() + "/");
        assertThat(home.dir().resolve(DaemonFile.API_FILE)).exists();
      }
      assertThat(json.get("nodes").get(0).get("apiUrl").asText())
          .isNotEqualTo(json.get("nodes").get(1).get("apiUrl").asText());
      // The id command finds node 2's daemon through the api file in its home.
      CliTest.Result id = CliTest.run("id", "--home", dir.resolve("node-2").toString(), "--json");
      assertThat(id.exitCode()).as(id.err()).isZero();
      JsonNode shown = new ObjectMapper().readTree(id.out());
      assertThat(shown.get("peerId").asText()).isEqualTo(json.get("nodes").get(1).get("peerId").asText());
      assertThat(shown.get("apiUrl").asText()).isEqualTo(json.get("nodes").get(1).get("apiUrl").asText());
      assertThat(shown.get("daemonRunning").asBoolean()).isTrue();
      assertThat(id.out()).contains(json.get("nodes").get(1).get("swarmAddress").asText());
    } finally {
      running.interrupt();
      running.join(TimeUnit.SECONDS.toMillis(20));
    }
    assertThat(running.isAlive()).isFalse();
    assertThat(exitCode.get()).isZero();
    for (int i = 1; i <= 2; i++) {
      assertThat(dir.resolve("node-" + i).resolve(DaemonFile.INFO_FILE)).doesNotExist();
      DaemonFile.lock(new NodeHome(dir.resolve("node-" + i))).close();
    }
  }

  @Test
  void textNamesEveryNodesUrlsAndHowToStop() throws Exception {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    Thread running = Thread.ofPlatform().name("devnet-under-test").start(() ->
        cli.execute("devnet", "--nodes", "1", "--dir", dir.toString()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!out.toString().contains("Ctrl-C stops the network") && running.isAlive()
        && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    try {
      DaemonFile.Info info = DaemonFile.read(new NodeHome(dir.resolve("node-1"))).orElseThrow();
      assertThat(out.toString()).contains("Ctrl-C stops the network", "node 1  " + info.peerId(),
          "dashboard  " + info.apiUrl() + "/", "gateway    " + info.gatewayUrl() + "/ipfs/<cid>",
          "swarm      /ip4/127.0.0.1/tcp/",
          "home       " + dir.resolve("node-1").toAbsolutePath().normalize(),
          "MYCEL_HOME=" + dir.toAbsolutePath().normalize() + "/node-i mycel");
    } finally {
      running.interrupt();
      running.join(TimeUnit.SECONDS.toMillis(20));
    }
    assertThat(running.isAlive()).isFalse();
  }

  @Test
  void refusesZeroNodes() {
    CliTest.Result r = CliTest.run("devnet", "--nodes", "0", "--dir", dir.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--nodes must be between 1 and 64, was 0");
  }

  @Test
  void refusesMoreThanSixtyFourNodes() {
    CliTest.Result r = CliTest.run("devnet", "--nodes", "65", "--dir", dir.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--nodes must be between 1 and 64, was 65");
  }
}
