package io.mycel.cli;

import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.pin.GarbageCollector;
import io.mycel.node.NodeHome;
import io.mycel.node.Repo;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "repo", description = "The local repository: statistics and garbage collection.",
    subcommands = {RepoCommand.Stat.class, RepoCommand.Gc.class})
final class RepoCommand {

  @Command(name = "stat", description = "Blocks, bytes and quota of the repository.")
  static final class Stat implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      NodeHome home = homeOption.home();
      PrintWriter out = spec.commandLine().getOut();
      try (Repo repo = Repo.open(home, home.loadConfig())) {
        Blockstore.BlockstoreStats stats = repo.blocks().stats();
        int pins = repo.pins().size();
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("blocks", stats.blocks());
          m.put("bytes", stats.bytes());
          m.put("quotaBytes", stats.quotaBytes());
          m.put("pins", pins);
          m.put("corruptBlocksRemoved", stats.corruptBlocksRemoved());
          m.put("path", home.dir().resolve(Repo.BLOCKS_DIR).toString());
          out.println(Cli.JSON.writeValueAsString(m));
        } else {
          out.println("blocks:  " + stats.blocks());
          out.println("size:    " + Progress.bytes(stats.bytes())
              + (stats.quotaBytes() > 0 ? " of " + Progress.bytes(stats.quotaBytes()) + " quota" : " (no quota)"));
          out.println("pins:    " + pins);
          out.println("path:    " + home.dir().resolve(Repo.BLOCKS_DIR));
        }
      }
      return 0;
    }
  }

  @Command(name = "gc", description = "Delete every block that no pin reaches.")
  static final class Gc implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      NodeHome home = homeOption.home();
      Cli.refuseWhileDaemonRuns(home, "repo gc");
      PrintWriter out = spec.commandLine().getOut();
      try (Repo repo = Repo.open(home, home.loadConfig())) {
        GarbageCollector.GcResult result = repo.gc().collect();
        if (json) {
          out.println(Cli.JSON.writeValueAsString(result));
        } else {
          out.println("removed " + result.blocksRemoved() + " blocks (" + Progress.bytes(result.bytesRemoved())
              + "), kept " + result.blocksKept());
          result.problems().forEach(p -> out.println("problem: " + p));
          if (!result.problems().isEmpty()) {
            out.println("nothing was deleted: pinned content is damaged (see above)");
          }
        }
      }
      return 0;
    }
  }
}
