package io.mycel.content.blockstore;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Run in a child JVM by {@link FsBlockstoreCrashTest}: opens the store at {@code args[0]} and
 * puts random blocks until it is killed, writing {@code stored <cid>} after each put returns.
 */
public final class FsBlockstoreCrashChild {
  private static final int MAX_BLOCK = 2 * 1024 * 1024;

  private FsBlockstoreCrashChild() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (FsBlockstore store = FsBlockstore.open(root)) {
      out.println("open " + store.stats().blocks());
      while (true) {
        Block block = TestBlocks.random(random, 1 + random.nextInt(MAX_BLOCK));
        store.put(block);
        out.println("stored " + block.cid());
      }
    }
  }
}
