package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.ImportProgress;
import io.mycel.content.unixfs.UnixfsImporter;
import io.mycel.core.cid.Cid;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as a cache: real daemons on loopback, one publishing, one whose gateway fetches
 * what it lacks and keeps it within {@code gateway.cacheQuotaBytes}.
 */
class GatewayCacheTest {
  private static final int FILE_BYTES = 40 * 1024;
  /** Three files fit, a fourth does not; evicting one brings the cache under the low water. */
  private static final long QUOTA = 130 * 1024;

  @TempDir Path dir;

  private final List<Daemon> daemons = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private Daemon publisher;
  private final List<Cid> files = new ArrayList<>();

  @BeforeEach
  void startPublisher() throws Exception {
    publisher = start("publisher", 0, List.of());
    Random random = new Random(7);
    for (int i = 0; i < 4; i++) {
      byte[] content = new byte[FILE_BYTES];
      random.nextBytes(content);
      files.add(new UnixfsImporter(publisher.repo().blocks(), ImportOptions.defaults())
          .importBytes(content).cid());
    }
  }

  @AfterEach
  void stop() {
    for (int i = daemons.size() - 1; i >= 0; i--) {
      daemons.get(i).close();
    }
    http.close();
  }

  private Daemon start(String name, long quota, List<String> bootstrap) throws IOException {
    NodeHome home = new NodeHome(dir.resolve(name));
    if (!home.isInitialized()) {
      home.init(NodeConfig.defaults());
    }
    NodeConfig config = home.loadConfig().withListen(List.of(Devnet.LOOPBACK_ANY_PORT))
        .withGateway(Devnet.LOOPBACK_ANY_PORT).withBootstrap(bootstrap)
        .withGatewayCacheQuota(quota).withApi(Devnet.LOOPBACK_ANY_PORT)
        .withDiscovery(new NodeConfig.Discovery(false, NodeConfig.Discovery.DEFAULT_MDNS_INTERVAL_MS));
    Daemon daemon = Daemon.start(home, config);
    daemons.add(daemon);
    return daemon;
  }

  private Daemon startGateway(String name, long quota) throws Exception {
    Daemon gateway = start(name, quota,
        List.of(publisher.node().dialableAddresses().getFirst().toString()));
    gateway.node().joined().get(20, TimeUnit.SECONDS);
    return gateway;
  }

  private int get(Daemon gateway, Cid cid) throws Exception {
    String url = "http://127.0.0.1:" + gateway.gatewayAddress().getPort() + "/ipfs/" + cid;
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(20)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
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

  private static boolean has(Daemon daemon, Cid cid) {
    try {
      return daemon.repo().blocks().has(cid);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void fetchedContentFillsTheCacheAndTheLeastRecentlyUsedIsEvicted() throws Exception {
    Daemon gateway = startGateway("gateway", QUOTA);
    Cid a = files.get(0);
    Cid b = files.get(1);
    Cid c = files.get(2);
    Cid d = files.get(3);

    assertThat(get(gateway, a)).isEqualTo(200);
    assertThat(get(gateway, b)).isEqualTo(200);
    assertThat(get(gateway, c)).isEqualTo(200);
    assertThat(gateway.cache().bytes()).isEqualTo(3L * FILE_BYTES);
    assertThat(get(gateway, a)).isEqualTo(200);  // a is now used after b and c
    assertThat(get(gateway, d)).isEqualTo(200);

    await(() -> gateway.cache().evictedBlocks() > 0, "the cache evicts");
    assertThat(has(gateway, b)).as("the least recently used file is evicted").isFalse();
    assertThat(has(gateway, a)).isTrue();
    assertThat(has(gateway, c)).isTrue();
    assertThat(has(gateway, d)).isTrue();
    assertThat(gateway.cache().bytes()).isLessThanOrEqualTo(QUOTA);
    assertThat(gateway.cache().evictedBlocks()).isEqualTo(1);
    assertThat(gateway.cache().roots()).containsExactlyInAnyOrder(a, c, d);
    // evicted content is fetched again on demand
    assertThat(get(gateway, b)).isEqualTo(200);
  }

  @Test
  void pinnedBlocksAreNeverEvicted() throws Exception {
    Path pinnedFile = dir.resolve("pinned.bin");
    byte[] pinnedBytes = new byte[3 * FILE_BYTES];
    new Random(9).nextBytes(pinnedBytes);
    Files.write(pinnedFile, pinnedBytes);
    // The pinned file alone is larger than the quota: it is never counted as cache.
    NodeHome home = new NodeHome(dir.resolve("gateway"));
    home.init(NodeConfig.defaults());
    Cid pinned;
    try (Repo repo = Repo.open(home, home.loadConfig())) {
      pinned = repo.add(pinnedFile, ImportOptions.defaults(), false, true, ImportProgress.NONE)
          .cid();
    }
    Daemon gateway = startGateway("gateway", FILE_BYTES + FILE_BYTES / 2);

    assertThat(get(gateway, pinned)).isEqualTo(200);
    assertThat(get(gateway, files.get(0))).isEqualTo(200);
    assertThat(get(gateway, files.get(1))).isEqualTo(200);

    await(() -> !has(gateway, files.get(0)), "the older cached file is evicted");
    assertThat(has(gateway, files.get(1))).isTrue();
    assertThat(has(gateway, pinned)).isTrue();
    assertThat(gateway.repo().pins().isPinned(pinned)).isTrue();
    assertThat(gateway.repo().exporter().open(pinned).readAllBytes()).isEqualTo(pinnedBytes);
  }

  @Test
  void theOrderOfUseSurvivesARestart() throws Exception {
    Daemon gateway = startGateway("gateway", QUOTA);
    assertThat(get(gateway, files.get(0))).isEqualTo(200);
    assertThat(get(gateway, files.get(1))).isEqualTo(200);
    assertThat(get(gateway, files.get(2))).isEqualTo(200);
    assertThat(get(gateway, files.get(0))).isEqualTo(200);
    gateway.close();
    daemons.remove(gateway);
    assertThat(dir.resolve("gateway").resolve(BlockCache.INDEX_FILE)).exists();

    Daemon restarted = startGateway("gateway", QUOTA);
    assertThat(restarted.cache().bytes()).isEqualTo(3L * FILE_BYTES);
    assertThat(get(restarted, files.get(3))).isEqualTo(200);

    await(() -> !has(restarted, files.get(1)), "the file least recently used before the restart"
        + " is evicted");
    assertThat(has(restarted, files.get(0))).isTrue();
    assertThat(has(restarted, files.get(2))).isTrue();
  }

  @Test
  void aGatewayAnnouncesWhatItCachedAsAProvider() throws Exception {
    Daemon gateway = startGateway("gateway", QUOTA);
    Daemon other = startGateway("other", QUOTA);
    Cid a = files.get(0);

    assertThat(get(gateway, a)).isEqualTo(200);

    // The gateway reports a served root once its answer is written, which may be just after the
    // client has read it.
    await(() -> gateway.cache().roots().contains(a), "the gateway to note the root it served");
    assertThat(gateway.cache().roots()).containsExactly(a);
    await(() -> {
      try {
        return other.node().dht().findProviders(a).get(10, TimeUnit.SECONDS).stream()
            .anyMatch(p -> p.peer().equals(gateway.node().peerId()));
      } catch (Exception e) {
        return false;
      }
    }, "another node finds the gateway as a provider of what it cached");
  }
}
