package io.mycel.testkit.js;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where the JavaScript interop harness lives ({@code interop/} at the project root) and how
 * to run Node.js on it; also the guard that no Node.js child outlives the JVM.
 */
final class Interop {

  /** System property naming the project root (the parent pom sets it for tests). */
  static final String ROOT_PROPERTY = "mycel.root";
  /** System property naming the Node.js executable; the default is {@code node} on the PATH. */
  static final String NODE_PROPERTY = "mycel.node";
  static final String DEFAULT_NODE = "node";
  static final String INTEROP_DIR = "interop";
  /** Installed last by {@code npm ci}: its presence means the dependencies are there. */
  static final String INSTALLED_MARKER = "node_modules/libp2p/package.json";
  static final String HOW_TO_INSTALL = "run `npm ci` in interop/ (Node.js 20 or newer)";
  static final long NODE_VERSION_TIMEOUT_SECONDS = 10;

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static volatile Optional<String> unavailableReason;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Interop::killAll, "mycel-js-peer-reaper"));
  }

  private Interop() {}

  static String nodeExecutable() {
    return System.getProperty(NODE_PROPERTY, DEFAULT_NODE);
  }

  /** The node command line that runs a script of the interop folder with the polyfill loaded. */
  static List<String> nodeCommand(String script) {
    return List.of(nodeExecutable(), "--import", "./polyfill.mjs", script);
  }

  /**
   * The interop folder: {@code ${mycel.root}/interop} when that property is set and the
   * folder has a package.json, otherwise the nearest {@code interop/package.json} found walking
   * up from the working directory.
   */
  static Optional<Path> findInteropDir() {
    String root = System.getProperty(ROOT_PROPERTY);
    if (root != null && !root.isBlank()) {
      Path dir = Path.of(root).resolve(INTEROP_DIR);
      if (Files.isRegularFile(dir.resolve("package.json"))) {
        return Optional.of(dir.toAbsolutePath().normalize());
      }
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path dir = p.resolve(INTEROP_DIR);
      if (Files.isRegularFile(dir.resolve("package.json"))) {
        return Optional.of(dir.normalize());
      }
    }
    return Optional.empty();
  }

  static Path interopDir() {
    return findInteropDir().orElseThrow(() -> new JsPeerException(
        "interop/package.json not found (set -D" + ROOT_PROPERTY + "=<project root>)"));
  }

  /** Empty when Node.js runs and the interop dependencies are installed; otherwise why not. */
  static Optional<String> unavailableReason() {
    Optional<String> reason = unavailableReason;
    if (reason == null) {
      reason = probe();
      unavailableReason = reason;
    }
    return reason;
  }

  private static Optional<String> probe() {
    Optional<Path> dir = findInteropDir();
    if (dir.isEmpty()) {
      return Optional.of("interop/package.json not found from " + Path.of("").toAbsolutePath()
          + " (set -D" + ROOT_PROPERTY + "=<project root>)");
    }
    if (!Files.isRegularFile(dir.get().resolve(INSTALLED_MARKER))) {
      return Optional.of("the JavaScript interop dependencies are not installed in " + dir.get()
          + ": " + HOW_TO_INSTALL);
    }
    try {
      Process p = new ProcessBuilder(nodeExecutable(), "--version")
          .redirectErrorStream(true)
          .start();
      p.getOutputStream().close();
      String version = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(NODE_VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.of("`" + nodeExecutable() + " --version` did not finish");
      }
      if (p.exitValue() != 0) {
        return Optional.of("`" + nodeExecutable() + " --version` failed: " + version);
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("Node.js not found (`" + nodeExecutable() + "`: " + e.getMessage()
          + "); install Node.js 20+ or set -D" + NODE_PROPERTY + "=<path>");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while probing Node.js");
    }
  }

  /** Remembers a child so that the shutdown hook kills it if nothing else has. */
  static void track(Process process) {
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
  }

  private static void killAll() {
    for (Process p : LIVE) {
      p.destroyForcibly();
    }
  }
}
