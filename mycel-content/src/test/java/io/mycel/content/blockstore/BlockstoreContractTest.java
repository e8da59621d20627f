package io.mycel.content.blockstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.blockstore.Blockstore.BlockstoreStats;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link Blockstore} must do; each implementation runs it through a subclass. */
abstract class BlockstoreContractTest {
  private final List<Blockstore> opened = new ArrayList<>();
  private final SplittableRandom random = new SplittableRandom(42);

  /** A fresh, empty store with the given byte quota (0 = unlimited). */
  protected abstract Blockstore createStore(long quotaBytes) throws IOException;

  protected final Blockstore newStore(long quotaBytes) throws IOException {
    Blockstore store = createStore(quotaBytes);
    opened.add(store);
    return store;
  }

  protected final Blockstore newStore() throws IOException {
    return newStore(0);
  }

  @AfterEach
  void closeStores() throws IOException {
    for (Blockstore store : opened) {
      store.close();
    }
  }

  protected final Block randomBlock(int size) {
    return TestBlocks.random(random, size);
  }

  @Test
  void putThenGetReturnsTheBytes() throws IOException {
    Blockstore store = newStore();
    Block block = randomBlock(1000);
    store.put(block);
    assertThat(store.get(block.cid())).hasValueSatisfying(d -> assertThat(d).isEqualTo(block.data()));
  }

  @Test
  void absentBlockIsAbsentEverywhere() throws IOException {
    Blockstore store = newStore();
    Block block = randomBlock(10);
    assertThat(store.get(block.cid())).isEmpty();
    assertThat(store.has(block.cid())).isFalse();
    assertThat(store.size(block.cid())).isEmpty();
    assertThat(store.delete(block.cid().multihash())).isFalse();
  }

  @Test
  void hasAndSizeAfterPut() throws IOException {
    Blockstore store = newStore();
    Block block = randomBlock(777);
    store.put(block);
    assertThat(store.has(block.cid())).isTrue();
    assertThat(store.size(block.cid())).contains(777);
  }

  @Test
  void emptyBlockIsStored() throws IOException {
    Blockstore store = newStore();
    Block empty = TestBlocks.raw(new byte[0]);
    store.put(empty);
    assertThat(store.get(empty.cid())).hasValueSatisfying(d -> assertThat(d).isEmpty());
    assertThat(store.size(empty.cid())).contains(0);
    assertThat(store.stats().blocks()).isEqualTo(1);
  }

  @Test
  void secondPutOfSameBlockIsANoOp() throws IOException {
    Blockstore store = newStore();
    Block block = randomBlock(300);
    store.put(block);
    store.put(block);
    assertThat(store.stats().blocks()).isEqualTo(1);
    assertThat(store.stats().bytes()).isEqualTo(300);
  }

  @Test
  void deleteRemovesTheBlockAndReportsWhetherItWasPresent() throws IOException {
    Blockstore store = newStore();
    Block block = randomBlock(50);
    store.put(block);
    assertThat(store.delete(block.cid().multihash())).isTrue();
    assertThat(store.has(block.cid())).isFalse();
    assertThat(store.get(block.cid())).isEmpty();
    assertThat(store.delete(block.cid().multihash())).isFalse();
  }

