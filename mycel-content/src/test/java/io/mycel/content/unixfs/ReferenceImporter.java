package io.mycel.content.unixfs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs interop/unixfs-import.mjs (ipfs-unixfs-importer, pinned in interop/package.json) on
 * files and folders and reads back the root CIDs.
 */
final class ReferenceImporter {
  static final String ROOT_PROPERTY = "mycel.root";
  static final String NODE_PROPERTY = "mycel.node";
  static final String SCRIPT = "unixfs-import.mjs";
  static final long TIMEOUT_SECONDS = 600;
  private static final Pattern CID = Pattern.compile("\"cid\":\"([^\"]+)\"");

  private final Path interopDir;

  private ReferenceImporter(Path interopDir) {
    this.interopDir = interopDir;
  }

  /**
   * The importer, when {@code interop/} is found ({@code -Dmycel.root} or walking up from the
   * working directory) with its dependencies installed.
   */
  static Optional<ReferenceImporter> find() {
    List<Path> candidates = new ArrayList<>();
    String root = System.getProperty(ROOT_PROPERTY);
    if (root != null && !root.isBlank() && !root.contains("${")) {
      candidates.add(Path.of(root).resolve("interop"));
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      candidates.add(p.resolve("interop"));
    }
    for (Path dir : candidates) {
      if (Files.isRegularFile(dir.resolve("package.json"))
          && Files.isRegularFile(dir.resolve(SCRIPT))
          && Files.isDirectory(dir.resolve("node_modules/ipfs-unixfs-importer"))) {
        return Optional.of(new ReferenceImporter(dir.toAbsolutePath().normalize()));
      }
    }
    return Optional.empty();
  }

  /** The root CID of each path, in order, imported with {@code args} (script options). */
  List<String> rootCids(List<String> args, List<Path> paths) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        System.getProperty(NODE_PROPERTY, "node"), "--import", "./polyfill.mjs", SCRIPT));
    command.addAll(args);
    for (Path p : paths) {
      command.add(p.toAbsolutePath().toString());
    }
    Process process = new ProcessBuilder(command).directory(interopDir.toFile()).start();
    CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process
        .getErrorStream()));
    try {
      String out = drain(process.getInputStream());
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("reference importer did not finish in " + TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IOException("reference importer failed (exit " + process.exitValue() + "): "
            + stderr.join());
      }
      List<String> cids = new ArrayList<>();
      for (String line : out.split("\n")) {
        Matcher m = CID.matcher(line);
        if (m.find()) {
          cids.add(m.group(1));
        }
      }
      if (cids.size() != paths.size()) {
        throw new IOException("expected " + paths.size() + " CIDs, got: " + out + stderr.join());
      }
      return cids;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      process.destroyForcibly();
    }
  }

  private static String drain(InputStream in) {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
