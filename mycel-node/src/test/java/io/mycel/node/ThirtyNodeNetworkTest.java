package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.dagpb.DagPbLinkDecoder;
import io.mycel.content.pin.GarbageCollector;
import io.mycel.content.pin.PinStore;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.UnixfsExporter;
import io.mycel.content.unixfs.UnixfsImporter;
import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.routing.ipns.IpnsName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thirty nodes on loopback, joined through the first: content added on one is found by CID
 * alone and fetched on another, an IPNS name published on one resolves on another and follows a
 * republish, and both keep working after six nodes leave.
 */
@Tag("network")
class ThirtyNodeNetworkTest {
  private static final int SIZE = 30;
  private static final int FILE_BYTES = 3 * 1024 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  /**
   * Nodes that keep running: the provider (1), the publisher (5), the resolver (20) and the
   * fetchers (25, 30).
   */
  private static final Set<Integer> KEPT = Set.of(1, 5, 20, 25, 30);
  private static final int LEAVING = 6;

  @TempDir Path dir;
  private final List<Node> nodes = new ArrayList<>();
  private final Set<Node> closed = new HashSet<>();

  @AfterEach
  void stop() {
    nodes.stream().filter(n -> !closed.contains(n)).forEach(Node::close);
  }

  /** Node {@code n}, counting from 1. */
  private Node node(int n) {
    return nodes.get(n - 1);
  }

  private void startNetwork() throws Exception {
    NodeConfig base = NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0"));
    nodes.add(Node.start(Ed25519.generate(), base, new MemoryBlockstore()));
    NodeConfig joining =
        base.withBootstrap(List.of(node(1).dialableAddresses().getFirst().toString()));
    for (int n = 2; n <= SIZE; n++) {
      nodes.add(Node.start(Ed25519.generate(), joining, new MemoryBlockstore()));
    }
    CompletableFuture.allOf(nodes.stream().map(Node::joined).toArray(CompletableFuture[]::new))
        .get(30, TimeUnit.SECONDS);
    // Node 1 learns of the others as their identify completes; k-buckets of 20 may keep fewer
    // than all 29 in the busiest bucket, so wait for a well-filled table rather than all of them.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (node(1).dht().routingTable().size() < 20 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    assertThat(node(1).dht().routingTable().size()).isBetween(20, SIZE - 1);
  }

  private static byte[] fetch(Node node, Cid root) throws IOException {
    GarbageCollector gc = new GarbageCollector(node.blocks(), PinStore.inMemory(),
        new DagPbLinkDecoder());
    Fetcher.fetchFromProviders(node, gc, root, TIMEOUT);
    try (InputStream in = new UnixfsExporter(node.blocks()).open(root)) {
      return in.readAllBytes();
    }
  }

  @Test
  void contentAndNamesAreFoundAcrossThirtyNodesAndSurviveSixLeaving() throws Exception {
    startNetwork();

    byte[] content = new byte[FILE_BYTES];
    new Random(30).nextBytes(content);
    Cid root = new UnixfsImporter(node(1).blocks(), ImportOptions.defaults())
        .importBytes(content).cid();
    node(1).provide(List.of(root)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(node(30).blocks().has(root)).isFalse();

    assertThat(fetch(node(30), root)).isEqualTo(content);

    PrivateKey nameKey = Ed25519.generate();
    IpnsName name = Keystore.ipnsName(nameKey);
    Names publisher = new Names(dir.resolve("publisher.json"), Clock.systemUTC(), TIMEOUT);
    Names resolver = new Names(dir.resolve("resolver.json"), Clock.systemUTC(), TIMEOUT);
    Names.Publication first = publisher.publish(node(5), nameKey, "/ipfs/" + root,
        Duration.ofHours(1), Duration.ofMinutes(1));
    assertThat(first.peers()).isPositive();
    assertThat(resolver.resolve(node(20), name.toString())).isEqualTo("/ipfs/" + root);

    Cid second = new UnixfsImporter(node(5).blocks(), ImportOptions.defaults())
        .importBytes("the second version".getBytes(StandardCharsets.UTF_8))
        .cid();
    Names.Publication republished = publisher.publish(node(5), nameKey, "/ipfs/" + second,
        Duration.ofHours(1), Duration.ofMinutes(1));
    assertThat(republished.record().sequence()).isEqualTo(first.record().sequence() + 1);
    assertThat(resolver.resolve(node(20), name.toString())).isEqualTo("/ipfs/" + second);

    List<Integer> candidates = new ArrayList<>();
    for (int n = 2; n < SIZE; n++) {
      if (!KEPT.contains(n)) {
        candidates.add(n);
      }
    }
    Collections.shuffle(candidates, new Random());
    List<Integer> leaving = candidates.subList(0, LEAVING);
    for (int n : leaving) {
      node(n).close();
      closed.add(node(n));
    }

    assertThat(fetch(node(25), root)).as("fetch after nodes %s left", leaving).isEqualTo(content);
    assertThat(resolver.resolve(node(20), name.toString()))
        .as("resolution after nodes %s left", leaving)
        .isEqualTo("/ipfs/" + second);
  }
}
