package io.mycel.node.site;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.node.Daemon;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three daemons on loopback joined through the first: a site published on node 1 opens through
 * node 3's gateway, which finds the name in the DHT and fetches the files over Bitswap, and
 * follows the site when it is published again.
 */
@Tag("network")
class SiteNetworkTest {
  /** Only the nodes of the test: no peers found on the local network. */
  private static final NodeConfig.Discovery NO_MDNS = new NodeConfig.Discovery(false, 10_000);
  @TempDir Path dir;
  private final List<Daemon> daemons = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    daemons.reversed().forEach(Daemon::close);
  }

  private Daemon start(int n, List<String> bootstrap) throws Exception {
    NodeHome home = new NodeHome(dir.resolve("node-" + n));
    NodeConfig config = NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0"))
        .withGateway("/ip4/127.0.0.1/tcp/0").withApi("/ip4/127.0.0.1/tcp/0").withDiscovery(NO_MDNS).withBootstrap(bootstrap);
    home.init(config);
    Daemon daemon = Daemon.start(home, config);
    daemons.add(daemon);
    return daemon;
  }

  private HttpResponse<String> get(Daemon daemon, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + daemon.gatewayAddress().getPort() + path);
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(40)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aSitePublishedOnNodeOneOpensThroughNodeThreesGateway() throws Exception {
    Daemon first = start(1, List.of());
    List<String> bootstrap = List.of(first.node().dialableAddresses().getFirst().toString());
    Daemon second = start(2, bootstrap);
    Daemon third = start(3, bootstrap);
    CompletableFuture.allOf(second.node().joined(), third.node().joined()).get(20, TimeUnit.SECONDS);

    Path folder = Files.createDirectories(dir.resolve("blog"));
    Files.writeString(folder.resolve("index.html"), "<h1>published on node 1</h1>");
    Files.createDirectories(folder.resolve("css"));
    Files.writeString(folder.resolve("css").resolve("site.css"), "h1 { color: green }");
    Site site = first.sites().publish(first.node(), folder, "blog", folder.toString()).site();
    assertThat(site.peers()).isPositive();
    assertThat(third.repo().blocks().has(io.mycel.core.cid.Cid.parse(site.cid()))).isFalse();

    HttpResponse<String> index = get(third, site.ipnsPath() + "/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).isEqualTo("<h1>published on node 1</h1>");
    HttpResponse<String> css = get(third, site.ipnsPath() + "/css/site.css");
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    assertThat(css.body()).isEqualTo("h1 { color: green }");

    Files.writeString(folder.resolve("index.html"), "<h1>second version</h1>");
    Site again = first.sites().publish(first.node(), folder, "blog", folder.toString()).site();
    assertThat(again.ipnsName()).isEqualTo(site.ipnsName());
    // Node 3's gateway caches the name for the record's TTL; a fresh name lookup through node 2
    // shows the new version reached the DHT.
    assertThat(get(second, again.ipnsPath() + "/").body()).isEqualTo("<h1>second version</h1>");
  }

  @Test
  void aSitePublishedOfflineIsAnnouncedWhenTheDaemonJoins() throws Exception {
    Daemon first = start(1, List.of());
    NodeHome home = new NodeHome(dir.resolve("offline"));
    NodeConfig config = NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0"))
        .withGateway("").withApi("").withDiscovery(NO_MDNS).withBootstrap(List.of(first.node().dialableAddresses().getFirst().toString()));
    home.init(config);
    Path folder = Files.createDirectories(dir.resolve("offline-site"));
    Files.writeString(folder.resolve("index.html"), "<h1>written on a train</h1>");
    Site offline;
    try (io.mycel.node.Repo repo = io.mycel.node.Repo.open(home, config);
        io.mycel.node.Node alone = io.mycel.node.Node.start(home.loadKey(), config.withBootstrap(List.of()))) {
      offline = new Sites(home, repo).publish(alone, folder, "train", folder.toString()).site();
    }
    assertThat(offline.announced()).isFalse();

    Daemon later = Daemon.start(home, config);
    daemons.add(later);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!later.sites().get("train").orElseThrow().announced() && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    Site announced = later.sites().get("train").orElseThrow();
    assertThat(announced.announced()).isTrue();
    assertThat(announced.sequence()).isEqualTo(offline.sequence() + 1);
    assertThat(get(first, offline.ipnsPath() + "/").body()).isEqualTo("<h1>written on a train</h1>");
  }
}
