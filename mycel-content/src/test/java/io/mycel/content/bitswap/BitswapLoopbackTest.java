package io.mycel.content.bitswap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.BlockNotFoundException;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.dagpb.DagPbLinkDecoder;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import io.mycel.core.varint.Varint;
import io.mycel.net.Stream;
import io.mycel.net.host.NettyHost;
import io.mycel.net.testing.LogCapture;
import io.mycel.net.testing.TestHosts;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bitswap between real hosts on loopback (TCP, Noise, Yamux). */
class BitswapLoopbackTest {
  @RegisterExtension final TestHosts hosts = new TestHosts();
  @RegisterExtension final LogCapture logs = new LogCapture();

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final DagPbLinkDecoder DAG_PB = new DagPbLinkDecoder();

  private final List<Bitswap> started = new ArrayList<>();

  private record Node(NettyHost host, Blockstore store, Bitswap bitswap) {
    PeerId id() {
      return host.peerId();
    }
  }

  @AfterEach
  void stop() {
    started.forEach(Bitswap::close);
  }

  private Node node() {
    return node(new MemoryBlockstore(), BitswapConfig.DEFAULT);
  }

  private Node node(Blockstore store, BitswapConfig config) {
    NettyHost host = hosts.start();
    Bitswap bitswap = new Bitswap(host, store, config).start();
    started.add(bitswap);
    return new Node(host, store, bitswap);
  }