  @Test
  void keysListEveryStoredMultihash() throws IOException {
    Blockstore store = newStore();
    Set<Multihash> expected = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      Block block = randomBlock(1 + i);
      store.put(block);
      expected.add(block.cid().multihash());
    }
    try (Stream<Multihash> keys = store.keys()) {
      assertThat(keys.toList()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void keysOfEmptyStoreAreEmpty() throws IOException {
    try (Stream<Multihash> keys = newStore().keys()) {
      assertThat(keys).isEmpty();
    }
  }

  @Test
  void statsCountBlocksAndBytesThroughPutsAndDeletes() throws IOException {
    Blockstore store = newStore();
    Block a = randomBlock(100);
    Block b = randomBlock(200);
    Block c = randomBlock(300);
    store.put(a);
    store.put(b);
    store.put(c);
    assertThat(store.stats()).isEqualTo(new BlockstoreStats(3, 600, 0, 0));
    store.delete(b.cid().multihash());
    assertThat(store.stats()).isEqualTo(new BlockstoreStats(2, 400, 0, 0));
  }

  @Test
  void cidV0AndV1OfTheSameBytesShareOneBlock() throws IOException {
    Blockstore store = newStore();
    byte[] data = randomBlock(64).data();
    Multihash hash = Multihash.sha2_256(data);
    Cid v0 = Cid.v0(hash);
    Cid v1 = Cid.v1(Multicodec.DAG_PB, hash);
    Cid raw = Cid.v1(Multicodec.RAW, hash);
    store.put(new Block(v0, data));
    store.put(new Block(v1, data));
    assertThat(store.stats().blocks()).isEqualTo(1);
    assertThat(store.stats().bytes()).isEqualTo(64);
    assertThat(store.get(v1)).hasValueSatisfying(d -> assertThat(d).isEqualTo(data));
    assertThat(store.has(raw)).isTrue();
    assertThat(store.size(v0)).contains(64);
    try (Stream<Multihash> keys = store.keys()) {
      assertThat(keys.toList()).containsExactly(hash);
    }
  }

  @Test
  void getReturnsACopyThatCannotChangeTheStore() throws IOException {
    Blockstore store = newStore();
    Block block = randomBlock(16);
    byte[] original = block.data().clone();
    store.put(block);
    store.get(block.cid()).orElseThrow()[0] ^= 1;
    block.data()[1] ^= 1;
    assertThat(store.get(block.cid())).hasValueSatisfying(d -> assertThat(d).isEqualTo(original));
  }

  @Test
  void quotaRefusesAPutThatWouldExceedItAndStoresNothing() throws IOException {
    Blockstore store = newStore(100);
    Block first = randomBlock(60);
    Block tooBig = randomBlock(50);
    store.put(first);
    assertThatThrownBy(() -> store.put(tooBig))
        .isInstanceOf(BlockstoreFullException.class)
        .hasMessageContaining(tooBig.cid().toString())
        .hasMessageContaining("quota");
    assertThat(store.has(tooBig.cid())).isFalse();
    assertThat(store.stats()).isEqualTo(new BlockstoreStats(1, 60, 100, 0));
    try (Stream<Multihash> keys = store.keys()) {
      assertThat(keys.toList()).containsExactly(first.cid().multihash());
    }
  }

  @Test
  void quotaCanBeFilledExactly() throws IOException {
    Blockstore store = newStore(100);
    store.put(randomBlock(60));
    store.put(randomBlock(40));
    assertThat(store.stats().bytes()).isEqualTo(100);
    assertThatThrownBy(() -> store.put(randomBlock(1)))
        .isInstanceOf(BlockstoreFullException.class);
  }

  @Test
  void putOfAPresentBlockSucceedsWhenTheQuotaIsFull() throws IOException {
    Blockstore store = newStore(100);
    Block block = randomBlock(100);
    store.put(block);
    store.put(block);
    assertThat(store.stats().blocks()).isEqualTo(1);
  }

  @Test
  void deleteFreesQuota() throws IOException {
    Blockstore store = newStore(100);
    Block first = randomBlock(80);
    store.put(first);
    store.delete(first.cid().multihash());
    Block second = randomBlock(90);
    store.put(second);
    assertThat(store.has(second.cid())).isTrue();
  }

  @Test
  void concurrentPutsOfTheSameBlockStoreItOnce() throws Exception {
    Blockstore store = newStore();
    Block block = randomBlock(64 * 1024);
    int threads = 16;
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          store.put(block);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    }
    assertThat(store.stats()).isEqualTo(new BlockstoreStats(1, 64 * 1024, 0, 0));
    assertThat(store.get(block.cid())).hasValueSatisfying(d -> assertThat(d).isEqualTo(block.data()));
  }

  @Test
  void concurrentPutsOfDifferentBlocksAreAllStored() throws Exception {
    Blockstore store = newStore();
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      blocks.add(randomBlock(1 + i * 7));
    }
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int first = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = first; i < blocks.size(); i += 8) {
            store.put(blocks.get(i));
            store.put(blocks.get((i + 1) % blocks.size()));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    }
    long bytes = blocks.stream().mapToLong(Block::size).sum();
    assertThat(store.stats()).isEqualTo(new BlockstoreStats(200, bytes, 0, 0));
    for (Block b : blocks) {
      assertThat(store.get(b.cid())).hasValueSatisfying(d -> assertThat(d).isEqualTo(b.data()));
    }
  }

  @Test
  void concurrentPutsNeverOvershootTheQuota() throws Exception {
    long quota = 10_000;
    Blockstore store = newStore(quota);
    ConcurrentLinkedQueue<Block> stored = new ConcurrentLinkedQueue<>();
    AtomicInteger refused = new AtomicInteger();
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      blocks.add(randomBlock(700));
    }
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int first = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = first; i < blocks.size(); i += 8) {
            try {
              store.put(blocks.get(i));
              stored.add(blocks.get(i));
            } catch (BlockstoreFullException e) {
              refused.incrementAndGet();
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    }
    assertThat(stored).hasSize(14);
    assertThat(refused.get()).isEqualTo(64 - 14);
    assertThat(store.stats().bytes()).isEqualTo(14 * 700L).isLessThanOrEqualTo(quota);
    assertThat(store.stats().blocks()).isEqualTo(14);
  }

  @Test
  void closedStoreRefusesOperations() throws IOException {
    Blockstore store = newStore();
    Block block = randomBlock(5);
    store.close();
    assertThatThrownBy(() -> store.put(block)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.get(block.cid())).isInstanceOf(IllegalStateException.class);
  }
}
