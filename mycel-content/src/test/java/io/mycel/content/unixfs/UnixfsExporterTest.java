package io.mycel.content.unixfs;

import io.mycel.content.blockstore.BlockNotFoundException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.blockstore.Block;
import io.mycel.content.dagpb.DagPbEncoder;
import io.mycel.content.dagpb.PBLink;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnixfsExporterTest {
  /** Small chunks and few links, so that small files make deep DAGs. */
  private static final ImportOptions DEEP = ImportOptions.builder().chunkSize(1000)
      .maxLinksPerNode(4).build();

  private final CountingBlockstore store = new CountingBlockstore();
  private final UnixfsExporter exporter = new UnixfsExporter(store);

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private Cid put(byte[] block, long codec) throws IOException {
    Cid cid = Cid.v1(codec, Multihash.sha2_256(block));
    store.put(new Block(cid, block));
    return cid;
  }

  private Cid putNode(List<PBLink> links, byte[] unixfsData) throws IOException {
    return put(DagPbEncoder.encode(links, unixfsData), Multicodec.DAG_PB);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void filesRoundTrip(boolean rawLeaves) throws IOException {
    ImportOptions options = DEEP.toBuilder().rawLeaves(rawLeaves).build();
    UnixfsImporter importer = new UnixfsImporter(store, options);
    for (int size : new int[] {0, 1, 999, 1000, 1001, 4000, 4001, 16_000, 70_001}) {
      byte[] data = random(size, size);
      Cid cid = importer.importBytes(data).cid();
      assertThat(readAll(exporter.open(cid))).as("size %d", size).isEqualTo(data);
      assertThat(exporter.stat(cid).size()).isEqualTo(size);
      assertThat(exporter.stat(cid).type()).isEqualTo(UnixfsType.FILE);
    }
  }

  @Test
  void rangesMatchSlices() throws IOException {
    byte[] data = random(70_001, 3);
    Cid cid = new UnixfsImporter(store, DEEP).importBytes(data).cid();
    Random random = new Random(4);
    for (int i = 0; i < 200; i++) {
      int offset = random.nextInt(data.length + 1);
      int length = random.nextInt(5000);
      byte[] expected = Arrays.copyOfRange(data, offset, Math.min(data.length, offset + length));
      assertThat(readAll(exporter.open(cid, offset, length))).isEqualTo(expected);
    }
  }

  @Test
  void rangeReadsOnlyTheBlocksOnItsPath() throws IOException {
    byte[] data = random(70_001, 5);
    Cid cid = new UnixfsImporter(store, DEEP).importBytes(data).cid();
    // 71 leaves under 4-link nodes: 4 levels of nodes above the leaves
    store.gets.set(0);
    assertThat(readAll(exporter.open(cid, 50_100, 100)))
        .isEqualTo(Arrays.copyOfRange(data, 50_100, 50_200));
    assertThat(store.gets.get()).isEqualTo(5);
  }

  @Test
  void skipMovesThroughTheFile() throws IOException {
    byte[] data = random(30_000, 6);
    Cid cid = new UnixfsImporter(store, DEEP).importBytes(data).cid();
    try (InputStream in = exporter.open(cid)) {
      assertThat(in.read()).isEqualTo(data[0] & 0xff);
      assertThat(in.skip(20_000)).isEqualTo(20_000);
      assertThat(in.readNBytes(10)).isEqualTo(Arrays.copyOfRange(data, 20_001, 20_011));
    }
  }

  @Test
  void rangeAtTheEndIsEmpty() throws IOException {
    Cid cid = new UnixfsImporter(store, DEEP).importBytes(random(5000, 7)).cid();
    assertThat(readAll(exporter.open(cid, 5000, 10))).isEmpty();
  }

  @Test
  void rangePastTheEndIsRefused() throws IOException {
    Cid cid = new UnixfsImporter(store, DEEP).importBytes(random(5000, 7)).cid();
    assertThatThrownBy(() -> exporter.open(cid, 5001, 10))
        .isInstanceOf(InvalidRangeException.class)
        .hasMessageContaining("offset 5001 is beyond the end").hasMessageContaining("5000 bytes");
  }

  @Test
  void negativeRangeIsRefused() throws IOException {
    Cid cid = new UnixfsImporter(store, DEEP).importBytes(random(5000, 7)).cid();
    assertThatThrownBy(() -> exporter.open(cid, -1, 10)).isInstanceOf(InvalidRangeException.class);
  }

  @Test
  void foldersListResolveAndRead(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("root/sub/deeper"));
    Files.writeString(dir.resolve("root/a.txt"), "alpha");
    Files.writeString(dir.resolve("root/sub/deeper/z.txt"), "zulu");
    Files.createSymbolicLink(dir.resolve("root/link"), Path.of("a.txt"));
    Cid root = new UnixfsImporter(store, ImportOptions.defaults())
        .importPath(dir.resolve("root")).cid();

    List<DirectoryEntry> entries = exporter.listDetailed(root);
    assertThat(entries).extracting(DirectoryEntry::name).containsExactly("a.txt", "link", "sub");
    assertThat(entries).extracting(DirectoryEntry::type)
        .containsExactly(UnixfsType.FILE, UnixfsType.SYMLINK, UnixfsType.DIRECTORY);
    assertThat(entries.get(0).size()).isEqualTo(5);
    assertThat(exporter.readSymlink(entries.get(1).cid())).isEqualTo("a.txt");
    Cid z = exporter.resolve(root, "/sub/deeper/z.txt");
    assertThat(readAll(exporter.open(z))).isEqualTo("zulu".getBytes(StandardCharsets.UTF_8));
    assertThat(exporter.resolve(root, "")).isEqualTo(root);
  }

  @Test
  void missingPathIsNamed(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("root/sub"));
    Files.writeString(dir.resolve("root/sub/f"), "x");
    Cid root = new UnixfsImporter(store, ImportOptions.defaults())
        .importPath(dir.resolve("root")).cid();
    assertThatThrownBy(() -> exporter.resolve(root, "sub/nope"))
        .isInstanceOf(PathNotFoundException.class).hasMessageContaining("no entry 'nope'");
    assertThatThrownBy(() -> exporter.resolve(root, "sub/f/under-a-file"))
        .isInstanceOf(PathNotFoundException.class).hasMessageContaining("not a directory");
  }

  @Test
  void shardedFolderListsAndResolvesEveryEntry(@TempDir Path dir) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("many"));
    for (int i = 0; i < 700; i++) {
      Files.writeString(folder.resolve("file-" + i + ".txt"), "content " + i);
    }
    ImportOptions options = ImportOptions.builder().shardSplitThresholdBytes(1000).build();
    UnixfsImporter importer = new UnixfsImporter(store, options);
    ImportResult result = importer.importPath(folder);
    assertThat(result.type()).isEqualTo(UnixfsType.HAMT_SHARD);

    Map<String, Cid> expected = new HashMap<>();
    for (int i = 0; i < 700; i++) {
      expected.put("file-" + i + ".txt",
          importer.importBytes(("content " + i).getBytes(StandardCharsets.UTF_8)).cid());
    }
    Map<String, Cid> listed = new HashMap<>();
    for (DirectoryEntry e : exporter.list(result.cid())) {
      listed.put(e.name(), e.cid());
    }
    assertThat(listed).isEqualTo(expected);
    for (Map.Entry<String, Cid> e : expected.entrySet()) {
      assertThat(exporter.resolve(result.cid(), e.getKey())).isEqualTo(e.getValue());
    }
    assertThatThrownBy(() -> exporter.resolve(result.cid(), "file-700.txt"))
        .isInstanceOf(PathNotFoundException.class);
  }

  @Test
  void identityCidsAreReadFromTheCid() throws IOException {
    byte[] bytes = "inline".getBytes(StandardCharsets.UTF_8);
    Cid cid = Cid.v1(Multicodec.RAW, Multihash.identity(bytes));
    assertThat(readAll(exporter.open(cid))).isEqualTo(bytes);
  }

  // malformed DAGs, one case each

  @Test
  void linkCycleIsRefusedNotFollowedForever() {
    Cid self = Cid.v1(Multicodec.DAG_PB, Multihash.sha2_256(new byte[] {1}));
    byte[] looping = DagPbEncoder.encode(List.of(PBLink.of(self, "", 10)),
        UnixfsData.file(null, new long[] {10}).encode());
    UnixfsExporter lying = new UnixfsExporter(cid -> Optional.of(looping), ExportLimits.DEFAULT);
    assertThatThrownBy(() -> readAll(lying.open(self)))
        .isInstanceOf(UnixfsFormatException.class).hasMessageContaining("deeper than 64");
  }

  @Test
  void hamtCycleIsRefused() {
    Cid self = Cid.v1(Multicodec.DAG_PB, Multihash.sha2_256(new byte[] {2}));
    byte[] looping = DagPbEncoder.encode(List.of(PBLink.of(self, "00", 10)),
        UnixfsData.hamtShard(new byte[] {1}, 256).encode());
    UnixfsExporter lying = new UnixfsExporter(cid -> Optional.of(looping), ExportLimits.DEFAULT);
    assertThatThrownBy(() -> lying.list(self))
        .isInstanceOf(UnixfsFormatException.class).hasMessageContaining("deeper than");
  }

  @Test
  void blockSizesThatLieAreCaught() throws IOException {
    Cid a = put(random(1000, 8), Multicodec.RAW);
    Cid b = put(random(500, 9), Multicodec.RAW);
    Cid root = putNode(List.of(PBLink.of(a, "", 1000), PBLink.of(b, "", 1000)),
        UnixfsData.file(null, new long[] {1000, 1000}).encode());
    assertThatThrownBy(() -> readAll(exporter.open(root)))
        .isInstanceOf(UnixfsFormatException.class)
        .hasMessageContaining("declares 1000 bytes under link 1").hasMessageContaining("500");
  }

  @Test
  void fileSizeThatDisagreesWithTheBlockSizes() throws IOException {
    UnixfsData lie = new UnixfsData(UnixfsType.FILE, "abc".getBytes(StandardCharsets.UTF_8),
        OptionalLong.of(1L << 62), new long[0], OptionalLong.empty(), OptionalLong.empty(),
        OptionalInt.empty());
    Cid root = putNode(List.of(), lie.encode());
    assertThatThrownBy(() -> exporter.open(root)).isInstanceOf(UnixfsFormatException.class)
        .hasMessageContaining("declares a file size of 4611686018427387904 bytes");
  }

  @Test
  void absurdButConsistentSizeIsRefused() throws IOException {
    Cid leaf = put(random(10, 10), Multicodec.RAW);
    UnixfsData huge = new UnixfsData(UnixfsType.FILE, null, OptionalLong.empty(),
        new long[] {1L << 62, 1L << 62}, OptionalLong.empty(), OptionalLong.empty(),
        OptionalInt.empty());
    Cid root = putNode(List.of(PBLink.of(leaf, "", 10), PBLink.of(leaf, "", 10)),
        huge.encode());
    assertThatThrownBy(() -> exporter.open(root)).isInstanceOf(UnixfsFormatException.class)
        .hasMessageContaining("add up to more than");
  }

  @Test
  void linksWithoutBlockSizes() throws IOException {
    Cid leaf = put(random(10, 11), Multicodec.RAW);
    Cid root = putNode(List.of(PBLink.of(leaf, "", 10)), UnixfsData.file(null, new long[0])
        .encode());
    assertThatThrownBy(() -> exporter.open(root)).isInstanceOf(UnixfsFormatException.class)
        .hasMessageContaining("1 links but 0 block sizes");
  }

  @Test
  void truncatedBlock() throws IOException {
    byte[] full = DagPbEncoder.encode(List.of(PBLink.of(put(random(10, 12), Multicodec.RAW), "",
        10)), UnixfsData.file(null, new long[] {10}).encode());
    Cid root = put(Arrays.copyOf(full, full.length - 3), Multicodec.DAG_PB);
    assertThatThrownBy(() -> exporter.open(root)).isInstanceOf(UnixfsFormatException.class)
        .hasMessageContaining("block " + root);
  }

  @Test
  void unixfsDataThatIsNotProtobuf() throws IOException {
    Cid root = putNode(List.of(), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});
    assertThatThrownBy(() -> exporter.stat(root)).isInstanceOf(UnixfsFormatException.class)
        .hasMessageContaining("not a valid protobuf message");
  }

  @Test
  void unixfsDataWithAnUnknownType() throws IOException {
    Cid root = putNode(List.of(), new byte[] {0x08, 0x09});
    assertThatThrownBy(() -> exporter.stat(root)).isInstanceOf(UnixfsFormatException.class)
        .hasMessageContaining("unknown");
  }

  @Test
  void dagPbWithoutData() throws IOException {
    Cid root = put(new byte[0], Multicodec.DAG_PB);
    assertThatThrownBy(() -> exporter.stat(root)).isInstanceOf(UnixfsFormatException.class)
        .hasMessageContaining("without UnixFS data");
  }

  @Test
  void otherCodecIsNotUnixfs() throws IOException {
    Cid cbor = put(new byte[] {(byte) 0xa0}, Multicodec.DAG_CBOR);
    assertThatThrownBy(() -> exporter.stat(cbor)).isInstanceOf(UnixfsFormatException.class)
        .hasMessageContaining("neither dag-pb nor raw");
  }

  @Test
  void missingBlockIsNamed() throws IOException {
    Cid absent = Cid.v1(Multicodec.RAW, Multihash.sha2_256(new byte[] {3}));
    Cid root = putNode(List.of(PBLink.of(absent, "", 1)), UnixfsData.file(null, new long[] {1})
        .encode());
    assertThatThrownBy(() -> readAll(exporter.open(root)))
        .isInstanceOf(BlockNotFoundException.class).hasMessageContaining(absent.toString());
  }

  @Test
  void readingADirectoryAsAFile(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("d"));
    Cid d = new UnixfsImporter(store, ImportOptions.defaults()).importPath(dir.resolve("d"))
        .cid();
    assertThatThrownBy(() -> exporter.open(d)).isInstanceOf(UnixfsFormatException.class)
        .hasMessageContaining("not a file");
  }
}
