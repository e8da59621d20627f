package io.mycel.content.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.blockstore.TestBlocks;
import io.mycel.core.multihash.Multihash;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Evicting a cache's least recently used unpinned blocks within a byte budget. */
class GarbageCollectorEvictTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final Blockstore store = new MemoryBlockstore();
  private final PinStore pins = PinStore.inMemory();
  private final GarbageCollector gc = new GarbageCollector(store, pins, TestBlocks.DECODER);

  private Block put(String text) throws Exception {
    Block block = TestBlocks.raw(text);
    store.put(block);
    return block;
  }

  private static Map<Multihash, Long> inOrder(Block... blocks) {
    Map<Multihash, Long> candidates = new LinkedHashMap<>();
    for (Block block : blocks) {
      candidates.put(block.cid().multihash(), (long) block.size());
    }
    return candidates;
  }

  @Test
  void evictsTheFirstCandidatesUntilTheRestFitTheBudget() throws Exception {
    Block oldest = put("a".repeat(100));
    Block middle = put("b".repeat(100));
    Block newest = put("c".repeat(100));

    GarbageCollector.Eviction eviction = gc.evict(inOrder(oldest, middle, newest), 150, WAIT);

    assertThat(eviction.swept()).isTrue();
    assertThat(eviction.evicted().keySet()).containsExactly(oldest.cid().multihash(),
        middle.cid().multihash());
    assertThat(eviction.bytes()).isEqualTo(200);
    assertThat(store.has(oldest.cid())).isFalse();
    assertThat(store.has(middle.cid())).isFalse();
    assertThat(store.has(newest.cid())).isTrue();
  }

  @Test
  void pinnedCandidatesAreKeptAndNotCountedAgainstTheBudget() throws Exception {
    Block pinned = put("p".repeat(100));
    Block older = put("a".repeat(100));
    Block newer = put("b".repeat(100));
    pins.pinDirect(pinned.cid());

    GarbageCollector.Eviction eviction = gc.evict(inOrder(pinned, older, newer), 100, WAIT);

    assertThat(eviction.pinned()).containsExactly(pinned.cid().multihash());
    assertThat(eviction.evicted().keySet()).containsExactly(older.cid().multihash());
    assertThat(store.has(pinned.cid())).isTrue();
    assertThat(store.has(newer.cid())).isTrue();
  }

  @Test
  void blocksUnderARecursivePinAreNeverEvicted() throws Exception {
    Block leaf = put("leaf of a pinned DAG");
    Block root = TestBlocks.node("root", leaf.cid());
    store.put(root);
    pins.pinRecursive(root.cid());

    GarbageCollector.Eviction eviction = gc.evict(inOrder(leaf, root), 0, WAIT);

    assertThat(eviction.evicted()).isEmpty();
    assertThat(eviction.pinned()).containsExactlyInAnyOrder(leaf.cid().multihash(),
        root.cid().multihash());
    assertThat(store.has(leaf.cid())).isTrue();
  }

  @Test
  @SuppressWarnings("try") // the session is held, not used
  void anEvictionWaitsForAnAddInProgressAndGivesUpAfterItsWait() throws Exception {
    Block cached = put("cached");
    CompletableFuture<GarbageCollector.Eviction> eviction;
    try (GarbageCollector.AddSession session = gc.beginAdd()) {
      Block adding = put("being added");
      eviction = CompletableFuture.supplyAsync(() -> {
        try {
          return gc.evict(inOrder(adding, cached), 0, Duration.ofMillis(200));
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      GarbageCollector.Eviction skipped = eviction.get(10, TimeUnit.SECONDS);
      assertThat(skipped.swept()).isFalse();
      assertThat(skipped.evicted()).isEmpty();
      assertThat(store.has(adding.cid())).isTrue();
      pins.pinDirect(adding.cid());
    }
    GarbageCollector.Eviction after = gc.evict(inOrder(cached), 0, WAIT);
    assertThat(after.evicted().keySet()).containsExactly(cached.cid().multihash());
  }

  @Test
  @SuppressWarnings("try") // the session is held, not used
  void evictInsideAnAddSessionIsRefused() {
    try (GarbageCollector.AddSession session = gc.beginAdd()) {
      assertThatThrownBy(() -> gc.evict(Map.of(), 0, WAIT))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("inside an add session");
    }
  }

  @Test
  void aDamagedPinStopsTheEviction() throws Exception {
    Block missingChild = TestBlocks.raw("never stored");
    Block root = TestBlocks.node("root", missingChild.cid());
    store.put(root);
    pins.pinRecursive(root.cid());
    Block cached = put("cached");

    GarbageCollector.Eviction eviction = gc.evict(inOrder(cached), 0, WAIT);

    assertThat(eviction.swept()).isFalse();
    assertThat(store.has(cached.cid())).isTrue();
    assertThat(List.copyOf(eviction.evicted().keySet())).isEmpty();
  }
}
