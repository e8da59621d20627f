package io.mycel.cli;

import io.mycel.content.car.CarImport;
import io.mycel.core.cid.Cid;
import io.mycel.node.NodeHome;
import io.mycel.node.Repo;
import io.mycel.sdk.MycelClient;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
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
      var daemon = Cli.daemon(home, "car export", true);
      if (daemon.isPresent()) {
        Path tmp = output.resolveSibling(output.getFileName() + ".part");
        long bytes;
        try (MycelClient client = daemon.get(); InputStream in = client.carExport(root.toString())) {
          bytes = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("root", root.toString());
          m.put("bytes", bytes);
          m.put("file", output.toString());
          out.println(Cli.JSON.writeValueAsString(m));
        } else {
          out.println("exported " + root + " to " + output + " (" + Progress.bytes(bytes) + ")");
        }
        return 0;
      }
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
      var daemon = Cli.daemon(home, "car import", false);
      if (daemon.isPresent()) {
        MycelClient.CarImportResult imported;
        try (MycelClient client = daemon.get(); InputStream in = Files.newInputStream(input)) {
          imported = client.carImport(in, pin);
        }
        print(imported.roots(), imported.blocks());
        return 0;
      }
      try (Repo repo = Repo.open(home, home.loadConfig())) {
        CarImport imported = repo.importCar(input, pin);
        print(imported.roots().stream().map(Cid::toString).toList(), imported.blocks());
      }
      return 0;
    }

    private void print(List<String> roots, long blocks) throws java.io.IOException {
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("roots", roots);
        m.put("blocks", blocks);
        m.put("pinned", pin);
        out.println(Cli.JSON.writeValueAsString(m));
      } else {
        out.println("imported " + blocks + " blocks");
        roots.forEach(r -> out.println((pin ? "pinned root " : "root ") + r));
      }
    }
  }
}
