package io.mycel.content.bitswap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.BlockNotFoundException;
import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The session's scheduling against a recording network and a hand-driven clock. */
class BitswapSessionTest {

  private static final BitswapConfig CONFIG = BitswapConfig.DEFAULT
      .withSessionTimeout(Duration.ofSeconds(10))
      .withWantBlockTimeout(Duration.ofSeconds(2))
      .withRebroadcastInterval(Duration.ofSeconds(1))
      .withMaxInFlightPerPeer(4)
      .withMaxActiveWantsPerSession(16);

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final FakeNetwork network = new FakeNetwork();
  private final PeerId a = peer();
  private final PeerId b = peer();
  private final PeerId c = peer();

  private static PeerId peer() {
    return PeerId.fromPublicKey(Ed25519.generate().publicKey());
  }

  private static Block block(String text) {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    return new Block(Cid.v1(Multicodec.RAW, Multihash.sha2_256(data)), data);
  }

  private BitswapSession session(BitswapConfig config, PeerId... peers) {
    return new BitswapSession(network, config, List.of(peers), false, clock::get, Runnable::run);
  }

  private BitswapSession session(PeerId... peers) {
    return session(CONFIG, peers);
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  @Test
  void firstWantIsAWantBlockToOnePeerAndWantHaveToTheOthers() {
    BitswapSession session = session(a, b, c);
    Block x = block("x");

    session.get(x.cid());

    assertThat(network.take(a)).containsExactly(WantlistEntry.wantBlock(x.cid(), true));
    assertThat(network.take(b)).containsExactly(WantlistEntry.wantHave(x.cid(), true));
    assertThat(network.take(c)).containsExactly(WantlistEntry.wantHave(x.cid(), true));
  }

  @Test
  void blockCompletesTheFutureAndCancelsTheOtherPeers() throws Exception {
    BitswapSession session = session(a, b);
    Block x = block("x");
    CompletableFuture<byte[]> future = session.get(x.cid());
    network.takeAll();

    session.blockReceived(a, x);

    assertThat(future.get()).isEqualTo(x.data());
    assertThat(network.take(a)).isEmpty();
    assertThat(network.take(b)).containsExactly(WantlistEntry.cancel(x.cid()));
    assertThat(network.interest).isEmpty();
    assertThat(session.peerStats().get(a).blocks()).isEqualTo(1);
  }

  @Test
  void dontHaveMovesTheBlockToAPeerThatHasIt() {
    BitswapSession session = session(a, b, c);
    Block x = block("x");
    session.get(x.cid());
    network.takeAll();

    session.presenceReceived(c, BlockPresence.have(x.cid()));
    assertThat(network.takeAll()).isEmpty();
    session.presenceReceived(a, BlockPresence.dontHave(x.cid()));

    assertThat(network.take(c)).containsExactly(WantlistEntry.wantBlock(x.cid(), true));
    assertThat(network.takeAll()).isEmpty();
  }

  @Test
  void unansweredWantBlockMovesToAnotherPeerAfterTheTimeout() {
    BitswapSession session = session(a, b);
    Block x = block("x");
    session.get(x.cid());
    session.presenceReceived(b, BlockPresence.have(x.cid()));
    network.takeAll();

    advance(Duration.ofMillis(1900));
    session.tick();
    assertThat(network.takeAll()).isEmpty();
    advance(Duration.ofMillis(200));
    session.tick();

    assertThat(network.take(b)).containsExactly(WantlistEntry.wantBlock(x.cid(), true));
    assertThat(session.peerStats().get(a).timeouts()).isEqualTo(1);
  }

  @Test
  void blockNoPeerHasFailsAsNotFoundAfterTheSessionTimeout() {
    BitswapSession session = session(a, b);
    Cid missing = block("missing").cid();
    CompletableFuture<byte[]> future = session.get(missing);
    session.presenceReceived(a, BlockPresence.dontHave(missing));
    session.presenceReceived(b, BlockPresence.dontHave(missing));

    for (int i = 0; i < 9; i++) {
      advance(Duration.ofSeconds(1));
      session.tick();
    }
    assertThat(future).isNotDone();
    advance(Duration.ofSeconds(1));
    session.tick();

    assertThat(future).isCompletedExceptionally();
    assertThat(failure(future))
        .isInstanceOf(BlockNotFoundException.class)
        .hasMessageContaining("block " + missing + " not found")
        .hasMessageContaining("2 answered dont-have");
    assertThat(network.interest).isEmpty();
  }

  @Test
  void blocksNobodyClaimedAreAskedForAgain() {
    BitswapSession session = session(a, b);
    Cid x = block("x").cid();
    session.get(x);
    session.presenceReceived(a, BlockPresence.dontHave(x));
    network.takeAll();

    advance(Duration.ofMillis(1100));
    session.tick();

    assertThat(network.take(b)).contains(WantlistEntry.wantHave(x, true));
  }

  @Test
  void demandMovesToTheFasterPeer() {
    BitswapSession session = session(CONFIG.withMaxActiveWantsPerSession(4), a, b);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      blocks.add(block("block " + i));
    }
    for (Block x : blocks) {
      session.get(x.cid());
    }
    // Both peers have everything; a answers in 1 ms, b in 20 ms.
    int delivered = 0;
    Map<Cid, PeerId> assigned = new LinkedHashMap<>();
    Map<Cid, Long> due = new LinkedHashMap<>();
    while (delivered < blocks.size()) {
      for (Map.Entry<PeerId, List<WantlistEntry>> sent : network.takeAll().entrySet()) {
        for (WantlistEntry e : sent.getValue()) {
          if (e.cancel()) {
            continue;
          }
          if (e.wantType() == WantType.HAVE) {
            session.presenceReceived(sent.getKey(), BlockPresence.have(e.cid()));
          } else {
            assigned.put(e.cid(), sent.getKey());
            due.put(e.cid(), clock.get() + (sent.getKey().equals(a) ? 1_000_000L : 20_000_000L));
          }
        }
      }
      Cid next = due.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
      clock.set(Math.max(clock.get(), due.remove(next)));
      Block x = blocks.stream().filter(bl -> bl.cid().equals(next)).findFirst().orElseThrow();
      session.blockReceived(assigned.get(next), x);
      delivered++;
    }

    Map<PeerId, SessionPeerStats> stats = session.peerStats();
    assertThat(stats.get(a).blocks() + stats.get(b).blocks()).isEqualTo(200);
    assertThat(stats.get(a).blocks()).isGreaterThan(5 * stats.get(b).blocks());
    assertThat(stats.get(b).blocks()).isPositive();
    assertThat(stats.get(a).serviceTime()).isLessThan(stats.get(b).serviceTime());
  }

