package io.mycel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.peer.PeerId;
import io.mycel.node.Node;
import io.mycel.node.NodeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
  @TempDir Path dir;

  record Result(int exitCode, String out, String err) {}

  static Result run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void helpDescribesEveryCommand() {
    Result r = run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("init", "id", "daemon", "ping", "--version");
    for (String command : List.of("init", "id", "daemon", "ping")) {
      Result sub = run("help", command);
      assertThat(sub.exitCode()).isZero();
      assertThat(sub.out()).contains("Usage: mycel " + command);
    }
  }

  @Test
  void everyCommandAndSubcommandTakesHelp() {
    for (List<String> command : List.of(List.of("init"), List.of("add"), List.of("site", "publish"),
        List.of("net", "status"), List.of("pin", "add"), List.of("devnet"))) {
      List<String> args = new java.util.ArrayList<>(command);
      args.add("--help");
      Result r = run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isZero();
      assertThat(r.out()).contains("Usage: mycel " + String.join(" ", command));
    }
  }

  @Test
  void versionNamesTheRelease() {
    Result r = run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("mycel ").contains("java ");
  }

  @Test
  void initCreatesAPrivateKeyFileAndAFullConfig() throws Exception {
    Path home = dir.resolve("home");
    Result r = run("init", "--home", home.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    PeerId peer = PeerId.parse(json.get("peerId").asText());

    assertThat(Files.getPosixFilePermissions(home.resolve("identity.key")))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(Files.readString(home.resolve("config.json")))
        .contains("\"listen\"", "maxConnectionsPerPeer", "idleStreamTimeoutMs", "bootstrap");

    Result id = run("id", "--home", home.toString(), "--json");
    JsonNode idJson = new ObjectMapper().readTree(id.out());
    assertThat(idJson.get("peerId").asText()).isEqualTo(peer.toString());
    assertThat(idJson.get("addresses").get(0).asText()).endsWith("/p2p/" + peer);
    assertThat(idJson.get("peerIdCid").asText()).startsWith("b");
  }

  @Test
  void initRefusesToReplaceAnIdentity() {
    Path home = dir.resolve("home");
    assertThat(run("init", "--home", home.toString()).exitCode()).isZero();
    Result again = run("init", "--home", home.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("already exists");
  }

  @Test
  void idWithoutAHomeSaysToRunInit() {
    Result r = run("id", "--home", dir.resolve("nothing").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("mycel init");
  }

  @Test
  void daemonRefusesAConfigWithAnUnknownKeyAndNamesIt() throws Exception {
    Path home = dir.resolve("home");
    run("init", "--home", home.toString());
    Path config = home.resolve("config.json");
    Files.writeString(config, Files.readString(config).replace("\"maxConnections\"", "\"maxConections\""));
    Result r = run("daemon", "--home", home.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("unknown key", "limits.maxConections");
  }

  @Test
  void pingPrintsRoundTripsToARunningNode() throws Exception {
    NodeConfig config = NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0"));
    try (Node node = Node.start(Ed25519.generate(), config)) {
      String address = node.dialableAddresses().get(0).toString();
      Result r = run("ping", "--home", dir.resolve("pinger").toString(), "-n", "3",
          "--interval-ms", "10", address);
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains("Connected to " + node.peerId());
      assertThat(r.out().lines().filter(l -> l.startsWith("Pong from " + node.peerId()))).hasSize(3);
      assertThat(r.out()).contains("3 pings: min");

      Result json = run("ping", "--home", dir.resolve("pinger").toString(), "-n", "2",
          "--interval-ms", "10", "--json", address);
      JsonNode parsed = new ObjectMapper().readTree(json.out());
      assertThat(parsed.get("rttMs")).hasSize(2);
      assertThat(parsed.get("peerId").asText()).isEqualTo(node.peerId().toString());
    }
  }

  @Test
  void pingRefusesAPeerThatIsNotTheOneNamed() throws Exception {
    NodeConfig config = NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0"));
    try (Node node = Node.start(Ed25519.generate(), config)) {
      PeerId other = PeerId.fromPublicKey(Ed25519.generate().publicKey());
      String address = node.host().listenAddresses().get(0).withPeerId(other).toString();
      Result r = run("ping", "--home", dir.resolve("pinger").toString(), "-n", "1", address);
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("error:", other.toString(), node.peerId().toString());
    }
  }

  @Test
  void pingFindsAPeerByItsIdThroughTheDht() throws Exception {
    NodeConfig loopback = NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0"));
    try (Node bootstrap = Node.start(Ed25519.generate(), loopback)) {
      String bootstrapAddress = bootstrap.dialableAddresses().get(0).toString();
      NodeConfig joining = new NodeConfig(loopback.swarm(), loopback.limits(), loopback.storage(),
          null, List.of(bootstrapAddress));
      try (Node target = Node.start(Ed25519.generate(), joining)) {
        target.joined().get(20, java.util.concurrent.TimeUnit.SECONDS);
        Path pinger = dir.resolve("pinger");
        run("init", "--home", pinger.toString());
        Path config = pinger.resolve("config.json");
        Files.writeString(config, Files.readString(config)
            .replace("\"bootstrap\" : [ ]", "\"bootstrap\" : [ \"" + bootstrapAddress + "\" ]"));
        Result r = run("ping", "--home", pinger.toString(), "-n", "2", "--interval-ms", "10",
            target.peerId().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Connected to " + target.peerId());
        assertThat(r.out().lines().filter(l -> l.startsWith("Pong from " + target.peerId()))).hasSize(2);
      }
    }
  }

  @Test
  void pingByPeerIdWithoutBootstrapPeersSaysWhatIsMissing() {
    Path pinger = dir.resolve("lonely");
    run("init", "--home", pinger.toString());
    Result r = run("ping", "--home", pinger.toString(),
        PeerId.fromPublicKey(Ed25519.generate().publicKey()).toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("needs bootstrap peers");
  }
}
