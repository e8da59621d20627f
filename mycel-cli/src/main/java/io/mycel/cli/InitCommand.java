package io.mycel.cli;

import io.mycel.core.peer.PeerId;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "init", description = "Create the node home: a new Ed25519 identity and a config with every default.")
final class InitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HomeOption homeOption;

  @Option(names = "--swarm-port", description = "TCP port for peer connections (default ${DEFAULT-VALUE}; 0 = any free port).")
  int swarmPort = NodeConfig.DEFAULT_SWARM_PORT;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    NodeHome home = homeOption.home();
    NodeConfig config = NodeConfig.defaults()
        .withListen(List.of("/ip4/0.0.0.0/tcp/" + swarmPort));
    home.init(config);
    PeerId peer = PeerId.fromPublicKey(home.loadKey().publicKey());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("home", home.dir().toString());
      result.put("peerId", peer.toString());
      out.println(Cli.JSON.writeValueAsString(result));
    } else {
      out.println("Initialized a Mycel node in " + home.dir());
      out.println("peer id: " + peer);
      out.println("config:  " + home.configFile());
      out.println("Start it with: mycel daemon");
    }
    return 0;
  }
}
