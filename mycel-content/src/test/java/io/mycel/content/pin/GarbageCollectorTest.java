package io.mycel.content.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.blockstore.FsBlockstore;
import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.blockstore.TestBlocks;
import io.mycel.content.pin.GarbageCollector.GcResult;
import io.mycel.content.pin.GarbageCollector.MarkProblem;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
  @TempDir Path dir;

  private final Blockstore store = new MemoryBlockstore();
  private final PinStore pins = PinStore.inMemory();
  private final GarbageCollector gc = new GarbageCollector(store, pins, TestBlocks.DECODER);

  /** root -> (mid -> (leaf1, leaf2), leaf3); stored. */
  private record Dag(Block root, Block mid, Block leaf1, Block leaf2, Block leaf3) {
    List<Block> blocks() {
      return List.of(root, mid, leaf1, leaf2, leaf3);
    }
  }

  private Dag storeDag(String tag) throws IOException {
    Block leaf1 = TestBlocks.raw(tag + "-leaf1");
    Block leaf2 = TestBlocks.raw(tag + "-leaf2");
    Block leaf3 = TestBlocks.raw(tag + "-leaf3");
    Block mid = TestBlocks.node(tag + "-mid", leaf1.cid(), leaf2.cid());
    Block root = TestBlocks.node(tag + "-root", mid.cid(), leaf3.cid());
    Dag dag = new Dag(root, mid, leaf1, leaf2, leaf3);
    for (Block b : dag.blocks()) {
      store.put(b);
    }
    return dag;
  }

  private void assertPresent(List<Block> blocks) throws IOException {
    for (Block b : blocks) {
      assertThat(store.has(b.cid())).as("%s kept", b.cid()).isTrue();
    }
  }

  private void assertAbsent(List<Block> blocks) throws IOException {
    for (Block b : blocks) {
      assertThat(store.has(b.cid())).as("%s removed", b.cid()).isFalse();
    }
  }

  @Test
  void collectRemovesOnlyBlocksNoPinReaches() throws IOException {
    Dag pinned = storeDag("pinned");
    Dag loose = storeDag("loose");
    Block stray = TestBlocks.raw("stray");
    store.put(stray);
    pins.pinRecursive(pinned.root().cid());

    GcResult result = gc.collect();

    assertPresent(pinned.blocks());
    assertAbsent(loose.blocks());
    assertAbsent(List.of(stray));
    long looseBytes = loose.blocks().stream().mapToLong(Block::size).sum() + stray.size();
    assertThat(result).isEqualTo(new GcResult(6, looseBytes, 5, List.of(), true));
    assertThat(store.stats().blocks()).isEqualTo(5);
  }

  @Test
  void directPinKeepsTheBlockButNotItsChildren() throws IOException {
    Dag dag = storeDag("direct");
    pins.pinDirect(dag.root().cid());
    GcResult result = gc.collect();
    assertPresent(List.of(dag.root()));
    assertAbsent(List.of(dag.mid(), dag.leaf1(), dag.leaf2(), dag.leaf3()));
    assertThat(result.blocksRemoved()).isEqualTo(4);
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void recursivePinOfASubtreeKeepsOnlyThatSubtree() throws IOException {
    Dag dag = storeDag("sub");
    pins.pinRecursive(dag.mid().cid());
    gc.collect();
    assertPresent(List.of(dag.mid(), dag.leaf1(), dag.leaf2()));
    assertAbsent(List.of(dag.root(), dag.leaf3()));
  }

  @Test
  void blocksSharedWithAnUnpinnedDagAreKept() throws IOException {
    Dag pinned = storeDag("shared");
    Block other = TestBlocks.node("other", pinned.leaf1().cid());
    store.put(other);
    pins.pinRecursive(pinned.root().cid());
    gc.collect();
    assertPresent(pinned.blocks());
    assertAbsent(List.of(other));
  }

  @Test
  void unpinnedDagIsCollected() throws IOException {
    Dag dag = storeDag("unpin");
    pins.pinRecursive(dag.root().cid());
    gc.collect();
    pins.unpin(dag.root().cid());
    GcResult result = gc.collect();
    assertThat(result.blocksRemoved()).isEqualTo(5);
    assertThat(store.stats().blocks()).isZero();
  }

  @Test
  void pinByCidV0KeepsTheBlockStoredUnderV1() throws IOException {
    byte[] data = "dag-pb-ish".getBytes(StandardCharsets.UTF_8);
    Multihash hash = Multihash.sha2_256(data);
    store.put(new Block(Cid.v1(Multicodec.DAG_PB, hash), data));
    pins.pinDirect(Cid.v0(hash));
    assertThat(gc.collect().blocksRemoved()).isZero();
    assertThat(store.stats().blocks()).isEqualTo(1);
  }

  @Test
  void missingBlockUnderAPinIsReportedAndNothingIsDeleted() throws IOException {
    Dag dag = storeDag("missing");
    Block stray = TestBlocks.raw("stray");
    store.put(stray);
    store.delete(dag.mid().cid().multihash());
    pins.pinRecursive(dag.root().cid());

    GcResult result = gc.collect();

    assertThat(result.swept()).isFalse();
    assertThat(result.blocksRemoved()).isZero();
    assertThat(result.problems())
        .containsExactly(new MarkProblem(dag.mid().cid(), dag.root().cid(), "block is missing"));
    assertPresent(List.of(stray, dag.leaf1(), dag.leaf2()));
  }

  @Test
  void sweepDespiteProblemsDeletesWhatIsNotMarked() throws IOException {
    Dag dag = storeDag("force");
    Block stray = TestBlocks.raw("stray");
    store.put(stray);
    store.delete(dag.mid().cid().multihash());
    pins.pinRecursive(dag.root().cid());

    GcResult result = gc.collect(true);

    assertThat(result.swept()).isTrue();
    assertThat(result.problems()).hasSize(1);
    assertPresent(List.of(dag.root(), dag.leaf3()));
    // The children of the missing block could not be known, so they went too.
    assertAbsent(List.of(stray, dag.leaf1(), dag.leaf2()));
  }

  @Test
  void missingDirectlyPinnedBlockIsReported() throws IOException {
    Block absent = TestBlocks.raw("never stored");
    pins.pinDirect(absent.cid());
    GcResult result = gc.collect();
    assertThat(result.problems()).extracting(MarkProblem::cid).containsExactly(absent.cid());
  }

  @Test
  void missingRawLeafIsReported() throws IOException {
    Dag dag = storeDag("rawleaf");
    store.delete(dag.leaf3().cid().multihash());
    pins.pinRecursive(dag.root().cid());
    assertThat(gc.collect().problems()).extracting(MarkProblem::cid)
        .containsExactly(dag.leaf3().cid());
  }

  @Test
  void undecodableBlockUnderAPinIsReported() throws IOException {
    byte[] data = "payload\nnot a cid".getBytes(StandardCharsets.UTF_8);
    Block bad = new Block(Cid.v1(TestBlocks.TEST_CODEC, Multihash.sha2_256(data)), data);
    store.put(bad);
    pins.pinRecursive(bad.cid());
    GcResult result = gc.collect();
    assertThat(result.problems()).singleElement().satisfies(p -> {
      assertThat(p.cid()).isEqualTo(bad.cid());
      assertThat(p.reason()).startsWith("cannot decode links");
    });
    assertThat(store.has(bad.cid())).isTrue();
  }

  @Test
  void identityLinksNeedNoStoredBlock() throws IOException {
    byte[] inline = "tiny".getBytes(StandardCharsets.UTF_8);
    Cid identity = Cid.v1(Multicodec.RAW, Multihash.identity(inline));
    Block root = TestBlocks.node("root", identity);
    store.put(root);
    pins.pinRecursive(root.cid());
    GcResult result = gc.collect();
    assertThat(result.problems()).isEmpty();
    assertThat(result.blocksKept()).isEqualTo(1);
  }

  @Test
  void sharedCycleFreeDagIsWalkedOnce() throws IOException {
    Block leaf = TestBlocks.raw("leaf");
    Block a = TestBlocks.node("a", leaf.cid(), leaf.cid());
    Block b = TestBlocks.node("b", a.cid(), leaf.cid(), a.cid());
    for (Block block : List.of(leaf, a, b)) {
      store.put(block);
    }
    pins.pinRecursive(b.cid());
    GcResult result = gc.collect();
    assertThat(result.blocksKept()).isEqualTo(3);
    assertThat(result.problems()).isEmpty();
  }

  @Test
  @SuppressWarnings("try") // the session is held, not used
  void collectInsideAnAddSessionIsRefused() {
    try (GarbageCollector.AddSession session = gc.beginAdd()) {
      assertThatThrownBy(gc::collect)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("inside an add session");
    }
  }

  @Test
  @SuppressWarnings("try") // the session is held, not used
  void blocksOfAnOpenAddSessionSurviveACollectionThatWaitsForIt() throws Exception {
    Dag dag;
    CompletableFuture<GcResult> collection;
    try (GarbageCollector.AddSession session = gc.beginAdd()) {
      dag = storeDag("inflight");
      collection = CompletableFuture.supplyAsync(() -> {
        try {
          return gc.collect();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      awaitWaitingCollection();
      assertThat(collection).isNotDone();
      pins.pinRecursive(dag.root().cid());
    }
    GcResult result = collection.get(10, TimeUnit.SECONDS);
    assertThat(result.blocksRemoved()).isZero();
    assertPresent(dag.blocks());
  }

  @Test
  @SuppressWarnings("try") // the session is held, not used
  void blocksOfASessionClosedWithoutAPinAreCollected() throws Exception {
    Dag dag;
    try (GarbageCollector.AddSession session = gc.beginAdd()) {
      dag = storeDag("abandoned");
    }
    assertThat(gc.collect().blocksRemoved()).isEqualTo(5);
    assertAbsent(dag.blocks());
  }

  @Test
  @SuppressWarnings("try") // the session is held, not used
  void pinsAndBlocksPersistAcrossReopen() throws IOException {
    Path blocks = dir.resolve("blocks");
    Path pinFile = dir.resolve("pins");
    Block leaf = TestBlocks.raw("leaf");
    Block root = TestBlocks.node("root", leaf.cid());
    Block garbage = TestBlocks.raw("garbage");
    Block direct = TestBlocks.raw("direct");
    try (FsBlockstore fs = FsBlockstore.open(blocks)) {
      PinStore filePins = PinStore.open(pinFile);
      GarbageCollector fsGc = new GarbageCollector(fs, filePins, TestBlocks.DECODER);
      try (GarbageCollector.AddSession session = fsGc.beginAdd()) {
        for (Block b : List.of(leaf, root, garbage, direct)) {
          fs.put(b);
        }
        filePins.pinRecursive(root.cid(), "root");
        filePins.pinDirect(direct.cid());
      }
    }
    try (FsBlockstore fs = FsBlockstore.open(blocks)) {
      PinStore filePins = PinStore.open(pinFile);
      assertThat(filePins.list()).extracting(Pin::cid).containsExactly(root.cid(), direct.cid());
      GcResult result = new GarbageCollector(fs, filePins, TestBlocks.DECODER).collect();
      assertThat(result).isEqualTo(new GcResult(1, garbage.size(), 3, List.of(), true));
      assertThat(fs.has(garbage.cid())).isFalse();
      assertThat(fs.has(leaf.cid())).isTrue();
    }
    try (FsBlockstore fs = FsBlockstore.open(blocks)) {
      assertThat(fs.stats().blocks()).isEqualTo(3);
    }
  }

  private void awaitWaitingCollection() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!gc.hasWaitingCollection()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("collection did not start waiting within 10 s");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}