  @Test
  void peerThatGoesAwayHasItsBlocksMovedToAnother() {
    BitswapSession session = session(a, b);
    Cid x = block("x").cid();
    session.get(x);
    session.presenceReceived(b, BlockPresence.have(x));
    network.takeAll();

    session.peerGone(a);

    assertThat(network.take(b)).containsExactly(WantlistEntry.wantBlock(x, true));
    assertThat(session.peerStats().get(a).connected()).isFalse();
  }

  @Test
  void legacyPeersGetWantBlocksOnly() {
    network.legacy.add(b);
    BitswapSession session = session(a, b);
    Cid x = block("x").cid();
    session.get(x);
    assertThat(network.take(b)).isEmpty();

    session.presenceReceived(a, BlockPresence.dontHave(x));

    assertThat(network.take(b)).containsExactly(WantlistEntry.wantBlock(x, true));
  }

  @Test
  void storedBlockIsAnsweredWithoutTheNetwork() throws Exception {
    Block x = block("here");
    network.local.put(x);
    BitswapSession session = session(a);

    assertThat(session.get(x.cid()).get()).isEqualTo(x.data());
    assertThat(network.takeAll()).isEmpty();
  }

  @Test
  void cancellingTheOnlyCallerWithdrawsTheWant() {
    BitswapSession session = session(a, b);
    Cid x = block("x").cid();
    CompletableFuture<byte[]> future = session.get(x);
    network.takeAll();

    future.cancel(false);

    assertThat(network.take(a)).containsExactly(WantlistEntry.cancel(x));
    assertThat(network.take(b)).containsExactly(WantlistEntry.cancel(x));
    assertThat(session.pendingCount()).isZero();
  }

