package io.mycel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycel.core.crypto.Ed25519;
import io.mycel.node.DaemonFile;
import io.mycel.node.Node;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import io.mycel.routing.ipns.IpnsName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mycel key} and {@code mycel name} against a DHT of in-process loopback nodes. */
class NameCliTest {
  private static final String V1 = "/ipfs/bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
  private static final String V2 = "/ipfs/bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

  @TempDir Path dir;
  private final List<Node> nodes = new ArrayList<>();
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void stop() {
    nodes.forEach(Node::close);
  }

  private static CliTest.Result run(String... args) {
    return CliTest.run(args);
  }

  private Node start(List<String> bootstrap) {
    Node node = Node.start(Ed25519.generate(), NodeConfig.defaults()
        .withListen(List.of("/ip4/127.0.0.1/tcp/0")).withBootstrap(bootstrap));
    nodes.add(node);
    return node;
  }

  /** Two running nodes, the second joined through the first; the bootstrap list naming the first. */
  private List<String> network() throws Exception {
    Node first = start(List.of());
    List<String> bootstrap = List.of(first.dialableAddresses().get(0).toString());
    Node second = start(List.of());
    second.dht().addBootstrapPeer(first.dialableAddresses().get(0)).get(10, TimeUnit.SECONDS);
    second.dht().bootstrap().get(20, TimeUnit.SECONDS);
    return bootstrap;
  }

  private Path home(String name, List<String> bootstrap) throws Exception {
    Path home = dir.resolve(name);
    CliTest.Result init = run("init", "--home", home.toString());
    assertThat(init.exitCode()).as(init.err()).isZero();
    Path configFile = home.resolve("config.json");
    NodeConfig config = NodeConfig.read(configFile);
    config.withBootstrap(bootstrap).write(configFile);
    return home;
  }

  @Test
  void aNamePublishedFromOneHomeResolvesFromAnother() throws Exception {
    List<String> bootstrap = network();
    Path publisher = home("publisher", bootstrap);
    Path reader = home("reader", bootstrap);

    CliTest.Result published = run("name", "publish", "--home", publisher.toString(), V1);
    assertThat(published.exitCode()).as(published.err()).isZero();
    String name = published.out().lines().findFirst().orElseThrow()
        .replaceFirst("^Published to (/ipns/k51\\S+): .*$", "$1");
    assertThat(name).startsWith("/ipns/k51");
    assertThat(published.out()).contains(V1, "sequence 0");

    CliTest.Result resolved = run("name", "resolve", "--home", reader.toString(), name);
    assertThat(resolved.exitCode()).as(resolved.err()).isZero();
    assertThat(resolved.out().trim()).isEqualTo(V1);

    CliTest.Result republished = run("name", "publish", "--home", publisher.toString(),
        "--lifetime", "2h", V2);
    assertThat(republished.exitCode()).as(republished.err()).isZero();
    assertThat(republished.out()).contains("sequence 1");

    CliTest.Result again = run("name", "resolve", "--home", reader.toString(), name, "--json");
    assertThat(again.exitCode()).as(again.err()).isZero();
    JsonNode result = json.readTree(again.out());
    assertThat(result.get("path").asText()).isEqualTo(V2);
    assertThat(result.get("sequence").asText()).isEqualTo("1");
    assertThat(result.get("name").asText()).isEqualTo(name);
  }

  @Test
  void aGeneratedKeyPublishesItsOwnName() throws Exception {
    List<String> bootstrap = network();
    Path publisher = home("publisher", bootstrap);
    Path reader = home("reader", bootstrap);

    CliTest.Result gen = run("key", "gen", "--home", publisher.toString(), "site");
    assertThat(gen.exitCode()).as(gen.err()).isZero();
    String siteName = gen.out().trim();
    assertThat(siteName).startsWith("/ipns/k51");

    CliTest.Result published = run("name", "publish", "--home", publisher.toString(),
        "--key", "site", "--json", V1);
    assertThat(published.exitCode()).as(published.err()).isZero();
    JsonNode result = json.readTree(published.out());
    assertThat(result.get("name").asText()).isEqualTo(siteName);
    assertThat(result.get("peers").asInt()).isPositive();

    CliTest.Result resolved = run("name", "resolve", "--home", reader.toString(),
        IpnsName.parse(siteName).toBase58());
    assertThat(resolved.exitCode()).as(resolved.err()).isZero();
    assertThat(resolved.out().trim()).isEqualTo(V1);

    // The publishing home resolves its own key by name.
    CliTest.Result byKey = run("name", "resolve", "--home", publisher.toString(), "site");
    assertThat(byKey.out().trim()).as(byKey.err()).isEqualTo(V1);
  }

