package io.mycel.cli;

import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.pin.GarbageCollector;
import io.mycel.node.NodeHome;
import io.mycel.node.Repo;
import io.mycel.sdk.MycelClient;
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
      var daemon = Cli.daemon(home, "repo stat", true);
      if (daemon.isPresent()) {
        try (MycelClient client = daemon.get()) {
          MycelClient.RepoStat stat = client.repoStat();
          if (json) {
            out.println(Cli.JSON.writeValueAsString(stat));
          } else {
            print(out, stat.blocks(), stat.bytes(), stat.quotaBytes(), stat.pins(), stat.path());
          }
        }
        return 0;
      }
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
          print(out, stats.blocks(), stats.bytes(), stats.quotaBytes(), pins,
              home.dir().resolve(Repo.BLOCKS_DIR).toString());
        }
      }
      return 0;
    }

    private static void print(PrintWriter out, long blocks, long bytes, long quotaBytes, int pins,
        String path) {
      out.println("blocks:  " + blocks);
      out.println("size:    " + Progress.bytes(bytes)
          + (quotaBytes > 0 ? " of " + Progress.bytes(quotaBytes) + " quota" : " (no quota)"));
      out.println("pins:    " + pins);
      out.println("path:    " + path);
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
      PrintWriter out = spec.commandLine().getOut();
      var daemon = Cli.daemon(home, "repo gc", false);
      if (daemon.isPresent()) {
        try (MycelClient client = daemon.get()) {
          com.fasterxml.jackson.databind.JsonNode result = client.repoGc();
          if (json) {
            out.println(Cli.JSON.writeValueAsString(result));
          } else {
            out.println("removed " + result.path("blocksRemoved").asLong() + " blocks ("
                + Progress.bytes(result.path("bytesRemoved").asLong()) + "), kept "
                + result.path("blocksKept").asLong());
            result.path("problems").forEach(p -> out.println("problem: " + p));
            if (!result.path("problems").isEmpty()) {
              out.println("nothing was deleted: pinned content is damaged (see above)");
            }
          }
        }
        return 0;
      }
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
