package io.mycel.content.bitswap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.peer.PeerId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BitswapEngineTest {

  private final MemoryBlockstore store = new MemoryBlockstore();
  private final BitswapEngine engine =
      new BitswapEngine(store, BitswapLimits.DEFAULT.withMaxWantlistSizePerPeer(8), 1000);
  private final PeerId alice = peer();
  private final PeerId bob = peer();

  private static PeerId peer() {
    return PeerId.fromPublicKey(Ed25519.generate().publicKey());
  }

  private static Block block(String text) {
    return block(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static Block block(byte[] data) {
    return new Block(Cid.v1(Multicodec.RAW, Multihash.sha2_256(data)), data);
  }

  private boolean wants(PeerId peer, WantlistEntry... entries) {
    return engine.receiveWantlist(peer, BitswapMessage.wants(List.of(entries)));
  }

  private BitswapMessage next(PeerId peer) {
    return engine.nextResponse(peer).orElseThrow(() -> new AssertionError("no response"));
  }

  @Test
  void wantHaveOfAStoredBlockIsAnsweredHave() throws IOException {
    Block a = block("a");
    store.put(a);

    assertThat(wants(alice, WantlistEntry.wantHave(a.cid(), true))).isTrue();

    assertThat(next(alice).presences()).containsExactly(BlockPresence.have(a.cid()));
    assertThat(engine.wantlist(alice)).isEmpty();
  }

  @Test
  void wantHaveOfAMissingBlockIsAnsweredDontHaveWhenAsked() {
    Cid missing = block("missing").cid();
    wants(alice, WantlistEntry.wantHave(missing, true));

    assertThat(next(alice).presences()).containsExactly(BlockPresence.dontHave(missing));
    assertThat(engine.wantlist(alice)).hasSize(1);
  }

  @Test
  void missingBlockWithoutSendDontHaveGetsNoAnswer() {
    wants(alice, WantlistEntry.wantBlock(block("missing").cid(), false));

    assertThat(engine.nextResponse(alice)).isEmpty();
    assertThat(engine.hasWork(alice)).isFalse();
  }

  @Test
  void wantBlockIsAnsweredWithTheBlockUnderTheCidAsked() throws IOException {
    Block stored = block("dag-pb bytes");
    store.put(stored);
    Cid askedAs = Cid.v0(stored.cid().multihash());

    wants(alice, WantlistEntry.wantBlock(askedAs, true));

    assertThat(next(alice).blocks()).containsExactly(new Block(askedAs, stored.data()));
    assertThat(engine.wantlist(alice)).isEmpty();
  }

  @Test
  void cancelWithdrawsAQueuedWant() throws IOException {
    Block a = block("a");
    store.put(a);
    wants(alice, WantlistEntry.wantBlock(a.cid(), true));

    wants(alice, WantlistEntry.cancel(a.cid()));

    assertThat(engine.nextResponse(alice)).isEmpty();
    assertThat(engine.wantlist(alice)).isEmpty();
    assertThat(engine.peersWanting(a.cid())).isEmpty();
  }

  @Test
  void fullWantlistReplacesTheOldOne() {
    Cid a = block("a").cid();
    Cid b = block("b").cid();
    wants(alice, WantlistEntry.wantBlock(a, false));

    engine.receiveWantlist(alice,
        new BitswapMessage(List.of(WantlistEntry.wantBlock(b, false)), true, List.of(),
            List.of(), 0));

    assertThat(engine.wantlist(alice)).extracting(WantlistEntry::cid).containsExactly(b);
  }

  @Test
  void wantBlockIsNotDowngradedByALaterWantHave() {
    Cid a = block("a").cid();
    wants(alice, WantlistEntry.wantBlock(a, true));
    wants(alice, WantlistEntry.wantHave(a, true));

    assertThat(engine.wantlist(alice)).extracting(WantlistEntry::wantType)
        .containsExactly(WantType.BLOCK);
  }

  @Test
  void blockArrivingLaterGoesToThePeersThatWantIt() throws IOException {
    Block late = block("late");
    wants(alice, WantlistEntry.wantBlock(late.cid(), true));
    wants(bob, WantlistEntry.wantHave(late.cid(), false));
    assertThat(next(alice).presences()).containsExactly(BlockPresence.dontHave(late.cid()));
    assertThat(engine.nextResponse(bob)).isEmpty();

    store.put(late);
    assertThat(engine.blockAdded(late.cid())).containsExactlyInAnyOrder(alice, bob);

    assertThat(next(alice).blocks()).containsExactly(late);
    assertThat(next(bob).presences()).containsExactly(BlockPresence.have(late.cid()));
    assertThat(engine.peersWanting(late.cid())).isEmpty();
  }

  @Test
  void blockAddedThatNobodyWantsIsNoWork() {
    assertThat(engine.blockAdded(block("x").cid())).isEmpty();
  }

  @Test
  void responsesAreSplitAtTheTargetMessageSize() throws IOException {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Block b = block(new byte[400 + i]);
      blocks.add(b);
      store.put(b);
      wants(alice, WantlistEntry.wantBlock(b.cid(), true));
    }

    List<Integer> perMessage = new ArrayList<>();
    for (Optional<BitswapMessage> m = engine.nextResponse(alice); m.isPresent();
        m = engine.nextResponse(alice)) {
      perMessage.add(m.get().blocks().size());
    }

    assertThat(perMessage).containsExactly(2, 2, 1);
  }

  @Test
  void aBlockLargerThanTheTargetStillGoesAlone() throws IOException {
    Block big = block(new byte[5000]);
    store.put(big);
    wants(alice, WantlistEntry.wantBlock(big.cid(), true));

    assertThat(next(alice).blocks()).containsExactly(big);
  }

  @Test
  void wantsPastTheWantlistLimitAreIgnored() {
    List<WantlistEntry> entries = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      entries.add(WantlistEntry.wantBlock(block("w" + i).cid(), false));
    }
    engine.receiveWantlist(alice, BitswapMessage.wants(entries));

    assertThat(engine.wantlist(alice)).hasSize(8);
    assertThat(engine.wantsIgnored(alice)).isEqualTo(4);
  }

  @Test
  void ledgersCountBothDirections() throws IOException {
    Block a = block("sent");
    store.put(a);
    wants(alice, WantlistEntry.wantBlock(a.cid(), true));
    engine.recordSent(alice, next(alice));
    engine.recordReceived(alice, BitswapMessage.response(List.of(block("recv!")), List.of()));

    Ledger ledger = engine.ledger(alice);
    assertThat(ledger.bytesSent()).isEqualTo(4);
    assertThat(ledger.blocksSent()).isEqualTo(1);
    assertThat(ledger.bytesReceived()).isEqualTo(5);
    assertThat(ledger.blocksReceived()).isEqualTo(1);
    assertThat(ledger.messagesSent()).isEqualTo(1);
    assertThat(ledger.messagesReceived()).isEqualTo(1);
    assertThat(engine.ledger(bob)).isEqualTo(Ledger.empty(bob));
  }

  @Test
  void totalsAddUpTheLedgersOfAllPeers() throws IOException {
    Block a = block("sent");
    store.put(a);
    wants(alice, WantlistEntry.wantBlock(a.cid(), true));
    wants(bob, WantlistEntry.wantBlock(a.cid(), true));
    engine.recordSent(alice, next(alice));
    engine.recordSent(bob, next(bob));
    engine.recordReceived(bob, BitswapMessage.response(List.of(block("recv!")), List.of()));

    assertThat(engine.totals()).isEqualTo(new BitswapStats(2, 1, 8, 5, 2, 1, 0));
  }

  @Test
  void disconnectForgetsWantsButKeepsTheLedger() {
    Cid a = block("a").cid();
    engine.recordReceived(alice, BitswapMessage.wants(List.of(WantlistEntry.wantBlock(a, true))));
    wants(alice, WantlistEntry.wantBlock(a, true));

    engine.peerDisconnected(alice);

    assertThat(engine.wantlist(alice)).isEmpty();
    assertThat(engine.hasWork(alice)).isFalse();
    assertThat(engine.peersWanting(a)).isEmpty();
    assertThat(engine.ledger(alice).messagesReceived()).isEqualTo(1);
  }

  @Test
  void aBlockThatDoesNotFitTheMessageIsLeftForTheNextWithoutBeingReadTwice() throws Exception {
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    MemoryBlockstore inner = new MemoryBlockstore();
    ForwardingBlockstore counting = new ForwardingBlockstore(inner) {
      @Override
      public Optional<byte[]> get(Cid cid) throws java.io.IOException {
        reads.incrementAndGet();
        return super.get(cid);
      }
    };
    BitswapEngine small = new BitswapEngine(counting, BitswapLimits.DEFAULT, 1000);
    Block first = block(new byte[800]);
    byte[] other = new byte[800];
    other[0] = 1;
    Block second = block(other);
    inner.put(first);
    inner.put(second);
    small.receiveWantlist(alice, BitswapMessage.wants(List.of(
        WantlistEntry.wantBlock(first.cid(), false), WantlistEntry.wantBlock(second.cid(), false))));

    assertThat(small.nextResponse(alice).orElseThrow().blocks()).hasSize(1);
    assertThat(small.nextResponse(alice).orElseThrow().blocks()).hasSize(1);
    assertThat(reads.get()).isEqualTo(2);
  }
}
