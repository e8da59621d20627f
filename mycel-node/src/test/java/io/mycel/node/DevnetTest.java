package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.UnixfsImporter;
import io.mycel.core.cid.Cid;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local network of full nodes in one process, each in its own home. */
class DevnetTest {
  @TempDir Path dir;

  private Devnet devnet;

  @AfterEach
  void stop() throws IOException {
    if (devnet != null) {
      devnet.close();
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static HttpResponse<byte[]> get(String url) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    }
  }

  @Test
  void eachNodePublishesItsAddressInItsHome() throws Exception {
    devnet = Devnet.start(dir, 3);

    assertThat(devnet.nodes()).hasSize(3);
    for (Devnet.Member member : devnet.nodes()) {
      assertThat(member.home().dir()).isEqualTo(dir.resolve("node-" + member.number()));
      DaemonFile.Info info = DaemonFile.read(member.home()).orElseThrow();
      assertThat(info.peerId()).isEqualTo(member.peerId().toString());
      assertThat(info.swarmAddresses()).containsExactly(member.swarmAddress().toString());
      assertThat(member.swarmAddress().toString()).startsWith("/ip4/127.0.0.1/tcp/")
          .endsWith("/p2p/" + member.peerId());
      assertThat(member.gatewayUrl()).startsWith("http://127.0.0.1:");
    }
    assertThat(devnet.nodes().stream().map(Devnet.Member::peerId).distinct()).hasSize(3);
  }

  @Test
  void laterNodesKeepTheFirstAsBootstrapPeer() throws Exception {
    devnet = Devnet.start(dir, 3);
    String first = devnet.node(1).swarmAddress().toString();

    assertThat(devnet.node(1).home().loadConfig().bootstrap()).isEmpty();
    assertThat(devnet.node(2).home().loadConfig().bootstrap()).containsExactly(first);
    assertThat(devnet.node(3).home().loadConfig().bootstrap()).containsExactly(first);
  }

  @Test
  void theLastNodeFindsTheOthersInTheDht() throws Exception {
    devnet = Devnet.start(dir, 3);
    Node last = devnet.node(3).node();

    await(() -> last.dht().routingTable().contains(devnet.node(1).peerId())
        && last.dht().routingTable().contains(devnet.node(2).peerId()),
        "node 3's routing table holds nodes 1 and 2");
  }

  @Test
  void contentAddedToTheFirstNodeIsServedByTheLastAfterItFetches() throws Exception {
    devnet = Devnet.start(dir, 3);
    byte[] content = "hello from node 1 of the devnet\n".getBytes(StandardCharsets.UTF_8);
    Devnet.Member first = devnet.node(1);
    Cid cid = new UnixfsImporter(first.repo().blocks(), ImportOptions.defaults()).importBytes(content).cid();
    first.node().provide(List.of(cid)).get(20, TimeUnit.SECONDS);

    HttpResponse<byte[]> fromFirst = get(first.gatewayUrl() + "/ipfs/" + cid);
    assertThat(fromFirst.statusCode()).isEqualTo(200);
    assertThat(fromFirst.body()).isEqualTo(content);

    // Node 3 holds none of it: its gateway finds the provider through the DHT, fetches over
    // Bitswap, serves it, and keeps the block as a cache.
    Devnet.Member last = devnet.node(3);
    assertThat(last.repo().blocks().has(cid)).isFalse();
    HttpResponse<byte[]> fromLast = get(last.gatewayUrl() + "/ipfs/" + cid);
    assertThat(fromLast.statusCode()).isEqualTo(200);
    assertThat(fromLast.body()).isEqualTo(content);
    assertThat(last.repo().blocks().has(cid)).isTrue();
  }

  @Test
  void aGatewayAnswersContentNoOneHasWithATimely504() throws Exception {
    devnet = Devnet.start(dir, 2);
    Cid nobody = Cid.v1(io.mycel.core.multicodec.Multicodec.RAW,
        io.mycel.core.multihash.Multihash.sha2_256("no one holds this".getBytes(StandardCharsets.UTF_8)));
    HttpResponse<byte[]> answer = get(devnet.node(2).gatewayUrl() + "/ipfs/" + nobody);
    assertThat(answer.statusCode()).isEqualTo(504);
    assertThat(new String(answer.body(), StandardCharsets.UTF_8))
        .contains(nobody.toString(), "no peer in the network provides");
  }

  @Test
  void closeReleasesEveryHomeForTheNextRun() throws Exception {
    Devnet running = Devnet.start(dir, 2);
    String secondPeer = running.node(2).peerId().toString();
    running.close();

    for (int i = 1; i <= 2; i++) {
      assertThat(dir.resolve("node-" + i).resolve(DaemonFile.INFO_FILE)).doesNotExist();
    }
    devnet = Devnet.start(dir, 2);
    assertThat(devnet.node(2).peerId().toString()).isEqualTo(secondPeer);
    assertThat(devnet.node(2).home().loadConfig().bootstrap())
        .containsExactly(devnet.node(1).swarmAddress().toString());
  }

  @Test
  void aHomeHeldByARunningDaemonStopsTheStartAndFreesTheOthers() throws Exception {
    NodeHome second = new NodeHome(dir.resolve("node-2"));
    second.init(NodeConfig.defaults());
    try (DaemonFile held = DaemonFile.lock(second)) {
      assertThatThrownBy(() -> Devnet.start(dir, 3))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("already running");
    }
    assertThat(Files.exists(dir.resolve("node-1").resolve(DaemonFile.INFO_FILE))).isFalse();
    DaemonFile.lock(new NodeHome(dir.resolve("node-1"))).close();
  }

  @Test
  void refusesZeroNodes() {
    assertThatThrownBy(() -> Devnet.start(dir, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not 0");
  }

  @Test
  void refusesMoreThanTheLimit() {
    assertThatThrownBy(() -> Devnet.start(dir, Devnet.MAX_NODES + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not " + (Devnet.MAX_NODES + 1));
  }
}
