package io.mycel.cli;

import io.mycel.content.car.CarImport;
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

@Command(name = "car", description = "Move DAGs in and out as CAR v1 files.",
    subcommands = {CarCommand.Export.class, CarCommand.Import.class})
final class CarCommand {

  @Command(name = "export", description = "Write the DAG under a CID to a CAR file.")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Parameters(paramLabel = "CID")
    String cid;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE")
    Path output;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      NodeHome home = homeOption.home();
      Cid root = Cli.parseCid(cid);
      try (Repo repo = Repo.open(home, home.loadConfig())) {
        long blocks = repo.exportCar(root, output);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("root", root.toString());
          m.put("blocks", blocks);
          m.put("file", output.toString());
          out.println(Cli.JSON.writeValueAsString(m));
        } else {
          out.println("exported " + blocks + " blocks of " + root + " to " + output);
        }
      }
      return 0;
    }
  }

  @Command(name = "import", description = "Store every block of a CAR file (each verified) and pin its roots.")
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Parameters(paramLabel = "FILE")
    Path input;

    @Option(names = "--pin", arity = "1", paramLabel = "true|false", description = "Pin the roots (default ${DEFAULT-VALUE}).")
    boolean pin = true;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      NodeHome home = homeOption.home();
      Cli.refuseWhileDaemonRuns(home, "car import");
      try (Repo repo = Repo.open(home, home.loadConfig())) {
        CarImport imported = repo.importCar(input, pin);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("roots", imported.roots().stream().map(Cid::toString).toList());
          m.put("blocks", imported.blocks());
          m.put("pinned", pin);
          out.println(Cli.JSON.writeValueAsString(m));
        } else {
          out.println("imported " + imported.blocks() + " blocks");
          imported.roots().forEach(r -> out.println((pin ? "pinned root " : "root ") + r));
        }
      }
      return 0;
    }
  }
}
