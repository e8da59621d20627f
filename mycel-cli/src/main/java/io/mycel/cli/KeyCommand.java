package io.mycel.cli;

import io.mycel.node.Keystore;
import io.mycel.routing.ipns.IpnsName;
import java.io.PrintWriter;
import java.util.ArrayList;
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

@Command(name = "key", description = "The keys this node can publish IPNS names with: generate, list and remove.",
    subcommands = {KeyCommand.Gen.class, KeyCommand.Ls.class, KeyCommand.Rm.class})
final class KeyCommand {

  @Command(name = "gen", description = "Generate a new Ed25519 key; prints its IPNS name.")
  static final class Gen implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Parameters(paramLabel = "NAME", description = "The key's name: 1 to 64 of a-z A-Z 0-9 . _ -")
    String name;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      IpnsName ipns = new Keystore(homeOption.home()).gen(name);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Cli.JSON.writeValueAsString(entry(name, ipns)));
      } else {
        out.println(ipns);
      }
      return 0;
    }
  }

  @Command(name = "ls", description = "List the keys and their IPNS names; 'self' is the node identity.")
  static final class Ls implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      List<Keystore.Entry> entries = new Keystore(homeOption.home()).list();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        List<Map<String, Object>> rows = new ArrayList<>();
        entries.forEach(e -> rows.add(entry(e.name(), e.ipnsName())));
        out.println(Cli.JSON.writeValueAsString(rows));
      } else {
        int width = entries.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (Keystore.Entry e : entries) {
          out.printf("%-" + width + "s  %s%n", e.name(), e.ipnsName());
        }
      }
      return 0;
    }
  }

  @Command(name = "rm", description = "Remove a key. The names it published expire with their records.")
  static final class Rm implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
      new Keystore(homeOption.home()).remove(name);
      spec.commandLine().getOut().println("removed key " + name);
      return 0;
    }
  }

  private static Map<String, Object> entry(String name, IpnsName ipns) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", name);
    row.put("id", ipns.toBase36());
    row.put("path", ipns.toString());
    return row;
  }
}
