package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.FsBlockstore;
import io.mycel.content.dagpb.DagPbLinkDecoder;
import io.mycel.content.pin.GarbageCollector;
import io.mycel.content.pin.PinStore;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache over a real block store on disk, without a network. */
class BlockCacheTest {
  private static final int BLOCK = 10_000;

  @TempDir Path dir;

  private FsBlockstore store;
  private PinStore pins;
  private GarbageCollector gc;
  private final List<BlockCache> caches = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    store = FsBlockstore.open(dir.resolve("blocks"));
    pins = PinStore.open(dir.resolve("pins.json"));
    gc = new GarbageCollector(store, pins, new DagPbLinkDecoder());
  }

  @AfterEach
  void close() throws Exception {
    caches.forEach(BlockCache::close);
    store.close();
  }

  private BlockCache cache(long quota) throws Exception {
    BlockCache cache = BlockCache.open(store, gc, quota, dir.resolve(BlockCache.INDEX_FILE));
    caches.add(cache);
    return cache;
  }

  private static Block block(int seed) {
    byte[] data = new byte[BLOCK];
    new Random(seed).nextBytes(data);
    return new Block(Cid.v1(Multicodec.RAW, Multihash.sha2_256(data)), data);
  }

  @Test
  void aDeletedBlockIsNotServedFromMemory() throws Exception {
    BlockCache cache = cache(0);
    Block b = block(1);
    cache.blockstore().put(b);
    assertThat(cache.blockstore().get(b.cid())).isPresent();

    cache.blockstore().delete(b.cid().multihash());

    assertThat(cache.blockstore().get(b.cid())).isEmpty();
    assertThat(cache.bytes()).isZero();
  }

  @Test
  void anEvictedBlockIsNotServedFromMemory() throws Exception {
    BlockCache cache = cache(2L * BLOCK);
    Block first = block(1);
    Block second = block(2);
    Block third = block(3);
    cache.blockstore().put(first);
    cache.blockstore().get(first.cid());
    cache.blockstore().put(second);
    cache.blockstore().put(third);

    cache.evictIfOver();

    assertThat(store.has(first.cid())).isFalse();
    assertThat(cache.blockstore().get(first.cid())).isEmpty();
    assertThat(cache.blockstore().get(third.cid())).isPresent();
    assertThat(cache.bytes()).isLessThanOrEqualTo(2L * BLOCK);
  }

  @Test
  void openingOverTheQuotaEvictsTheOldestFirst() throws Exception {
    Block first = block(1);
    Block second = block(2);
    BlockCache unlimited = cache(0);
    unlimited.blockstore().put(first);
    unlimited.blockstore().put(second);
    unlimited.blockstore().get(first.cid());
    unlimited.close();

    // room for one block below the low-water mark
    BlockCache limited = cache(BLOCK + BLOCK / 10);

    assertThat(store.has(second.cid())).isFalse();
    assertThat(store.has(first.cid())).isTrue();
    assertThat(limited.blocks()).isEqualTo(1);
  }

  @Test
  void aNegativeQuotaIsRefused() {
    assertThatThrownBy(() -> cache(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quota");
  }
}