  @Test
  void twoCallersShareOneWant() throws Exception {
    BitswapSession session = session(a);
    Block x = block("x");
    CompletableFuture<byte[]> first = session.get(x.cid());
    CompletableFuture<byte[]> second = session.get(x.cid());
    first.cancel(false);
    network.takeAll();

    session.blockReceived(a, x);

    assertThat(second.get()).isEqualTo(x.data());
  }

  @Test
  void activeWantsAreCappedAndTheRestWaitTheirTurn() {
    BitswapSession session = session(CONFIG.withMaxActiveWantsPerSession(2), a);
    List<Block> blocks = List.of(block("1"), block("2"), block("3"));
    blocks.forEach(x -> session.get(x.cid()));
    assertThat(network.take(a)).hasSize(2);

    session.blockReceived(a, blocks.get(0));

    assertThat(network.take(a)).containsExactly(
        WantlistEntry.wantBlock(blocks.get(2).cid(), true));
  }

  @Test
  void perPeerInFlightIsCapped() {
    BitswapSession session = session(CONFIG.withMaxInFlightPerPeer(2), a);
    for (int i = 0; i < 5; i++) {
      session.get(block("b" + i).cid());
    }

    assertThat(network.take(a)).filteredOn(e -> e.wantType() == WantType.BLOCK).hasSize(2);
    assertThat(session.peerStats().get(a).inFlight()).isEqualTo(2);
  }

  @Test
  void closingFailsPendingBlocks() {
    BitswapSession session = session(a);
    CompletableFuture<byte[]> future = session.get(block("x").cid());

    session.close();

    assertThat(failure(future)).isInstanceOf(CancellationException.class);
    assertThat(network.closed).isTrue();
  }

  @Test
  void dagWalkFetchesChildrenAsParentsArrive() throws Exception {
    TestDags.Dag dag = TestDags.build(6, 10, 3, 1, false);
    BitswapSession session = session(a);
    CompletableFuture<DagFetchResult> result = session.fetchDag(dag.root(),
        new io.mycel.content.dagpb.DagPbLinkDecoder());
    Map<Cid, Block> byCid = new LinkedHashMap<>();
    dag.blocks().forEach(x -> byCid.put(x.cid(), x));

    while (!result.isDone()) {
      List<WantlistEntry> sent = network.take(a);
      assertThat(sent).isNotEmpty();
      for (WantlistEntry e : sent) {
        Block x = byCid.get(e.cid());
        network.local.put(x);
        session.blockReceived(a, x);
      }
    }

    DagFetchResult done = result.get();
    assertThat(done.blocks()).isEqualTo(dag.blocks().size());
    assertThat(done.fetched()).isEqualTo(dag.blocks().size());
    assertThat(done.bytes()).isEqualTo(dag.totalBytes());
  }

  private static Throwable failure(CompletableFuture<?> future) {
    try {
      future.get();
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (CancellationException e) {
      return e;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Records what the session sends. */
  private static final class FakeNetwork implements SessionNetwork {
    final Map<PeerId, List<WantlistEntry>> sent = new LinkedHashMap<>();
    final Set<PeerId> legacy = new HashSet<>();
    final Set<Multihash> interest = new HashSet<>();
    final MemoryBlockstore local = new MemoryBlockstore();
    boolean closed;

    @Override
    public synchronized void sendWants(PeerId peer, List<WantlistEntry> entries) {
      sent.computeIfAbsent(peer, p -> new ArrayList<>()).addAll(entries);
    }

    synchronized List<WantlistEntry> take(PeerId peer) {
      List<WantlistEntry> list = sent.remove(peer);
      return list == null ? List.of() : list;
    }

    synchronized Map<PeerId, List<WantlistEntry>> takeAll() {
      Map<PeerId, List<WantlistEntry>> all = new LinkedHashMap<>(sent);
      sent.clear();
      return all;
    }

    @Override
    public boolean isLegacy(PeerId peer) {
      return legacy.contains(peer);
    }

    @Override
    public Optional<byte[]> localBlock(Cid cid) throws IOException {
      return local.get(cid);
    }

    @Override
    public synchronized void interested(BitswapSession session, Multihash hash) {
      interest.add(hash);
    }

    @Override
    public synchronized void uninterested(BitswapSession session, Multihash hash) {
      interest.remove(hash);
    }

    @Override
    public void sessionClosed(BitswapSession session) {
      closed = true;
    }
  }
}
