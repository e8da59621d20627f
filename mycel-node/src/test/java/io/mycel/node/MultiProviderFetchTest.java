package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.content.bitswap.SessionPeerStats;
import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.UnixfsExporter;
import io.mycel.content.unixfs.UnixfsImporter;
import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import io.mycel.net.ping.PingService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway's read-through store fetching one file that three providers hold, one of them far
 * away (every ping echo and every block it serves is held back): the near providers serve most
 * of it, several at once. (The far one may get a share once the near ones have a queue: on a
 * loaded machine their measured time per block grows, and the session weighs queue against
 * distance.)
 */
class MultiProviderFetchTest {
  private static final Duration FAR = Duration.ofMillis(250);
  private static final int CHUNK = 16 * 1024;
  private static final int FILE_BYTES = 48 * CHUNK;

  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }

  private Node start(Blockstore blocks, List<String> bootstrap) {
    NodeConfig base = NodeConfig.defaults().withListen(List.of(Devnet.LOOPBACK_ANY_PORT))
        .withDiscovery(new NodeConfig.Discovery(false,
            NodeConfig.Discovery.DEFAULT_MDNS_INTERVAL_MS));
    Node node = Node.start(Ed25519.generate(), base.withBootstrap(bootstrap), blocks);
    nodes.add(node);
    return node;
  }

  /** A ping responder that holds each echo back by {@link #FAR}, as a distant peer would. */
  private static void answerPingsFromFar(Node node) {
    node.host().protocols().register(PingService.ID, stream -> {
      InputStream in = stream.input();
      OutputStream out = stream.output();
      byte[] payload = new byte[PingService.PAYLOAD_SIZE];
      while (in.readNBytes(payload, 0, payload.length) == payload.length) {
        LockSupport.parkNanos(FAR.toNanos());
        out.write(payload);
        out.flush();
      }
    });
  }

  @Test
  void theNearProvidersServeTheFileSeveralAtOnce() throws Exception {
    byte[] content = new byte[FILE_BYTES];
    new Random(3).nextBytes(content);
    ImportOptions options = ImportOptions.builder().chunkSize(CHUNK).build();
    MemoryBlockstore original = new MemoryBlockstore();
    Cid root = new UnixfsImporter(original, options).importBytes(content).cid();

    Node bootstrap = start(new MemoryBlockstore(), List.of());
    List<String> via = List.of(bootstrap.dialableAddresses().getFirst().toString());
    List<Node> providers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      MemoryBlockstore copy = new MemoryBlockstore();
      try (Stream<Multihash> keys = original.keys()) {
        for (Multihash key : keys.toList()) {
          Cid cid = Cid.v1(Multicodec.RAW, key);
          copy.put(new Block(cid, original.get(cid).orElseThrow()));
        }
      }
      providers.add(start(i == 0 ? new FarBlockstore(copy) : copy, via));
    }
    Node far = providers.getFirst();
    answerPingsFromFar(far);
    for (Node provider : providers) {
      provider.joined().get(20, TimeUnit.SECONDS);
      provider.provide(List.of(root)).get(20, TimeUnit.SECONDS);
    }
    Node gatewayNode = start(new MemoryBlockstore(), via);
    gatewayNode.joined().get(20, TimeUnit.SECONDS);
    // Connected to all three at once, as after a provider lookup: the round trips decide.
    for (Node provider : providers) {
      gatewayNode.host().dial(provider.dialableAddresses().getFirst()).get(20, TimeUnit.SECONDS);
    }

    try (NetworkBlockstore readThrough = new NetworkBlockstore(gatewayNode.blocks(), gatewayNode,
        Duration.ofSeconds(20))) {
      byte[] fetched;
      try (InputStream in = new UnixfsExporter(readThrough).open(root)) {
        fetched = in.readAllBytes();
      }
      assertThat(fetched).isEqualTo(content);

      PeerId farPeer = far.peerId();
      PeerId near1 = providers.get(1).peerId();
      PeerId near2 = providers.get(2).peerId();
      assertThat(readThrough.roundTrip(farPeer)).hasValueSatisfying(
          rtt -> assertThat(rtt).isGreaterThanOrEqualTo(FAR));
      Duration farRoundTrip = readThrough.roundTrip(farPeer).orElseThrow();
      assertThat(readThrough.roundTrip(near1)).hasValueSatisfying(
          rtt -> assertThat(rtt).isLessThan(farRoundTrip));
      assertThat(readThrough.roundTrip(near2)).hasValueSatisfying(
          rtt -> assertThat(rtt).isLessThan(farRoundTrip));
      Map<PeerId, SessionPeerStats> stats = readThrough.peerStats();
      long fromFar = blocks(stats, farPeer);
      long fromNear1 = blocks(stats, near1);
      long fromNear2 = blocks(stats, near2);
      assertThat(fromNear1 + fromNear2 + fromFar).isGreaterThanOrEqualTo(FILE_BYTES / CHUNK);
      assertThat(fromNear1).as("blocks from the first near provider").isPositive();
      assertThat(fromNear2).as("blocks from the second near provider").isPositive();
      assertThat(fromFar).as("blocks from the far provider; all: " + stats)
          .isLessThan(fromNear1 + fromNear2);
    }
  }

  private static long blocks(Map<PeerId, SessionPeerStats> stats, PeerId peer) {
    SessionPeerStats s = stats.get(peer);
    return s == null ? 0 : s.blocks();
  }

  /** A store whose every read is held back by {@link #FAR}: blocks leave a distant peer late. */
  private static final class FarBlockstore implements Blockstore {
    private final Blockstore inner;

    FarBlockstore(Blockstore inner) {
      this.inner = inner;
    }

    @Override
    public Optional<byte[]> get(Cid cid) throws IOException {
      LockSupport.parkNanos(FAR.toNanos());
      return inner.get(cid);
    }

    @Override
    public void put(Block block) throws IOException {
      inner.put(block);
    }

    @Override
    public boolean has(Cid cid) throws IOException {
      return inner.has(cid);
    }

    @Override
    public Optional<Integer> size(Cid cid) throws IOException {
      return inner.size(cid);
    }

    @Override
    public boolean delete(Multihash hash) throws IOException {
      return inner.delete(hash);
    }

    @Override
    public Stream<Multihash> keys() throws IOException {
      return inner.keys();
    }

    @Override
    public BlockstoreStats stats() throws IOException {
      return inner.stats();
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }
  }
}