  private static void connect(Node from, Node to) throws Exception {
    from.host().dial(to.host().listenAddresses().get(0).withPeerId(to.id()))
        .get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static void awaitCondition(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  @Test
  void twoNodesExchangeMultiBlockDagsBothWays() throws Exception {
    Node a = node();
    Node b = node();
    TestDags.Dag dagOfA = TestDags.build(40, 16 * 1024, 8, 1, false);
    TestDags.Dag dagOfB = TestDags.build(30, 20 * 1024, 4, 2, false);
    TestDags.store(a.store(), dagOfA);
    TestDags.store(b.store(), dagOfB);
    connect(a, b);

    CompletableFuture<DagFetchResult> aGets =
        a.bitswap().fetchDag(dagOfB.root(), DAG_PB, List.of(b.id()));
    CompletableFuture<DagFetchResult> bGets =
        b.bitswap().fetchDag(dagOfA.root(), DAG_PB, List.of(a.id()));

    DagFetchResult fetchedByA = await(aGets);
    DagFetchResult fetchedByB = await(bGets);
    assertThat(fetchedByA.blocks()).isEqualTo(dagOfB.blocks().size());
    assertThat(fetchedByA.fetched()).isEqualTo(dagOfB.blocks().size());
    assertThat(fetchedByA.bytes()).isEqualTo(dagOfB.totalBytes());
    assertThat(fetchedByB.blocks()).isEqualTo(dagOfA.blocks().size());
    assertThat(TestDags.reassemble(a.store(), dagOfB.root())).isEqualTo(dagOfB.content());
    assertThat(TestDags.reassemble(b.store(), dagOfA.root())).isEqualTo(dagOfA.content());

    awaitCondition("ledgers to settle",
        () -> b.bitswap().ledger(a.id()).bytesSent() == dagOfB.totalBytes());
    Ledger aSeesB = a.bitswap().ledger(b.id());
    Ledger bSeesA = b.bitswap().ledger(a.id());
    assertThat(aSeesB.bytesReceived()).isEqualTo(dagOfB.totalBytes());
    assertThat(aSeesB.blocksReceived()).isEqualTo(dagOfB.blocks().size());
    assertThat(aSeesB.bytesSent()).isEqualTo(dagOfA.totalBytes());
    assertThat(bSeesA.blocksSent()).isEqualTo(dagOfB.blocks().size());
    assertThat(a.bitswap().outboundVersion(b.id())).contains(BitswapVersion.V1_2_0);
    assertThat(a.bitswap().violations(b.id())).isZero();
  }

  @Test
  void blockFetchedLaterIsServedToAPeerThatWantedItBefore() throws Exception {
    Node origin = node();
    Node relay = node();
    Node late = node();
    Block block = new Block(Cid.v1(Multicodec.RAW, Multihash.sha2_256(new byte[] {1, 2, 3})),
        new byte[] {1, 2, 3});
    origin.store().put(block);
    connect(late, relay);
    connect(relay, origin);
    CompletableFuture<byte[]> lateWaits = late.bitswap().newSession(List.of(relay.id()))
        .get(block.cid());
    awaitCondition("relay to hold the want",
        () -> relay.bitswap().engine().peersWanting(block.cid()).contains(late.id()));

    await(relay.bitswap().newSession(List.of(origin.id())).get(block.cid()));

    assertThat(await(lateWaits)).isEqualTo(block.data());
  }

  @Test
  void threeProvidersShareTheDemandAndTheFetchSurvivesOneDying() throws Exception {
    TestDags.Dag dag = TestDags.build(150, 32 * 1024, 16, 3, false);
    List<Node> providers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Node provider = node();
      TestDags.store(provider.store(), dag);
      providers.add(provider);
    }
    GatedBlockstore gated = new GatedBlockstore(new MemoryBlockstore(), 40);
    Node fetcher = node(gated, BitswapConfig.DEFAULT);
    for (Node provider : providers) {
      connect(fetcher, provider);
    }
    BitswapSession session = fetcher.bitswap().newSession(providers.stream().map(Node::id).toList());

    CompletableFuture<DagFetchResult> fetch = session.fetchDag(dag.root(), DAG_PB);
    assertThat(gated.reached.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    Node dying = providers.get(1);
    dying.host().close();
    awaitCondition("the fetcher to see the provider gone",
        () -> fetcher.host().connections(dying.id()).isEmpty());
    gated.open.countDown();

    DagFetchResult result = await(fetch);
    assertThat(result.blocks()).isEqualTo(dag.blocks().size());
    assertThat(TestDags.reassemble(gated, dag.root())).isEqualTo(dag.content());
    Map<PeerId, SessionPeerStats> after = session.peerStats();
    for (Node provider : providers) {
      assertThat(after.get(provider.id()).blocks())
          .as("blocks from provider %s", provider.id()).isPositive();
    }
    assertThat(after.get(dying.id()).connected()).isFalse();
    // Blocks already read from the dying provider are kept; the rest came from the others.
    assertThat(after.get(dying.id()).blocks()).isLessThan(dag.blocks().size() / 2);
    long total = after.values().stream().mapToLong(SessionPeerStats::blocks).sum();
    assertThat(total).isEqualTo(dag.blocks().size());
    session.close();
  }

  @Test
  void unknownCidFailsAsNotFoundAfterTheSessionTimeout() throws Exception {
    Duration timeout = Duration.ofSeconds(1);
    Node provider = node();
    Node fetcher = node(new MemoryBlockstore(), BitswapConfig.DEFAULT.withSessionTimeout(timeout));
    connect(fetcher, provider);
    Cid unknown = Cid.v1(Multicodec.RAW, Multihash.sha2_256("nobody has this".getBytes()));

    long start = System.nanoTime();
    CompletableFuture<byte[]> fetch =
        fetcher.bitswap().newSession(List.of(provider.id())).get(unknown);
    Throwable failure = failure(fetch);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout);
    assertThat(failure)
        .isInstanceOf(BlockNotFoundException.class)
        .hasMessageContaining("block " + unknown + " not found")
        .hasMessageContaining("1 answered dont-have");
    assertThat(((BlockNotFoundException) failure).cid()).isEqualTo(unknown);
  }

  @Test
  void providerSendingCorruptBytesIsDisconnectedAndTheBlocksComeFromAnother() throws Exception {
    TestDags.Dag dag = TestDags.build(12, 8 * 1024, 4, 4, false);
    MemoryBlockstore corruptStore = new MemoryBlockstore();
    TestDags.store(corruptStore, dag);
    Node corrupt = node(new CorruptingBlockstore(corruptStore), BitswapConfig.DEFAULT);
    Node honest = node();
    TestDags.store(honest.store(), dag);
    Node fetcher = node();
    connect(fetcher, corrupt);
    connect(fetcher, honest);

    DagFetchResult result = await(fetcher.bitswap()
        .fetchDag(dag.root(), DAG_PB, List.of(corrupt.id(), honest.id())));

    assertThat(result.blocks()).isEqualTo(dag.blocks().size());
    assertThat(TestDags.reassemble(fetcher.store(), dag.root())).isEqualTo(dag.content());
    logs.await(WAIT, "WARN", "disconnecting " + corrupt.id(), "not asked of it");
    assertThat(fetcher.bitswap().violations(corrupt.id())).isPositive();
    awaitCondition("the corrupt provider to be disconnected",
        () -> fetcher.host().connections(corrupt.id()).isEmpty());
    assertThat(fetcher.bitswap().violations(honest.id())).isZero();
  }

  @Test
  void messageOverTheSizeLimitResetsTheStreamAndCountsThePeer() throws Exception {
    Node node = node();
    NettyHost attacker = hosts.start();
    attacker.dial(node.host().listenAddresses().get(0).withPeerId(node.id()))
        .get(10, TimeUnit.SECONDS);
    Stream stream = attacker.newStream(node.id(), List.of(BitswapVersion.V1_2_0.protocolId()))
        .get(10, TimeUnit.SECONDS);

    OutputStream out = stream.output();
    out.write(Varint.encode(5 * 1024 * 1024));
    out.write(new byte[1024]);
    out.flush();

    stream.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    logs.await(WAIT, "WARN", "resetting stream from " + attacker.peerId(),
        "message of 5242880 bytes exceeds the 4194304-byte limit");
    assertThat(node.bitswap().violations(attacker.peerId())).isEqualTo(1);
    assertThat(stream.connection().isOpen()).isTrue();
  }

  @Test
  void hundredThousandEntryWantlistResetsTheStreamAndIsNotApplied() throws Exception {
    Node node = node();
    NettyHost attacker = hosts.start();
    attacker.dial(node.host().listenAddresses().get(0).withPeerId(node.id()))
        .get(10, TimeUnit.SECONDS);
    Stream stream = attacker.newStream(node.id(), List.of(BitswapVersion.V1_2_0.protocolId()))
        .get(10, TimeUnit.SECONDS);
    byte[] body = BitswapCodecTest.wantlistBody(100_000);

    OutputStream out = stream.output();
    out.write(Varint.encode(body.length));
    out.write(body);
    out.flush();

    stream.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    logs.await(WAIT, "WARN", "resetting stream from " + attacker.peerId(),
        "wantlist has more than 1024 entries");
    assertThat(node.bitswap().violations(attacker.peerId())).isEqualTo(1);
    assertThat(node.bitswap().engine().wantlist(attacker.peerId())).isEmpty();
  }

  @Test
  void peerSpeakingOnlyBitswap100ExchangesBlocksBothWays() throws Exception {
    Node legacy = node(new MemoryBlockstore(),
        BitswapConfig.DEFAULT.withVersions(List.of(BitswapVersion.V1_0_0)));
    Node modern = node();
    TestDags.Dag legacyDag = TestDags.build(20, 4 * 1024, 5, 5, true);
    TestDags.Dag modernDag = TestDags.build(20, 4 * 1024, 5, 6, true);
    TestDags.store(legacy.store(), legacyDag);
    TestDags.store(modern.store(), modernDag);
    connect(modern, legacy);
    assertThat(legacy.host().protocols().protocols())
        .contains(BitswapVersion.V1_0_0.protocolId())
        .doesNotContain(BitswapVersion.V1_2_0.protocolId(), BitswapVersion.V1_1_0.protocolId());

    DagFetchResult byModern =
        await(modern.bitswap().fetchDag(legacyDag.root(), DAG_PB, List.of(legacy.id())));
    DagFetchResult byLegacy =
        await(legacy.bitswap().fetchDag(modernDag.root(), DAG_PB, List.of(modern.id())));

    assertThat(byModern.blocks()).isEqualTo(legacyDag.blocks().size());
    assertThat(byLegacy.blocks()).isEqualTo(modernDag.blocks().size());
    assertThat(TestDags.reassemble(modern.store(), legacyDag.root()))
        .isEqualTo(legacyDag.content());
    assertThat(TestDags.reassemble(legacy.store(), modernDag.root()))
        .isEqualTo(modernDag.content());
    assertThat(modern.bitswap().outboundVersion(legacy.id())).contains(BitswapVersion.V1_0_0);
    assertThat(legacy.bitswap().outboundVersion(modern.id())).contains(BitswapVersion.V1_0_0);
  }

  private static Throwable failure(CompletableFuture<?> future) throws Exception {
    try {
      future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  /** Holds every put after the first {@code limit} until {@link #open} is counted down. */
  private static final class GatedBlockstore extends ForwardingBlockstore {
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);
    private final AtomicInteger puts = new AtomicInteger();
    private final int limit;

    GatedBlockstore(Blockstore inner, int limit) {
      super(inner);
      this.limit = limit;
    }

    @Override
    public void put(Block block) throws IOException {
      if (puts.incrementAndGet() > limit) {
        reached.countDown();
        try {
          if (!open.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IOException("gate never opened");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
      super.put(block);
    }
  }

  /** Serves every block with its last byte flipped. */
  private static final class CorruptingBlockstore extends ForwardingBlockstore {
    CorruptingBlockstore(Blockstore inner) {
      super(inner);
    }

    @Override
    public Optional<byte[]> get(Cid cid) throws IOException {
      return super.get(cid).map(data -> {
        byte[] bad = data.clone();
        bad[bad.length - 1] ^= 1;
        return bad;
      });
    }
  }
}
