package io.mycel.content.pin;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.blockstore.FsBlockstore;
import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.blockstore.TestBlocks;
import io.mycel.content.pin.GarbageCollector.GcResult;
import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adds (blocks stored, then pinned, inside add sessions) racing with back-to-back collections:
 * no collection may lose a block of a completed add or see a pin whose blocks are not all there.
 */
class GarbageCollectorConcurrencyTest {
  private static final int ADDERS = 4;

  @TempDir Path dir;

  @Test
  @Timeout(60)
  void addsRacingCollectionsInMemoryLoseNoBlocks() throws Exception {
    runRace(new MemoryBlockstore(), 150);
  }

  @Test
  @Timeout(60)
  void addsRacingCollectionsOnDiskLoseNoBlocks() throws Exception {
    try (FsBlockstore store = FsBlockstore.open(dir.resolve("blocks"))) {
      runRace(store, 15);
    }
  }

  @SuppressWarnings("try") // the session is held, not used
  private void runRace(Blockstore store, int addsPerAdder) throws Exception {
    PinStore pins = PinStore.inMemory();
    GarbageCollector gc = new GarbageCollector(store, pins, TestBlocks.DECODER);
    Block shared = TestBlocks.raw("a leaf many adds share");
    ConcurrentLinkedQueue<Block> mustSurvive = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<GcResult> damaged = new ConcurrentLinkedQueue<>();
    AtomicBoolean addsDone = new AtomicBoolean();
    AtomicInteger collections = new AtomicInteger();
    AtomicInteger removed = new AtomicInteger();

    try (ExecutorService pool = Executors.newFixedThreadPool(ADDERS + 1)) {
      Future<?> collector = pool.submit(() -> {
        while (!addsDone.get() || collections.get() == 0) {
          GcResult result = gc.collect();
          if (!result.problems().isEmpty()) {
            damaged.add(result);
          }
          removed.addAndGet((int) result.blocksRemoved());
          collections.incrementAndGet();
        }
        return null;
      });
      List<Future<?>> adders = new ArrayList<>();
      for (int a = 0; a < ADDERS; a++) {
        int adder = a;
        adders.add(pool.submit(() -> {
          for (int i = 0; i < addsPerAdder; i++) {
            List<Block> blocks = new ArrayList<>();
            List<Cid> leaves = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
              Block leaf = TestBlocks.raw("leaf " + adder + "/" + i + "/" + j);
              blocks.add(leaf);
              leaves.add(leaf.cid());
            }
            blocks.add(shared);
            leaves.add(shared.cid());
            Block mid = TestBlocks.node("mid " + adder + "/" + i, leaves);
            Block root = TestBlocks.node("root " + adder + "/" + i, mid.cid(), shared.cid());
            blocks.add(mid);
            blocks.add(root);
            try (GarbageCollector.AddSession session = gc.beginAdd()) {
              for (Block block : blocks) {
                store.put(block);
              }
              pins.pinRecursive(root.cid());
            }
            boolean keep = i % 3 != 0;
            if (keep) {
              mustSurvive.addAll(blocks);
            } else {
              pins.unpin(root.cid());
            }
            // Unprotected garbage for the collections to remove.
            store.put(TestBlocks.raw("garbage " + adder + "/" + i));
          }
          return null;
        }));
      }
      for (Future<?> f : adders) {
        f.get();
      }
      addsDone.set(true);
      collector.get();
    }

    GcResult last = gc.collect();
    assertThat(damaged.size()).as("collections that saw a pin with missing blocks; first problem: %s",
        damaged.isEmpty() ? "none" : damaged.peek().problems().getFirst()).isZero();
    assertThat(last.problems()).isEmpty();
    assertThat(collections.get()).isPositive();
    List<Cid> lost = new ArrayList<>();
    Set<Multihash> expected = new HashSet<>();
    for (Block block : mustSurvive) {
      expected.add(block.cid().multihash());
      if (!store.has(block.cid())) {
        lost.add(block.cid());
      }
    }
    assertThat(lost).as("blocks of completed adds lost").isEmpty();
    assertThat(store.stats().blocks()).isEqualTo(expected.size());
    assertThat(removed.get() + last.blocksRemoved()).isPositive();
  }
}
