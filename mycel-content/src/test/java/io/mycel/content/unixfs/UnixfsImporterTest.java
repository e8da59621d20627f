package io.mycel.content.unixfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;

class UnixfsImporterTest {
  /** The reference importer's defaults: CIDv1, raw leaves, 256 KiB chunks, 174 links. */
  private static final ImportOptions REFERENCE_DEFAULTS = ImportOptions.builder()
      .chunkSize(262_144).maxLinksPerNode(174).shardSplitStrategy(ShardSplitStrategy.LINKS_BYTES)
      .build();

  private static String cidOf(byte[] bytes, ImportOptions options) throws IOException {
    return UnixfsImporter.onlyHash(options).importBytes(bytes).cid().toString();
  }

  @Test
  void helloWorld() throws IOException {
    assertThat(cidOf("hello world\n".getBytes(StandardCharsets.UTF_8), REFERENCE_DEFAULTS))
        .isEqualTo("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
  }

  @Test
  void emptyFile() throws IOException {
    assertThat(cidOf(new byte[0], REFERENCE_DEFAULTS))
        .isEqualTo("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
  }

  @Test
  void oneMebibyteOfZeros() throws IOException {
    assertThat(cidOf(new byte[1 << 20], REFERENCE_DEFAULTS))
        .isEqualTo("bafybeiggzq4ryi7hscq5hzvzcnk4urnxt3asp37dhgvnjilf7exskximla");
  }

  @Test
  void v0ProfileMatchesKuboClassics() throws IOException {
    ImportOptions v0 = ImportOptions.of(UnixfsProfile.UNIXFS_V0_2015);
    assertThat(cidOf("hello world\n".getBytes(StandardCharsets.UTF_8), v0))
        .isEqualTo("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
    assertThat(cidOf(new byte[0], v0)).isEqualTo("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
    assertThat(cidOf(new byte[1 << 20], v0))
        .isEqualTo("QmVkbauSDEaMP4Tkq6Epm9uW75mWm136n81YH8fGtfwdHU");
  }

  @Test
  void parallelAndSequentialHashingAgree() throws IOException {
    byte[] data = new byte[3_000_000];
    new java.util.Random(1).nextBytes(data);
    ImportOptions small = REFERENCE_DEFAULTS.toBuilder().chunkSize(1000).maxLinksPerNode(7)
        .build();
    String parallel = cidOf(data, small.toBuilder().hashParallelism(4).build());
    String sequential = cidOf(data, small.toBuilder().hashParallelism(1).build());
    assertThat(parallel).isEqualTo(sequential);
  }

  @Test
  void progressCountsEveryByte() throws IOException {
    AtomicLong last = new AtomicLong();
    UnixfsImporter.onlyHash(REFERENCE_DEFAULTS).importFile(
        new java.io.ByteArrayInputStream(new byte[1_000_000]),
        ImportProgress.ofBytes(last::set));
    assertThat(last.get()).isEqualTo(1_000_000);
  }

  @Test
  void importWritesEveryBlockToTheStore() throws IOException {
    CountingBlockstore store = new CountingBlockstore();
    byte[] data = new byte[600_000];
    new java.util.Random(2).nextBytes(data);
    ImportResult result = new UnixfsImporter(store, REFERENCE_DEFAULTS).importBytes(data);
    assertThat(store.count()).isEqualTo(4);
    assertThat(store.has(result.cid())).isTrue();
    assertThat(result.contentSize()).isEqualTo(600_000);
  }

  @Test
  void entriesAreReportedWithTheirPaths(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws IOException {
    java.nio.file.Files.createDirectories(dir.resolve("top/sub"));
    java.nio.file.Files.writeString(dir.resolve("top/sub/f.txt"), "f");
    java.util.List<String> paths = new java.util.ArrayList<>();
    UnixfsImporter.onlyHash(ImportOptions.defaults()).importPath(dir.resolve("top"),
        new ImportProgress() {
          @Override
          public void entryImported(String path, ImportResult result) {
            paths.add(path + " " + result.type());
          }
        });
    assertThat(paths).containsExactly("top/sub/f.txt FILE", "top/sub DIRECTORY",
        "top DIRECTORY");
  }

  @Test
  void murmurMatchesTheReferenceHashOfHello() {
    long h1 = MurmurHash3.hash128x64("hello".getBytes(StandardCharsets.UTF_8))[0];
    assertThat(Long.toHexString(h1)).isEqualTo("cbd8a7b341bd9b02");
  }
}