  @Test
  void thePublishingHomeResolvesItsNameWithoutPeers() throws Exception {
    Path publisher = home("publisher", network());
    CliTest.Result published = run("name", "publish", "--home", publisher.toString(), "--json", V1);
    assertThat(published.exitCode()).as(published.err()).isZero();
    String name = json.readTree(published.out()).get("name").asText();
    Path configFile = publisher.resolve("config.json");
    NodeConfig.read(configFile).withBootstrap(List.of()).write(configFile);

    CliTest.Result resolved = run("name", "resolve", "--home", publisher.toString(), name);
    assertThat(resolved.exitCode()).as(resolved.err()).isZero();
    assertThat(resolved.out().trim()).isEqualTo(V1);
    assertThat(resolved.err()).contains("warning: no bootstrap peers in config.json");
  }

  @Test
  void publishWithoutBootstrapPeersSaysSo() throws Exception {
    Path home = home("lonely", List.of());
    CliTest.Result r = run("name", "publish", "--home", home.toString(), V1);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: no bootstrap peers in config.json");
  }

  @Test
  void publishOfAPathThatIsNotIpfsFails() throws Exception {
    Path home = home("home", List.of());
    CliTest.Result r = run("name", "publish", "--home", home.toString(), "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: not a path");
  }

  @Test
  void publishWithAnUnknownKeyFails() throws Exception {
    Path home = home("home", List.of("/ip4/127.0.0.1/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA"));
    CliTest.Result r = run("name", "publish", "--home", home.toString(), "--key", "nope", V1);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: no key named 'nope'");
  }

  @Test
  void resolveOfAnUnknownNameFails() throws Exception {
    Path home = home("home", List.of());
    String nobody = IpnsName.parse("/ipns/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA").toString();
    CliTest.Result r = run("name", "resolve", "--home", home.toString(), nobody);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("warning: no bootstrap peers", "error: no record found for " + nobody);
  }

  @Test
  void publishIsRefusedWhileTheHomesDaemonRuns() throws Exception {
    Path home = home("home", List.of());
    NodeHome nodeHome = new NodeHome(home);
    try (DaemonFile daemon = DaemonFile.lock(nodeHome)) {
      daemon.publish(new DaemonFile.Info(ProcessHandle.current().pid(), "peer", List.of()));
      CliTest.Result r = run("name", "publish", "--home", home.toString(), V1);
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).startsWith("error: `mycel name publish`").contains("stop the daemon first");
    }
  }

  @Test
  void keyGenListAndRemove() throws Exception {
    Path home = home("home", List.of());
    assertThat(run("key", "gen", "--home", home.toString(), "blog").exitCode()).isZero();
    assertThat(Files.getPosixFilePermissions(home.resolve("keys/blog.key")))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

    CliTest.Result ls = run("key", "ls", "--home", home.toString(), "--json");
    assertThat(ls.exitCode()).as(ls.err()).isZero();
    JsonNode keys = json.readTree(ls.out());
    assertThat(keys).hasSize(2);
    assertThat(keys.get(0).get("name").asText()).isEqualTo("self");
    assertThat(keys.get(1).get("name").asText()).isEqualTo("blog");
    assertThat(keys.get(1).get("id").asText()).startsWith("k51");

    CliTest.Result human = run("key", "ls", "--home", home.toString());
    assertThat(human.out()).contains("self  /ipns/k51", "blog  /ipns/k51");

    assertThat(run("key", "rm", "--home", home.toString(), "blog").exitCode()).isZero();
    assertThat(run("key", "ls", "--home", home.toString()).out()).doesNotContain("blog");
  }

  @Test
  void keyGenSelfIsRefused() throws Exception {
    Path home = home("home", List.of());
    CliTest.Result r = run("key", "gen", "--home", home.toString(), "self");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: the key name 'self' is reserved");
  }

  @Test
  void keyRmSelfIsRefused() throws Exception {
    Path home = home("home", List.of());
    CliTest.Result r = run("key", "rm", "--home", home.toString(), "self");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: the key name 'self' is reserved");
  }

  @Test
  void keyGenWithABadNameIsRefused() throws Exception {
    Path home = home("home", List.of());
    CliTest.Result r = run("key", "gen", "--home", home.toString(), "a/b");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: invalid key name 'a/b'");
  }
}
