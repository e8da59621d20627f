package io.mycel.content.unixfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mycel's importer against the reference importer (ipfs-unixfs-importer 17.1.1, run by
 * interop/unixfs-import.mjs): the same root CID for every file and folder of a corpus, under
 * both IPIP-499 profiles, the importer's own defaults, and single knobs overriding a profile.
 */
@Tag("interop")
class UnixfsCidCompatTest {
  private static final long SEED = 0x6d7963656cL;
  private static final int RANDOM_FILE_BYTES = 50 * 1024 * 1024;
  private static final int SHARDED_FOLDER_ENTRIES = 5_000;

  @TempDir
  static Path corpus;
  private static ReferenceImporter reference;
  private static List<Path> common;

  @BeforeAll
  static void setUp() throws IOException {
    Optional<ReferenceImporter> found = ReferenceImporter.find();
    assumeTrue(found.isPresent(), "interop/ with node_modules not found: run `npm ci` in "
        + "interop/ and set -Dmycel.root=<project root>");
    reference = found.get();
    common = new ArrayList<>();
    common.add(writeBytes(corpus.resolve("empty.bin"), new byte[0]));
    common.add(writeBytes(corpus.resolve("one-byte.bin"), new byte[] {42}));
    common.add(writeRandom(corpus.resolve("random-50MiB.bin"), RANDOM_FILE_BYTES));
    common.add(nestedFolder(corpus.resolve("nested")));
    if ("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"))) {
      // file names pass through the platform encoding: only UTF-8 keeps them intact
      common.add(unicodeFolder(corpus.resolve("unicode")));
    }
    common.add(manyEntries(corpus.resolve("five-thousand"), SHARDED_FOLDER_ENTRIES));
  }

  @ParameterizedTest
  @EnumSource(UnixfsProfile.class)
  void profileMatchesTheReference(UnixfsProfile profile) throws IOException {
    Path dir = Files.createDirectories(corpus.resolve("sized-" + profile.id()));
    long chunk = profile.chunkSize();
    long maxLinks = profile.maxLinksPerNode();
    List<Path> paths = new ArrayList<>(common);
    try {
      paths.add(writePattern(dir.resolve("one-chunk.bin"), chunk));
      paths.add(writePattern(dir.resolve("one-chunk-plus-one.bin"), chunk + 1));
      paths.add(writePattern(dir.resolve("max-links-chunks.bin"), maxLinks * chunk));
      paths.add(writePattern(dir.resolve("max-links-plus-one-chunks.bin"), (maxLinks + 1) * chunk));
      ImportOptions options = ImportOptions.of(profile);
      compare(List.of("--profile", profile.id()), options, paths, profile.id());
      ImportResult sharded = UnixfsImporter.onlyHash(options)
          .importPath(corpus.resolve("five-thousand"));
      assertThat(sharded.type()).isEqualTo(UnixfsType.HAMT_SHARD);
    } finally {
      deleteTree(dir);
    }
  }

  @Test
  void referenceDefaultsMatch() throws IOException {
    ImportOptions defaults = ImportOptions.builder().chunkSize(262_144).maxLinksPerNode(174)
        .shardSplitStrategy(ShardSplitStrategy.LINKS_BYTES).build();
    compare(List.of(), defaults, common, "importer defaults");
  }

  @Test
  void knobsOverrideTheProfile() throws IOException {
    Path file = writeRandom(corpus.resolve("random-300KB.bin"), 300_000);
    for (boolean raw : new boolean[] {true, false}) {
      for (int cidVersion : new int[] {0, 1}) {
        ImportOptions options = ImportOptions.builder(UnixfsProfile.UNIXFS_V1_2025)
            .rawLeaves(raw).cidVersion(cidVersion).chunkSize(1000).maxLinksPerNode(11).build();
        compare(List.of("--profile", "unixfs-v1-2025", "--raw-leaves", String.valueOf(raw),
                "--cid-version", String.valueOf(cidVersion), "--chunk-size", "1000",
                "--max-children", "11"),
            options, List.of(file, corpus.resolve("nested")),
            "v1 with raw=" + raw + " cidVersion=" + cidVersion + " 1000-byte chunks, 11 links");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ShardSplitStrategy.class)
  void shardingStartsJustAboveTheThreshold(ShardSplitStrategy strategy) throws IOException {
    Path folder = corpus.resolve("threshold-" + strategy);
    if (!Files.exists(folder)) {
      manyEntries(folder, 40);
      nestedFolder(folder.resolve("sub-folder"));
      Files.createDirectories(folder.resolve("empty-folder"));
    }
    String strategyArg = strategy == ShardSplitStrategy.LINKS_BYTES ? "links-bytes"
        : "block-bytes";
    ImportOptions base = ImportOptions.builder(UnixfsProfile.UNIXFS_V1_2025)
        .shardSplitStrategy(strategy).build();
    long estimate = estimateOf(folder, base);
    for (long threshold : new long[] {estimate, estimate - 1}) {
      ImportOptions options = base.toBuilder().shardSplitThresholdBytes(threshold).build();
      compare(List.of("--profile", "unixfs-v1-2025", "--shard-split-strategy", strategyArg,
              "--shard-split-threshold", String.valueOf(threshold)),
          options, List.of(folder), strategy + " threshold " + threshold);
      ImportResult result = UnixfsImporter.onlyHash(options).importPath(folder);
      assertThat(result.type()).isEqualTo(threshold == estimate ? UnixfsType.DIRECTORY
          : UnixfsType.HAMT_SHARD);
    }
  }

  /** The estimate of the folder's own node, from its entries as the importer sees them. */
  private static long estimateOf(Path folder, ImportOptions options) throws IOException {
    List<DirectoryBuilder.Entry> entries = new ArrayList<>();
    UnixfsImporter importer = UnixfsImporter.onlyHash(options);
    try (Stream<Path> children = Files.list(folder)) {
      for (Path child : children.toList()) {
        ImportResult r = importer.importPath(child);
        boolean counted = !Files.isDirectory(child) || isEmpty(child);
        entries.add(DirectoryBuilder.Entry.of(child.getFileName().toString(), r.cid(),
            r.dagSize(), counted));
      }
    }
    return DirectoryBuilder.estimate(entries, options.shardSplitStrategy());
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static void compare(List<String> args, ImportOptions options, List<Path> paths,
      String label) throws IOException {
    long t0 = System.nanoTime();
    List<String> expected = reference.rootCids(args, paths);
    long t1 = System.nanoTime();
    List<String> actual = new ArrayList<>();
    UnixfsImporter importer = UnixfsImporter.onlyHash(options);
    for (Path p : paths) {
      actual.add(importer.importPath(p).cid().toString());
    }
    long t2 = System.nanoTime();
    System.out.printf("%s: reference %.1f s, Mycel %.1f s, %d paths%n", label,
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, paths.size());
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        mismatches.add(paths.get(i).getFileName() + ": reference " + expected.get(i)
            + ", Mycel " + actual.get(i));
      }
    }
    assertThat(mismatches).as(label).isEmpty();
  }

  // the corpus

  private static Path writeBytes(Path path, byte[] bytes) throws IOException {
    Files.createDirectories(path.getParent());
    return Files.write(path, bytes);
  }

  private static Path writeRandom(Path path, int size) throws IOException {
    byte[] bytes = new byte[size];
    new Random(SEED ^ size).nextBytes(bytes);
    return writeBytes(path, bytes);
  }

  /** Seeded random bytes, with a block counter stamped every 64 KiB so no two chunks match. */
  private static Path writePattern(Path path, long size) throws IOException {
    int block = 64 * 1024;
    byte[] base = new byte[block];
    new Random(SEED).nextBytes(base);
    byte[] buf = base.clone();
    ByteBuffer view = ByteBuffer.wrap(buf);
    try (OutputStream out = Files.newOutputStream(path)) {
      long written = 0;
      for (long counter = 0; written < size; counter++) {
        view.putLong(0, counter);
        int n = (int) Math.min(block, size - written);
        out.write(buf, 0, n);
        written += n;
      }
    }
    return path;
  }

  private static Path nestedFolder(Path root) throws IOException {
    Path deep = Files.createDirectories(root.resolve("a/b/c/d"));
    writeBytes(root.resolve("top.txt"), "top\n".getBytes(StandardCharsets.UTF_8));
    writeBytes(root.resolve("a/one.txt"), "one\n".getBytes(StandardCharsets.UTF_8));
    writeRandom(root.resolve("a/b/600k.bin"), 600_000);
    writeBytes(deep.resolve("deep.txt"), "deep\n".getBytes(StandardCharsets.UTF_8));
    writeBytes(root.resolve("a/b/c/empty.txt"), new byte[0]);
    Files.createDirectories(root.resolve("empty-folder"));
    Files.createDirectories(root.resolve("only-empty-folders/x/y"));
    Files.createSymbolicLink(root.resolve("link-to-top"), Path.of("top.txt"));
    return root;
  }

  private static Path unicodeFolder(Path root) throws IOException {
    String[] names = {
        "caf\u00e9.txt",         // NFC
        "cafe\u0301.txt",        // NFD
        "\ud83c\udf44-mycel.txt", // emoji, a surrogate pair in UTF-16
        "\uff21-fullwidth.txt",  // sorts after the emoji in UTF-16, before it in UTF-8
        "\u83cc\u7cf8.txt",
        "with space.txt",
        "Z-upper.txt",
        "a-lower.txt"
    };
    for (String name : names) {
      writeBytes(root.resolve(name), name.getBytes(StandardCharsets.UTF_8));
    }
    Path nfdDir = Files.createDirectories(root.resolve("r\u00e9pertoire-nfc"));
    writeBytes(nfdDir.resolve("\u00e9t\u00e9.txt"), new byte[] {1, 2, 3});
    Files.createDirectories(root.resolve("re\u0301pertoire-nfd"));
    return root;
  }

  private static Path manyEntries(Path root, int count) throws IOException {
    Files.createDirectories(root);
    for (int i = 0; i < count; i++) {
      String name = String.format("entry-%05d-in-a-folder-that-shards.txt", i);
      writeBytes(root.resolve(name), ("entry " + i + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return root;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
