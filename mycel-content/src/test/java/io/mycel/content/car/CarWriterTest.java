package io.mycel.content.car;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.BlockNotFoundException;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.blockstore.FsBlockstore;
import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.blockstore.TestBlocks;
import io.mycel.content.dag.LinkDecoder;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CarWriterTest {
  @TempDir Path dir;

  private final Blockstore store = new MemoryBlockstore();

  private static List<Block> read(byte[] car) throws IOException {
    CarReader reader = CarReader.open(new ByteArrayInputStream(car));
    List<Block> blocks = new ArrayList<>();
    Optional<Block> block;
    while ((block = reader.next()).isPresent()) {
      blocks.add(block.get());
    }
    return blocks;
  }

  @Test
  void writingTheFixtureBlocksReproducesTheFixtureByteForByte() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CarWriter writer = new CarWriter(out, List.of(CarFixture.ROOT0, CarFixture.ROOT1));
    for (Block block : CarFixture.blocks()) {
      writer.write(block);
    }
    assertThat(writer.blocksWritten()).isEqualTo(8);
    assertThat(out.toByteArray()).isEqualTo(CarFixture.BYTES);
  }

  @Test
  void exportOfTheFixtureDagIsDepthFirstAndComplete() throws IOException {
    List<Block> fixture = CarFixture.blocks();
    for (Block block : fixture) {
      store.put(block);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long written = CarWriter.exportDag(store, CarFixture.decoder(fixture),
        List.of(CarFixture.ROOT0, CarFixture.ROOT1), out);

    assertThat(written).isEqualTo(8);
    List<Block> exported = read(out.toByteArray());
    // root0 -> pb2 -> [cccc, pb1 -> [bbbb, pb0 -> [aaaa]]], then root1
    assertThat(exported).containsExactly(fixture.get(6), fixture.get(5), fixture.get(2),
        fixture.get(4), fixture.get(1), fixture.get(3), fixture.get(0), fixture.get(7));
    assertThat(CarReader.open(new ByteArrayInputStream(out.toByteArray())).roots())
        .containsExactly(CarFixture.ROOT0, CarFixture.ROOT1);
  }

  @Test
  void exportWritesEachBlockOnceInDepthFirstOrder() throws IOException {
    Block shared = TestBlocks.raw("shared");
    Block leaf = TestBlocks.raw("leaf");
    Block left = TestBlocks.node("left", shared.cid(), leaf.cid());
    Block right = TestBlocks.node("right", shared.cid());
    Block root = TestBlocks.node("root", left.cid(), right.cid(), shared.cid());
    for (Block b : List.of(shared, leaf, left, right, root)) {
      store.put(b);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(CarWriter.exportDag(store, TestBlocks.DECODER, root.cid(), out)).isEqualTo(5);
    assertThat(read(out.toByteArray())).containsExactly(root, left, shared, leaf, right);
  }

  @Test
  void roundTripThroughADiskStore() throws IOException {
    SplittableRandom random = new SplittableRandom(3);
    List<Cid> leaves = new ArrayList<>();
    List<Block> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Block leaf = TestBlocks.random(random, 1 + random.nextInt(50_000));
      leaves.add(leaf.cid());
      all.add(leaf);
    }
    Block root = TestBlocks.node("file", leaves);
    all.add(root);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FsBlockstore source = FsBlockstore.open(dir.resolve("source"))) {
      for (Block b : all) {
        source.put(b);
      }
      CarWriter.exportDag(source, TestBlocks.DECODER, root.cid(), out);
    }
    try (FsBlockstore target = FsBlockstore.open(dir.resolve("target"))) {
      CarImport result = CarReader.importInto(new ByteArrayInputStream(out.toByteArray()), target);
      assertThat(result).isEqualTo(new CarImport(List.of(root.cid()), 21));
      for (Block b : all) {
        assertThat(target.get(b.cid())).hasValueSatisfying(d -> assertThat(d).isEqualTo(b.data()));
      }
    }
  }

  @Test
  void exportWithAMissingBlockNamesIt() throws IOException {
    Block leaf = TestBlocks.raw("gone");
    Block root = TestBlocks.node("root", leaf.cid());
    store.put(root);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatThrownBy(() -> CarWriter.exportDag(store, TestBlocks.DECODER, root.cid(), out))
        .isInstanceOf(BlockNotFoundException.class)
        .hasMessageContaining(leaf.cid().toString())
        .satisfies(e -> assertThat(((BlockNotFoundException) e).cid()).isEqualTo(leaf.cid()));
  }

  @Test
  void identityLinksAreExportedWithTheirInlineBytes() throws IOException {
    byte[] inline = "tiny".getBytes(StandardCharsets.UTF_8);
    Cid identity = Cid.v1(Multicodec.RAW, Multihash.identity(inline));
    Block root = TestBlocks.node("root", identity);
    store.put(root);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CarWriter.exportDag(store, TestBlocks.DECODER, root.cid(), out);
    assertThat(read(out.toByteArray())).containsExactly(root, new Block(identity, inline));
  }

  @Test
  void undecodableBlockStopsTheExport() throws IOException {
    Block root = TestBlocks.raw("anything");
    store.put(root);
    LinkDecoder broken = (cid, data) -> {
      throw new IllegalArgumentException("malformed node " + cid);
    };
    assertThatThrownBy(() -> CarWriter.exportDag(store, broken, root.cid(),
        new ByteArrayOutputStream()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed node");
  }

  @Test
  void carWithoutRootsIsRefused() {
    assertThatThrownBy(() -> new CarWriter(new ByteArrayOutputStream(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one root");
  }

  @Test
  void cidV0SectionsAreWrittenInTheirOwnForm() throws IOException {
    byte[] data = {0x0a, 0x00};
    Cid v0 = Cid.v0(Multihash.sha2_256(data));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new CarWriter(out, v0).write(new Block(v0, data));
    assertThat(read(out.toByteArray())).singleElement()
        .satisfies(b -> assertThat(b.cid().version()).isZero());
  }
}
