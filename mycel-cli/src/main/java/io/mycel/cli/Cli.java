package io.mycel.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mycel.node.DaemonFile;
import io.mycel.node.NodeHome;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Helpers shared by the commands. */
final class Cli {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Cli() {}

  /**
   * Refuses a command that changes the repository while this home's daemon runs: two processes
   * must not rewrite the same pins and counters.
   */
  static void refuseWhileDaemonRuns(NodeHome home, String command) throws java.io.IOException {
    var daemon = DaemonFile.read(home);
    if (daemon.isPresent()) {
      throw new java.io.IOException("`mycel " + command + "` changes the repository of " + home.dir()
          + ", whose daemon is running (pid " + daemon.get().pid() + "); stop the daemon first");
    }
  }

  /**
   * The client of this home's running daemon, or empty when none runs and the command works on
   * the repository itself. A daemon that serves no API (api.listen is empty) is an error for a
   * command that changes the repository; a read-only one then reads the repository as before.
   */
  static java.util.Optional<io.mycel.sdk.MycelClient> daemon(NodeHome home, String command,
      boolean readOnly) throws java.io.IOException {
    var daemon = DaemonFile.read(home);
    if (daemon.isEmpty()) {
      return java.util.Optional.empty();
    }
    var client = io.mycel.sdk.MycelClient.forHome(home.dir());
    if (client.isEmpty() && !readOnly) {
      throw new java.io.IOException("`mycel " + command + "` needs the API of the daemon running on "
          + home.dir() + " (pid " + daemon.get().pid() + "), which serves none (api.listen is "
          + "empty); give it an API address, or stop the daemon first");
    }
    return client;
  }

  /** Parses a CID given on the command line, with a message that says what was wrong. */
  static io.mycel.core.cid.Cid parseCid(String text) {
    try {
      return io.mycel.core.cid.Cid.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a CID: '" + text + "' (" + e.getMessage() + ")");
    }
  }

  /** The CID part of {@code CID/path} or {@code /ipfs/CID/path}. */
  static String rootOf(String target) {
    String t = target.startsWith("/ipfs/") ? target.substring("/ipfs/".length()) : target;
    int slash = t.indexOf('/');
    return slash < 0 ? t : t.substring(0, slash);
  }

  /** A {@code CID} or {@code CID/path/in/a/folder} (with an optional {@code /ipfs/} prefix). */
  static io.mycel.core.cid.Cid resolve(io.mycel.node.Repo repo, String target) throws java.io.IOException {
    String t = target.startsWith("/ipfs/") ? target.substring("/ipfs/".length()) : target;
    int slash = t.indexOf('/');
    io.mycel.core.cid.Cid root = parseCid(slash < 0 ? t : t.substring(0, slash));
    if (slash < 0 || slash == t.length() - 1) {
      return root;
    }
    return repo.exporter().resolve(root, t.substring(slash + 1));
  }

  /** The message a person should read for a failure, without wrapper exceptions. */
  static String describe(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
