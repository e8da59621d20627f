package io.mycel.cli;

import io.mycel.node.Keystore;
import io.mycel.routing.ipns.IpnsName;
import io.mycel.sdk.MycelClient;
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
      PrintWriter out = spec.commandLine().getOut();
      var daemon = Cli.daemon(homeOption.home(), "key gen", false);
      if (daemon.isPresent()) {
        MycelClient.Key key;
        try (MycelClient client = daemon.get()) {
          key = client.keyGen(name);
        }
        out.println(json ? Cli.JSON.writeValueAsString(key) : key.path());
        return 0;
      }
      IpnsName ipns = new Keystore(homeOption.home()).gen(name);
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
      PrintWriter out = spec.commandLine().getOut();
      var daemon = Cli.daemon(homeOption.home(), "key ls", true);
      List<MycelClient.Key> keys = new ArrayList<>();
      if (daemon.isPresent()) {
        try (MycelClient client = daemon.get()) {
          keys.addAll(client.keyLs());
        }
      } else {
        for (Keystore.Entry e : new Keystore(homeOption.home()).list()) {
          Map<String, Object> row = entry(e.name(), e.ipnsName());
          keys.add(new MycelClient.Key(e.name(), (String) row.get("id"), (String) row.get("path")));
        }
      }
      if (json) {
        out.println(Cli.JSON.writeValueAsString(keys));
      } else {
        int width = keys.stream().mapToInt(k -> k.name().length()).max().orElse(0);
        for (MycelClient.Key k : keys) {
          out.printf("%-" + width + "s  %s%n", k.name(), k.path());
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
      var daemon = Cli.daemon(homeOption.home(), "key rm", false);
      if (daemon.isPresent()) {
        try (MycelClient client = daemon.get()) {
          client.keyRm(name);
        }
      } else {
        new Keystore(homeOption.home()).remove(name);
      }
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
