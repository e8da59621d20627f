package io.mycel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycel.core.crypto.Ed25519;
import io.mycel.node.Node;
import io.mycel.node.NodeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mycel site publish|ls|rm} on a real home, offline and joined to a loopback node. */
class SiteCliTest {
  @TempDir Path dir;
  private final List<Node> nodes = new ArrayList<>();
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void stop() {
    nodes.forEach(Node::close);
  }

  private Path home(List<String> bootstrap) throws Exception {
    Path home = dir.resolve("home");
    assertThat(CliTest.run("init", "--home", home.toString()).exitCode()).isZero();
    NodeConfig config = NodeConfig.read(home.resolve("config.json")).withBootstrap(bootstrap);
    config.write(home.resolve("config.json"));
    return home;
  }

  private Path folder() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("My Blog"));
    Files.writeString(folder.resolve("index.html"), "<h1>hello</h1>");
    return folder;
  }

  @Test
  void publishListUpdateAndRemoveOffline() throws Exception {
    Path home = home(List.of());
    Path folder = folder();

    CliTest.Result published = CliTest.run("site", "publish", folder.toString(), "--home", home.toString());
    assertThat(published.exitCode()).as(published.err()).isZero();
    assertThat(published.out()).contains("Published site my-blog: /ipfs/b",
        "gateway      http://127.0.0.1:8180/ipns/k51", "subdomain    http://k51",
        ".ipns.localhost:8180/", "any gateway  /ipns/k51");
    assertThat(published.err()).contains(SiteCommand.NOT_ANNOUNCED);

    CliTest.Result listed = CliTest.run("site", "ls", "--json", "--home", home.toString());
    JsonNode sites = json.readTree(listed.out());
    assertThat(sites).hasSize(1);
    JsonNode site = sites.get(0);
    assertThat(site.get("name").asText()).isEqualTo("my-blog");
    assertThat(site.get("announced").asBoolean()).isFalse();
    assertThat(site.get("urls").get("path").asText()).isEqualTo("/ipns/" + site.get("ipnsName").asText());

    Files.writeString(folder.resolve("index.html"), "<h1>again</h1>");
    CliTest.Result again = CliTest.run("site", "publish", folder.toString(), "--name", "my-blog",
        "--json", "--home", home.toString());
    JsonNode updated = json.readTree(again.out());
    assertThat(updated.get("ipnsName").asText()).isEqualTo(site.get("ipnsName").asText());
    assertThat(updated.get("previousCid").asText()).isEqualTo(site.get("cid").asText());
    assertThat(updated.get("sequence").asText()).isEqualTo("1");

    CliTest.Result pins = CliTest.run("pin", "ls", "--home", home.toString());
    assertThat(pins.out()).contains(updated.get("cid").asText()).doesNotContain(site.get("cid").asText());

    CliTest.Result removed = CliTest.run("site", "rm", "my-blog", "--home", home.toString());
    assertThat(removed.exitCode()).as(removed.err()).isZero();
    assertThat(removed.out()).contains("removed site my-blog", "key site-my-blog kept");
    assertThat(CliTest.run("site", "ls", "--home", home.toString()).out()).contains("no sites yet");
  }

  @Test
  void publishJoinsTheDhtThroughTheBootstrapPeers() throws Exception {
    Node peer = Node.start(Ed25519.generate(), NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0")));
    nodes.add(peer);
    Path home = home(List.of(peer.dialableAddresses().getFirst().toString()));

    CliTest.Result published = CliTest.run("site", "publish", folder().toString(), "--name", "blog",
        "--json", "--home", home.toString());

    assertThat(published.exitCode()).as(published.err()).isZero();
    JsonNode site = json.readTree(published.out());
    assertThat(site.get("announced").asBoolean()).isTrue();
    assertThat(site.get("peers").asInt()).isPositive();
    assertThat(published.err()).doesNotContain(SiteCommand.NOT_ANNOUNCED);
  }

  @Test
  void aSymlinkLoopIsNamedAndNothingIsPublished() throws Exception {
    Path home = home(List.of());
    Path folder = folder();
    Files.createSymbolicLink(folder.resolve("loop"), Path.of("loop"));

    CliTest.Result r = CliTest.run("site", "publish", folder.toString(), "--home", home.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("error: the symbolic link " + folder.resolve("loop"), "symbolic link loop");
    assertNothingPublished(home);
  }

  @Test
  void anUnreadableFileIsNamedAndNothingIsPublished() throws Exception {
    Path home = home(List.of());
    Path folder = folder();
    Path secret = folder.resolve("secret.txt");
    Files.writeString(secret, "not for the web");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));

    String err;
    int exitCode;
    if (!Files.isReadable(secret)) {
      CliTest.Result r = CliTest.run("site", "publish", folder.toString(), "--home", home.toString());
      err = r.err();
      exitCode = r.exitCode();
    } else {
      // Root reads any file; in a user namespace of its own it is held to the file's mode bits.
      Process p = unprivileged("site", "publish", folder.toString(), "--home", home.toString());
      err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      exitCode = p.exitValue();
      Assumptions.assumeFalse(err.contains("unshare:"),
          "running as root and `unshare --user` is not permitted here, so no file is unreadable: " + err);
    }

    assertThat(exitCode).as(err).isEqualTo(1);
    assertThat(err).contains("error: cannot read " + secret, "make it readable or move it out of the site");
    assertNothingPublished(home);
  }

  private static Process unprivileged(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("unshare", "--user",
        ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().close();
    return p;
  }

  private void assertNothingPublished(Path home) throws Exception {
    assertThat(home.resolve("sites.json")).doesNotExist();
    assertThat(home.resolve("names.json")).doesNotExist();
    assertThat(home.resolve("keys").resolve("site-my-blog.key")).doesNotExist();
    assertThat(CliTest.run("pin", "ls", "--home", home.toString()).out()).doesNotContain("bafy");
  }

  @Test
  void publishListAndRemoveGoThroughTheRunningDaemon() throws Exception {
    Path home = home(List.of());
    io.mycel.node.NodeHome nodeHome = new io.mycel.node.NodeHome(home);
    try (io.mycel.node.Daemon daemon = io.mycel.node.Daemon.start(nodeHome, nodeHome.loadConfig()
        .withListen(List.of("/ip4/127.0.0.1/tcp/0")).withGateway("/ip4/127.0.0.1/tcp/0")
        .withApi("/ip4/127.0.0.1/tcp/0").withDiscovery(new io.mycel.node.NodeConfig.Discovery(false, 10_000)))) {
      CliTest.Result published = CliTest.run("site", "publish", folder().toString(), "--name", "live",
          "--home", home.toString());
      assertThat(published.exitCode()).as(published.err()).isZero();
      assertThat(published.out()).contains("Published site live: /ipfs/b",
          "gateway      " + daemon.gatewayUrl() + "/ipns/k51");
      assertThat(daemon.sites().get("live")).isPresent();

      JsonNode listed = json.readTree(CliTest.run("site", "ls", "--json", "--home", home.toString()).out());
      assertThat(listed).hasSize(1);
      assertThat(listed.get(0).get("urls").get("gateway").asText()).startsWith(daemon.gatewayUrl());

      CliTest.Result removed = CliTest.run("site", "rm", "live", "--home", home.toString());
      assertThat(removed.exitCode()).as(removed.err()).isZero();
      assertThat(daemon.sites().list()).isEmpty();
    }
  }
}
