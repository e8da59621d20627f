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

  /** Parses a CID given on the command line, with a message that says what was wrong. */
  static io.mycel.core.cid.Cid parseCid(String text) {
    try {
      return io.mycel.core.cid.Cid.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a CID: '" + text + "' (" + e.getMessage() + ")");
    }
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
