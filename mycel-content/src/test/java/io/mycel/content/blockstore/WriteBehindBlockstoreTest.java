package io.mycel.content.blockstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WriteBehindBlockstoreTest {

  private static Block block(int seed, int size) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return new Block(Cid.v1(Multicodec.RAW, Multihash.sha2_256(data)), data);
  }

  @Test
  void everyBlockIsStoredByFlushAndReadableWhilePending() throws IOException {
    MemoryBlockstore target = new MemoryBlockstore();
    List<Block> blocks = new ArrayList<>();
    try (WriteBehindBlockstore store = new WriteBehindBlockstore(target, 3, 4)) {
      for (int i = 0; i < 200; i++) {
        Block b = block(i, 1000 + i);
        blocks.add(b);
        store.put(b);
        assertThat(store.get(b.cid())).hasValueSatisfying(d -> assertThat(d).isEqualTo(b.data()));
      }
      store.flush();
      for (Block b : blocks) {
        assertThat(target.get(b.cid())).hasValueSatisfying(d -> assertThat(d).isEqualTo(b.data()));
      }
      assertThat(target.stats().blocks()).isEqualTo(200);
    }
  }

  @Test
  void aFailedPutFailsTheFlushAndEveryLaterPut() throws IOException {
    MemoryBlockstore target = new MemoryBlockstore(10_000);
    WriteBehindBlockstore store = new WriteBehindBlockstore(target, 2, 2);
    for (int i = 0; i < 5; i++) {
      try {
        store.put(block(i, 4000));
      } catch (BlockstoreFullException expected) {
        break;
      }
    }
    assertThatThrownBy(store::flush).isInstanceOf(BlockstoreFullException.class);
    assertThatThrownBy(() -> store.put(block(99, 10))).isInstanceOf(BlockstoreFullException.class);
    assertThatThrownBy(store::close).isInstanceOf(BlockstoreFullException.class);
    assertThat(target.stats().bytes()).isLessThanOrEqualTo(10_000);
  }
}
