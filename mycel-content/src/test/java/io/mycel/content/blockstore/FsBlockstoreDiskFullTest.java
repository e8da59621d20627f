package io.mycel.content.blockstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mycel.content.blockstore.Blockstore.BlockstoreStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fills a real, small file system (a 2 MiB tmpfs, so the test needs root on Linux) and checks
 * that the put that finds the disk full is refused cleanly.
 */
class FsBlockstoreDiskFullTest {
  private static final int BLOCK_SIZE = 96 * 1024;

  @TempDir Path dir;

  @Test
  void putOnAFullDiskIsRefusedAndLeavesNothingBehind() throws Exception {
    assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"),
        "disk-full test skipped: it mounts a tmpfs, which needs Linux");
    assumeTrue(isRoot(), "disk-full test skipped: mounting a small tmpfs needs root, and this"
        + " test runs as " + System.getProperty("user.name"));
    Path mount = Files.createDirectories(dir.resolve("tmpfs"));
    String mountError = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString());
    assumeTrue(mountError == null, "disk-full test skipped: cannot mount a tmpfs: " + mountError);
    try {
      Path root = mount.resolve("blocks");
      List<Block> stored = new ArrayList<>();
      SplittableRandom random = new SplittableRandom(7);
      try (FsBlockstore store = FsBlockstore.open(root)) {
        BlockstoreFullException full = null;
        Block refused = null;
        for (int i = 0; i < 100 && full == null; i++) {
          Block block = TestBlocks.random(random, BLOCK_SIZE);
          try {
            store.put(block);
            stored.add(block);
          } catch (BlockstoreFullException e) {
            full = e;
            refused = block;
          }
        }
        assertThat(full).as("a put eventually finds the disk full").isNotNull();
        assertThat(full).hasMessageContaining("disk full").hasMessageContaining(refused.cid().toString());
        assertThat(stored).isNotEmpty();
        assertThat(store.has(refused.cid())).isFalse();
        assertThat(temporaryFiles(root)).isEmpty();
        for (Block block : stored) {
          assertThat(store.get(block.cid()))
              .hasValueSatisfying(d -> assertThat(d).isEqualTo(block.data()));
        }
        BlockstoreStats expected = new BlockstoreStats(stored.size(),
            (long) stored.size() * BLOCK_SIZE, 0, 0);
        assertThat(store.stats()).isEqualTo(expected);
        // Deleting makes room again.
        store.delete(stored.getFirst().cid().multihash());
        store.put(refused);
        assertThat(store.get(refused.cid())).isPresent();
      }
      try (FsBlockstore reopened = FsBlockstore.open(root)) {
        assertThat(reopened.stats().blocks()).isEqualTo(stored.size());
      }
    } finally {
      String error = run("umount", mount.toString());
      assertThat(error).as("unmount the tmpfs").isNull();
    }
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Runs a command; null on success, else what went wrong. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return String.join(" ", command) + " did not finish";
    }
    return process.exitValue() == 0 ? null
        : String.join(" ", command) + " exited " + process.exitValue() + ": " + output.strip();
  }

  private static List<Path> temporaryFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().startsWith(FsBlockstore.TEMP_PREFIX))
          .toList();
    }
  }
}
