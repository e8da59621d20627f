package io.mycel.content.blockstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.content.blockstore.Blockstore.BlockstoreStats;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a JVM that is putting blocks (kill -9, after a random number of puts, and every other
 * time while a temporary file exists, that is in the middle of a write) several times and
 * checks after each kill that the reopened store is consistent: every block verifies, no
 * temporary file remains, counts match the files, and every acknowledged put survived.
 */
class FsBlockstoreCrashTest {
  private static final Logger LOG = LoggerFactory.getLogger(FsBlockstoreCrashTest.class);
  private static final int ROUNDS = 6;
  private static final int MAX_PUTS_BEFORE_KILL = 25;

  @TempDir Path dir;

  @Test
  @Timeout(180)
  void storeKilledDuringPutsReopensConsistent() throws Exception {
    Path root = dir.resolve("blocks");
    long seed = System.nanoTime();
    LOG.info("crash test seed {}", seed);
    SplittableRandom random = new SplittableRandom(seed);
    Set<Cid> acknowledged = new HashSet<>();
    int roundsWithLeftovers = 0;
    for (int round = 0; round < ROUNDS; round++) {
      int killAfter = 1 + random.nextInt(MAX_PUTS_BEFORE_KILL);
      Path stderr = dir.resolve("child-" + round + ".err");
      Process child = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          FsBlockstoreCrashChild.class.getName(), root.toString(), Long.toString(random.nextLong()))
          .redirectError(stderr.toFile())
          .start();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        int stored = 0;
        String line;
        while (stored < killAfter && (line = out.readLine()) != null) {
          if (line.startsWith("stored ")) {
            acknowledged.add(Cid.parse(line.substring("stored ".length())));
            stored++;
          }
        }
        if (round % 2 == 1) {
          // Aim the kill at the middle of a write: wait until a temporary file exists.
          awaitTemporaryFile(root, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        }
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child exits after kill").isTrue();
        assertThat(stored).as("puts before the kill; child stderr: %s",
            Files.exists(stderr) ? Files.readString(stderr) : "").isEqualTo(killAfter);
      }
      if (countTemporaryFiles(root) > 0) {
        roundsWithLeftovers++;
      }
      checkConsistent(root, acknowledged);
    }
    LOG.info("{} of {} kills left a temporary file behind; {} blocks acknowledged",
        roundsWithLeftovers, ROUNDS, acknowledged.size());
  }

  private static void checkConsistent(Path root, Set<Cid> acknowledged) throws IOException {
    try (FsBlockstore store = FsBlockstore.open(root)) {
      assertThat(countTemporaryFiles(root)).as("temporary files after open").isZero();
      List<Multihash> keys;
      try (Stream<Multihash> stream = store.keys()) {
        keys = stream.toList();
      }
      long bytes = 0;
      for (Multihash key : keys) {
        byte[] data = store.get(Cid.v1(Multicodec.RAW, key)).orElseThrow(
            () -> new AssertionError("block " + key + " did not verify"));
        bytes += data.length;
      }
      assertThat(store.stats()).isEqualTo(new BlockstoreStats(keys.size(), bytes, 0, 0));
      List<Cid> lost = new ArrayList<>();
      for (Cid cid : acknowledged) {
        if (!store.has(cid)) {
          lost.add(cid);
        }
      }
      assertThat(lost).as("acknowledged blocks missing after the kill").isEmpty();
    }
  }

  private static void awaitTemporaryFile(Path root, long deadline) throws IOException {
    while (System.nanoTime() < deadline) {
      try {
        if (countTemporaryFiles(root) > 0) {
          return;
        }
      } catch (UncheckedIOException e) {
        // A temporary file renamed while the walk looked at it: it existed, so stop here.
        return;
      }
      Thread.onSpinWait();
    }
  }

  private static long countTemporaryFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().startsWith(FsBlockstore.TEMP_PREFIX))
          .count();
    }
  }
}
