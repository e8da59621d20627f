package io.mycel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.ImportProgress;
import io.mycel.content.unixfs.ImportResult;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import io.mycel.node.Repo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code add} of one large file into the on-disk store (blocks fsynced, root pinned), against
 * {@code openssl dgst -sha256} of the same file (the hashing floor) in the same run.
 *
 * <p>Usage: {@code AddBench [--mib M] [--file PATH]}; prints one JSON object. With {@code --file}
 * the file is reused (and kept), else a seeded random file is written to a temporary folder.
 */
public final class AddBench {
  public static void main(String[] args) throws Exception {
    int mib = 1024;
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mib" -> mib = Integer.parseInt(args[++i]);
        case "--file" -> file = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("mycel-addbench");
    boolean keep = file != null;
    if (file == null) {
      file = work.resolve("input.bin");
    }
    if (!Files.exists(file)) {
      writeRandom(file, (long) mib << 20);
    }
    final Path input = file;
    long size = Files.size(input);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("bytes", size);
    try {
      result.put("opensslSha256MBps", NetBench.median(() -> size / 1e6 / openssl(input)));
      result.put("mycelAddMBps", NetBench.median(() -> size / 1e6 / mycelAdd(input, work)));
      result.put("mycelOnlyHashMBps", NetBench.median(() -> size / 1e6 / mycelOnlyHash(input)));
    } finally {
      if (!keep) {
        Files.deleteIfExists(file);
      }
      deleteTree(work);
    }
    System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(result));
  }

  static void writeRandom(Path file, long bytes) throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long done = 0; done < bytes; done += buf.length) {
        for (int i = 0; i < buf.length; i += 8) {
          long v = random.nextLong();
          for (int b = 0; b < 8; b++) {
            buf[i + b] = (byte) (v >>> (8 * b));
          }
        }
        out.write(buf, 0, (int) Math.min(buf.length, bytes - done));
      }
    }
  }

  /** Seconds for {@code openssl dgst -sha256 FILE}. */
  static double openssl(Path file) throws Exception {
    long start = System.nanoTime();
    Process p = new ProcessBuilder("openssl", "dgst", "-sha256", file.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException("openssl dgst failed");
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Seconds for a full add into a fresh on-disk repository: chunk, hash, store with fsync, pin. */
  static double mycelAdd(Path file, Path work) throws Exception {
    Path homeDir = Files.createTempDirectory(work, "home");
    NodeHome home = new NodeHome(homeDir);
    NodeConfig defaults = NodeConfig.defaults();
    home.init(new NodeConfig(defaults.swarm(), defaults.limits(), new NodeConfig.Storage(0, true),
        null, List.of()));
    try (Repo repo = Repo.open(home, home.loadConfig())) {
      long start = System.nanoTime();
      ImportResult r = repo.add(file, ImportOptions.defaults(), false, true, ImportProgress.NONE);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (r.contentSize() != Files.size(file)) {
        throw new IOException("imported " + r.contentSize() + " bytes");
      }
      return seconds;
    } finally {
      deleteTree(homeDir);
    }
  }

  static double mycelOnlyHash(Path file) throws Exception {
    long start = System.nanoTime();
    io.mycel.content.unixfs.UnixfsImporter.onlyHash(ImportOptions.defaults()).importPath(file);
    return (System.nanoTime() - start) / 1e9;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
