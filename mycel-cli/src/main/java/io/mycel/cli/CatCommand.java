package io.mycel.cli;

import io.mycel.core.cid.Cid;
import io.mycel.node.NodeHome;
import io.mycel.node.Repo;
import io.mycel.sdk.MycelClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cat", description = "Write a file's bytes (or a byte range of it) to standard output.")
final class CatCommand implements Callable<Integer> {
  /** Where the bytes go; standard output unless a test sets it. */
  static OutputStream sink = System.out;

  @Mixin HomeOption homeOption;

  @Parameters(paramLabel = "CID", description = "A file's CID, or CID/path/inside/a/folder.")
  String target;

  @Option(names = "--offset", description = "Start at this byte (default 0).")
  long offset;

  @Option(names = "--length", description = "At most this many bytes (default: to the end).")
  Long length;

  @Override
  public Integer call() throws Exception {
    NodeHome home = homeOption.home();
    var daemon = Cli.daemon(home, "cat", true);
    if (daemon.isPresent()) {
      try (MycelClient client = daemon.get();
          InputStream in = client.cat(target, offset, length == null ? -1 : length)) {
        in.transferTo(sink);
      }
      sink.flush();
      return 0;
    }
    try (Repo repo = Repo.open(home, home.loadConfig())) {
      Cid cid = Cli.resolve(repo, target);
      try (InputStream in = repo.exporter().open(cid, offset, length == null ? Long.MAX_VALUE : length)) {
        in.transferTo(sink);
      }
      sink.flush();
    }
    return 0;
  }
}
