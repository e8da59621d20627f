package io.mycel.cli;

import static io.mycel.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycel.core.cid.Cid;
import io.mycel.node.Daemon;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands talk to the home's running daemon through its API, and work offline without one. */
class ApiCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOOPBACK = "/ip4/127.0.0.1/tcp/0";

  @TempDir Path dir;
  private NodeHome nodeHome;
  private String home;
  private Daemon daemon;

  @BeforeEach
  void init() {
    home = dir.resolve("home").toString();
    nodeHome = new NodeHome(dir.resolve("home"));
    assertThat(run("init", "--home", home).exitCode()).isZero();
  }

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  private void startDaemon(String api) throws Exception {
    daemon = Daemon.start(nodeHome, nodeHome.loadConfig().withListen(List.of(LOOPBACK))
        .withGateway(LOOPBACK).withApi(api));
  }

  private static JsonNode json(CliTest.Result r) throws Exception {
    assertThat(r.exitCode()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private static byte[] cat(String... args) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    OutputStream previous = CatCommand.sink;
    CatCommand.sink = captured;
    try {
      CliTest.Result r = run(args);
      assertThat(r.exitCode()).as(r.err()).isZero();
    } finally {
      CatCommand.sink = previous;
    }
    return captured.toByteArray();
  }

  @Test
  void addThenCatGoThroughTheRunningDaemon() throws Exception {
    startDaemon(LOOPBACK);
    byte[] data = new byte[1_500_000];
    new Random(9).nextBytes(data);
    Path file = dir.resolve("data.bin");
    Files.write(file, data);

    JsonNode added = json(run("add", "--home", home, "--json", file.toString()));
    Cid cid = Cid.parse(added.get("cid").asText());
    // The daemon's own pin store has it: the add was made by the daemon, not beside it.
    assertThat(daemon.repo().pins().isPinned(cid)).isTrue();
    assertThat(added.get("contentBytes").asLong()).isEqualTo(data.length);

    assertThat(cat("cat", "--home", home, cid.toString())).isEqualTo(data);
    assertThat(cat("cat", "--home", home, "--offset", "5", "--length", "10", cid.toString()))
        .isEqualTo(java.util.Arrays.copyOfRange(data, 5, 15));

    // Stopped, the same home works offline on the repository.
    daemon.close();
    daemon = null;
    assertThat(cat("cat", "--home", home, cid.toString())).isEqualTo(data);
  }

  @Test
  void aFolderAddedThroughTheDaemonHasTheOfflineCidAndGetSavesIt() throws Exception {
    Path site = Files.createDirectories(dir.resolve("site"));
    Files.writeString(site.resolve("index.html"), "<h1>hi</h1>");
    Files.createDirectories(site.resolve("css"));
    Files.writeString(site.resolve("css").resolve("a.css"), "h1{}");
    String offline = json(run("add", "--home", home, "-r", "--json", "--only-hash",
        site.toString())).get("cid").asText();

    startDaemon(LOOPBACK);
    CliTest.Result r = run("add", "--home", home, "-r", site.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("added " + offline + " site", "site/css/a.css");

    Path out = dir.resolve("out");
    JsonNode got = json(run("get", "--home", home, "--json", "-o", out.toString(), offline));
    assertThat(got.get("cid").asText()).isEqualTo(offline);
    assertThat(out.resolve("css").resolve("a.css")).hasContent("h1{}");
    assertThat(out.resolve("index.html")).hasContent("<h1>hi</h1>");
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".mycel-get"));
    }
  }

  @Test
  void getWithAPeerHasTheDaemonFetchFromIt() throws Exception {
    NodeHome otherHome = new NodeHome(dir.resolve("other"));
    otherHome.init(nodeHome.loadConfig());
    Path file = dir.resolve("remote.txt");
    Files.writeString(file, "only the other node has this");
    String cid;
    try (Daemon other = Daemon.start(otherHome, otherHome.loadConfig()
        .withListen(List.of(LOOPBACK)).withGateway("").withApi(LOOPBACK))) {
      cid = run("add", "--home", otherHome.dir().toString(), "-q", file.toString()).out().trim();
      startDaemon(LOOPBACK);
      Path out = dir.resolve("fetched.txt");
      CliTest.Result r = run("get", "--home", home, "-o", out.toString(), "--peer",
          other.node().dialableAddresses().get(0).toString(), cid);
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(out).hasContent("only the other node has this");
    }
  }

  @Test
  void getWithOnlyUnreachablePeersFails() throws Exception {
    startDaemon(LOOPBACK);
    CliTest.Result r = run("get", "--home", home, "--timeout-s", "3", "--peer",
        "/ip4/127.0.0.1/tcp/1/p2p/" + daemon.node().peerId(),
        "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("could reach none");
  }

  /** {@code MYCEL_HOME=HOME mycel ARGS} as its own process; returns its standard output. */
  private static String mycel(String home, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.mycel.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("MYCEL_HOME", home);
    Process process = pb.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void aProcessGivenTheHomeInMycelHomeTalksToThatHomesDaemon() throws Exception {
    startDaemon(LOOPBACK);
    JsonNode id = JSON.readTree(mycel(home, "id", "--json"));
    assertThat(id.get("apiUrl").asText()).isEqualTo(daemon.apiUrl());
    assertThat(id.get("gatewayUrl").asText()).isEqualTo(daemon.gatewayUrl());
    Path file = dir.resolve("p.txt");
    Files.writeString(file, "added by another process");
    String cid = mycel(home, "add", "-q", file.toString()).trim();
    assertThat(daemon.repo().pins().isPinned(Cid.parse(cid))).isTrue();
  }

  @Test
  void pinsRepoAndKeysGoThroughTheDaemon() throws Exception {
    startDaemon(LOOPBACK);
    Path file = dir.resolve("a.txt");
    Files.writeString(file, "pinned through the API");
    String cid = run("add", "--home", home, "-q", "--pin", "false", file.toString()).out().trim();
    assertThat(run("pin", "add", "--home", home, "--name", "doc", cid).out())
        .contains("pinned " + cid + " recursive");
    assertThat(json(run("pin", "ls", "--home", home, "--json")).findValuesAsText("name"))
        .contains("doc");
    assertThat(run("pin", "rm", "--home", home, cid).exitCode()).isZero();
    assertThat(daemon.repo().pins().isPinned(Cid.parse(cid))).isFalse();
    JsonNode gc = json(run("repo", "gc", "--home", home, "--json"));
    assertThat(gc.get("blocksRemoved").asLong()).isPositive();
    assertThat(json(run("repo", "stat", "--home", home, "--json")).get("pins").asInt()).isZero();

    assertThat(run("key", "gen", "--home", home, "blog").out()).startsWith("/ipns/k51");
    assertThat(run("key", "ls", "--home", home).out()).contains("self", "blog");
    assertThat(run("key", "rm", "--home", home, "blog").exitCode()).isZero();
    assertThat(run("key", "ls", "--home", home).out()).doesNotContain("blog");
  }

  @Test
  void aCarExportedThroughTheDaemonImportsBack() throws Exception {
    startDaemon(LOOPBACK);
    Path file = dir.resolve("c.txt");
    Files.writeString(file, "carried");
    String cid = run("add", "--home", home, "-q", file.toString()).out().trim();
    Path car = dir.resolve("c.car");
    assertThat(run("car", "export", "--home", home, "-o", car.toString(), cid).exitCode())
        .isZero();
    JsonNode imported = json(run("car", "import", "--home", home, "--json", car.toString()));
    assertThat(imported.get("roots").get(0).asText()).isEqualTo(cid);
  }

  @Test
  void aNameIsPublishedAndResolvedThroughTheDaemon() throws Exception {
    startDaemon(LOOPBACK);
    Path file = dir.resolve("n.txt");
    Files.writeString(file, "named");
    String cid = run("add", "--home", home, "-q", file.toString()).out().trim();
    CliTest.Result published = run("name", "publish", "--home", home, "/ipfs/" + cid);
    assertThat(published.exitCode()).as(published.err()).isZero();
    assertThat(published.out()).contains("/ipfs/" + cid);
    JsonNode id = json(run("id", "--home", home, "--json"));
    CliTest.Result resolved = run("name", "resolve", "--home", home, id.get("peerId").asText());
    assertThat(resolved.out().trim()).isEqualTo("/ipfs/" + cid);
  }

  @Test
  void idShowsTheDaemonsApiAndGatewayUrls() throws Exception {
    startDaemon(LOOPBACK);
    JsonNode id = json(run("id", "--home", home, "--json"));
    assertThat(id.get("daemonRunning").asBoolean()).isTrue();
    assertThat(id.get("apiUrl").asText()).isEqualTo(daemon.apiUrl());
    assertThat(id.get("gatewayUrl").asText()).isEqualTo(daemon.gatewayUrl());
    assertThat(id.get("addresses").get(0).asText()).contains("/p2p/" + daemon.node().peerId());
    assertThat(Files.readString(nodeHome.dir().resolve("api")).trim())
        .isEqualTo("/ip4/127.0.0.1/tcp/" + daemon.api().address().getPort());
  }

  @Test
  void idWithoutADaemonShowsNoUrls() throws Exception {
    JsonNode id = json(run("id", "--home", home, "--json"));
    assertThat(id.get("daemonRunning").asBoolean()).isFalse();
    assertThat(id.get("apiUrl").isNull()).isTrue();
  }

  @Test
  void aChangeIsRefusedWhenTheDaemonServesNoApi() throws Exception {
    startDaemon("");
    Path file = dir.resolve("x.txt");
    Files.writeString(file, "x");
    CliTest.Result r = run("add", "--home", home, file.toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("api.listen", "stop the daemon first");
  }

  @Test
  void aDaemonErrorReachesTheUser() throws Exception {
    startDaemon(LOOPBACK);
    CliTest.Result r = run("pin", "rm", "--home", home,
        "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("is not pinned");
  }

  @Test
  void aTokenInTheConfigIsSentByTheCli() throws Exception {
    NodeConfig config = nodeHome.loadConfig();
    config.withApi(new NodeConfig.Api(LOOPBACK, "a-long-enough-secret-token"))
        .write(nodeHome.configFile());
    startDaemon(LOOPBACK);
    Path file = dir.resolve("t.txt");
    Files.writeString(file, "with a token");
    CliTest.Result r = run("add", "--home", home, "-q", file.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(daemon.repo().pins().isPinned(Cid.parse(r.out().trim()))).isTrue();
  }

  @Test
  void aConfigWithAPublicApiAndNoTokenIsRefusedNamingTheKey() throws Exception {
    Path config = nodeHome.configFile();
    String text = Files.readString(config).replace("\"listen\" : \"/ip4/127.0.0.1/tcp/7070\"",
        "\"listen\" : \"/ip4/0.0.0.0/tcp/7070\"");
    assertThat(text).contains("0.0.0.0/tcp/7070");
    Files.writeString(config, text);
    CliTest.Result r = run("daemon", "--home", home);
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("api.token");
  }

  @Test
  void aShortTokenInTheConfigIsRefused() throws Exception {
    Path config = nodeHome.configFile();
    Files.writeString(config, Files.readString(config).replace("\"token\" : \"\"",
        "\"token\" : \"short\""));
    CliTest.Result r = run("daemon", "--home", home);
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("api.token", "16");
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
