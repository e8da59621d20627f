package io.mycel.cli;

import io.mycel.content.pin.Pin;
import io.mycel.content.pin.PinType;
import io.mycel.core.cid.Cid;
import io.mycel.node.NodeHome;
import io.mycel.node.Repo;
import io.mycel.sdk.MycelClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pin", description = "Keep content from garbage collection: add, remove and list pins.",
    subcommands = {PinCommand.Add.class, PinCommand.Rm.class, PinCommand.Ls.class})
final class PinCommand {

  @Command(name = "add", description = "Pin a CID (recursively by default). Its blocks must be in the repository.")
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Parameters(paramLabel = "CID")
    String cid;

    @Option(names = "--direct", description = "Pin only this block, not what it links to.")
    boolean direct;

    @Option(names = "--name", description = "A name for the pin.")
    String name;

    @Override
    public Integer call() throws Exception {
      NodeHome home = homeOption.home();
      Cid target = Cli.parseCid(cid);
      var daemon = Cli.daemon(home, "pin add", false);
      if (daemon.isPresent()) {
        try (MycelClient client = daemon.get()) {
          MycelClient.Pin pin = client.pinAdd(target.toString(), direct, name);
          spec.commandLine().getOut().println("pinned " + pin.cid() + " " + pin.type());
        }
        return 0;
      }
      try (Repo repo = Repo.open(home, home.loadConfig())) {
        if (!repo.blocks().has(target)) {
          throw new IOException(target + " is not in the repository; add or fetch it first");
        }
        Pin pin = direct ? repo.pins().pinDirect(target, name) : repo.pins().pinRecursive(target, name);
        spec.commandLine().getOut().println("pinned " + pin.cid() + " " + pin.type().wireName());
      }
      return 0;
    }
  }

  @Command(name = "rm", description = "Remove a pin; the blocks go at the next `mycel repo gc`.")
  static final class Rm implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Parameters(paramLabel = "CID")
    String cid;

    @Override
    public Integer call() throws Exception {
      NodeHome home = homeOption.home();
      Cid target = Cli.parseCid(cid);
      var daemon = Cli.daemon(home, "pin rm", false);
      if (daemon.isPresent()) {
        try (MycelClient client = daemon.get()) {
          client.pinRm(target.toString());
        }
        spec.commandLine().getOut().println("unpinned " + target);
        return 0;
      }
      try (Repo repo = Repo.open(home, home.loadConfig())) {
        if (!repo.pins().unpin(target)) {
          throw new IOException(target + " is not pinned");
        }
        spec.commandLine().getOut().println("unpinned " + target);
      }
      return 0;
    }
  }

  @Command(name = "ls", description = "List pins.")
  static final class Ls implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Option(names = "--type", description = "Only this type: recursive or direct.")
    String type;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      NodeHome home = homeOption.home();
      PrintWriter out = spec.commandLine().getOut();
      var daemon = Cli.daemon(home, "pin ls", true);
      if (daemon.isPresent()) {
        try (MycelClient client = daemon.get()) {
          if (type != null) {
            PinType.fromWireName(type);
          }
          List<MycelClient.Pin> pins = client.pinLs(type);
          if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (MycelClient.Pin p : pins) {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("cid", p.cid());
              row.put("type", p.type());
              if (p.name() != null) {
                row.put("name", p.name());
              }
              rows.add(row);
            }
            out.println(Cli.JSON.writeValueAsString(rows));
          } else {
            for (MycelClient.Pin p : pins) {
              out.println(p.cid() + " " + p.type().toLowerCase(Locale.ROOT)
                  + (p.name() != null ? " " + p.name() : ""));
            }
          }
        }
        return 0;
      }
      try (Repo repo = Repo.open(home, home.loadConfig())) {
        List<Pin> pins = type == null ? repo.pins().list() : repo.pins().list(PinType.fromWireName(type));
        if (json) {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (Pin p : pins) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cid", p.cid().toString());
            row.put("type", p.type().wireName());
            p.name().ifPresent(n -> row.put("name", n));
            rows.add(row);
          }
          out.println(Cli.JSON.writeValueAsString(rows));
        } else {
          for (Pin p : pins) {
            out.println(p.cid() + " " + p.type().wireName().toLowerCase(Locale.ROOT)
                + p.name().map(n -> " " + n).orElse(""));
          }
        }
      }
      return 0;
    }
  }
}
