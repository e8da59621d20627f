package io.mycel.cli;

import io.mycel.core.cid.Cid;
import io.mycel.node.NodeHome;
import io.mycel.node.Repo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "get", description = "Save a file or folder from the repository to disk.")
final class GetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HomeOption homeOption;

  @Parameters(paramLabel = "CID", description = "A CID, or CID/path/inside/a/folder.")
  String target;

  @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Where to write it (default: the CID, in the current folder).")
  Path output;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    NodeHome home = homeOption.home();
    PrintWriter out = spec.commandLine().getOut();
    try (Repo repo = Repo.open(home, home.loadConfig())) {
      Cid cid = Cli.resolve(repo, target);
      Path destination = output != null ? output : Path.of(cid.toString());
      long bytes = repo.export(cid, destination);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cid", cid.toString());
        m.put("path", destination.toString());
        m.put("bytes", bytes);
        out.println(Cli.JSON.writeValueAsString(m));
      } else {
        out.println("saved " + cid + " to " + destination + " (" + Progress.bytes(bytes) + ")");
      }
    }
    return 0;
  }
}
