package io.mycel.content.blockstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.blockstore.Blockstore.BlockstoreStats;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.net.testing.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class FsBlockstoreTest extends BlockstoreContractTest {
  @TempDir Path dir;
  @RegisterExtension final LogCapture log = new LogCapture();
  private int stores;

  @Override
  protected Blockstore createStore(long quotaBytes) throws IOException {
    return FsBlockstore.open(dir.resolve("store" + stores++),
        FsBlockstore.Options.DEFAULTS.withQuotaBytes(quotaBytes));
  }

  @Test
  void blockFileIsNamedByBase32MultihashInItsNextToLastShard() throws IOException {
    Path root = dir.resolve("layout");
    try (FsBlockstore store = FsBlockstore.open(root)) {
      Block hello = TestBlocks.raw("hello");
      store.put(hello);
      Path expected = root.resolve("QJ")
          .resolve("CIQCZ4SNXJP3BIYOE3UDWKWFXHRJ4GYWDZOB7J2CLZZQIM3CSOFZQJA.data");
      assertThat(store.pathOf(hello.cid().multihash())).isEqualTo(expected);
      assertThat(expected).hasBinaryContent("hello".getBytes(StandardCharsets.UTF_8));
      assertThat(root.resolve(FsBlockstore.SHARDING_FILE)).content()
          .isEqualToIgnoringNewLines(FsBlockstore.SHARDING);
    }
  }

  @Test
  void shortKeysArePaddedForTheShard() {
    assertThat(FsBlockstore.shardOf("AB")).isEqualTo("_A");
    assertThat(FsBlockstore.shardOf("ABCD")).isEqualTo("BC");
  }

  @Test
  void reopenCountsTheBlocksOnDisk() throws IOException {
    Path root = dir.resolve("reopen");
    Block a = randomBlock(1000);
    Block b = randomBlock(2345);
    try (FsBlockstore store = FsBlockstore.open(root)) {
      store.put(a);
      store.put(b);
    }
    try (FsBlockstore store = FsBlockstore.open(root)) {
      assertThat(store.stats()).isEqualTo(new BlockstoreStats(2, 3345, 0, 0));
      assertThat(store.get(b.cid())).hasValueSatisfying(d -> assertThat(d).isEqualTo(b.data()));
    }
  }

  @Test
  void corruptBlockIsLoggedRemovedCountedAndAnsweredAsAbsent() throws IOException {
    Path root = dir.resolve("corrupt");
    try (FsBlockstore store = FsBlockstore.open(root)) {
      Block good = randomBlock(100);
      Block bad = randomBlock(200);
      store.put(good);
      store.put(bad);
      byte[] flipped = bad.data().clone();
      flipped[17] ^= 0x40;
      Files.write(store.pathOf(bad.cid().multihash()), flipped);

      assertThat(store.get(bad.cid())).isEmpty();
      log.await(Duration.ofSeconds(5), "WARN", bad.cid().toString(), "does not match its hash");
      assertThat(store.has(bad.cid())).isFalse();
      assertThat(store.stats()).isEqualTo(new BlockstoreStats(1, 100, 0, 1));
      assertThat(store.get(good.cid())).isPresent();
    }
  }

  @Test
  void withoutVerificationStoredBytesAreServedAsTheyAre() throws IOException {
    Path root = dir.resolve("noverify");
    try (FsBlockstore store = FsBlockstore.open(root,
        FsBlockstore.Options.DEFAULTS.withVerifyOnRead(false))) {
      Block block = randomBlock(10);
      store.put(block);
      Files.write(store.pathOf(block.cid().multihash()), new byte[] {1, 2, 3});
      assertThat(store.get(block.cid())).hasValueSatisfying(d -> assertThat(d).containsExactly(1, 2, 3));
      assertThat(store.stats().corruptBlocksRemoved()).isZero();
    }
  }

  @Test
  void temporaryFilesLeftByACrashAreRemovedAtOpen() throws IOException {
    Path root = dir.resolve("leftovers");
    Block block = randomBlock(100);
    Path shard;
    try (FsBlockstore store = FsBlockstore.open(root)) {
      store.put(block);
      shard = store.pathOf(block.cid().multihash()).getParent();
    }
    Files.write(shard.resolve(FsBlockstore.TEMP_PREFIX + "0123456789abcdef"), new byte[50]);
    Files.write(root.resolve(FsBlockstore.TEMP_PREFIX + FsBlockstore.SHARDING_FILE), new byte[5]);

    try (FsBlockstore store = FsBlockstore.open(root); Stream<Path> files = Files.walk(root)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(FsBlockstore.TEMP_PREFIX));
      assertThat(store.stats()).isEqualTo(new BlockstoreStats(1, 100, 0, 0));
    }
  }

  @Test
  void foreignFilesAreNeitherCountedNorListed() throws IOException {
    Path root = dir.resolve("foreign");
    Block block = randomBlock(100);
    try (FsBlockstore store = FsBlockstore.open(root)) {
      store.put(block);
      Path shard = store.pathOf(block.cid().multihash()).getParent();
      Files.writeString(shard.resolve("notes.txt"), "not a block");
      Files.writeString(shard.resolve("NOT-BASE32!.data"), "not a block either");
      Files.writeString(root.resolve("_README"), "readme");
    }
    try (FsBlockstore store = FsBlockstore.open(root); Stream<Multihash> keys = store.keys()) {
      assertThat(keys.toList()).containsExactly(block.cid().multihash());
      assertThat(store.stats().blocks()).isEqualTo(1);
    }
  }

  @Test
  void aRootCanBeOpenedOnlyOnceAtATime() throws IOException {
    Path root = dir.resolve("locked");
    try (FsBlockstore first = FsBlockstore.open(root)) {
      assertThat(first.root()).isEqualTo(root.toAbsolutePath().normalize());
      assertThatThrownBy(() -> FsBlockstore.open(root))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("already open");
    }
    FsBlockstore.open(root).close();
  }

  @Test
  void rootWithAnotherShardFunctionIsRefused() throws IOException {
    Path root = dir.resolve("othershard");
    Files.createDirectories(root);
    Files.writeString(root.resolve(FsBlockstore.SHARDING_FILE), "/repo/flatfs/shard/v1/prefix/2\n");
    assertThatThrownBy(() -> FsBlockstore.open(root))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("prefix/2");
    // The refused open released the root.
    Files.writeString(root.resolve(FsBlockstore.SHARDING_FILE), FsBlockstore.SHARDING);
    FsBlockstore.open(root).close();
  }

  @Test
  void multihashTooLongForAFileNameIsRefused() throws IOException {
    Blockstore store = newStore();
    byte[] data = new byte[200];
    Block inline = new Block(Cid.v1(Multicodec.RAW, Multihash.identity(data)), data);
    assertThatThrownBy(() -> store.put(inline))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
  }

  @Test
  void smallIdentityBlockIsStoredLikeAnyOther() throws IOException {
    Blockstore store = newStore();
    byte[] data = "inline".getBytes(StandardCharsets.UTF_8);
    Block inline = new Block(Cid.v1(Multicodec.RAW, Multihash.identity(data)), data);
    store.put(inline);
    assertThat(store.get(inline.cid())).hasValueSatisfying(d -> assertThat(d).isEqualTo(data));
  }
}
