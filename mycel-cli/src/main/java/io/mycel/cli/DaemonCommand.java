package io.mycel.cli;

import io.mycel.node.DaemonFile;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.node.Node;
import io.mycel.node.gateway.Gateway;
import io.mycel.node.gateway.GatewayOptions;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import io.mycel.node.Repo;
import io.mycel.node.Reprovider;
import io.mycel.node.Version;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "daemon", description = "Run the node: listen on the swarm port and serve peers until stopped (Ctrl-C).")
final class DaemonCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HomeOption homeOption;

  @Option(names = "--listen", paramLabel = "MULTIADDR",
      description = "Listen on this address instead of the config's swarm.listen (repeatable).")
  List<String> listen;

  @Option(names = "--gateway", paramLabel = "MULTIADDR",
      description = "Serve the HTTP gateway here instead of the config's gateway.listen (\"\" for none).")
  String gatewayListen;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    NodeHome home = homeOption.home();
    if (!home.isInitialized()) {
      out.println("No node home at " + home.dir() + "; creating one with a new identity.");
      home.init(NodeConfig.defaults());
    }
    DaemonFile daemonFile = DaemonFile.lock(home);
    NodeConfig config = home.loadConfig();
    if (listen != null && !listen.isEmpty()) {
      config = config.withListen(listen);
    }
    Node node;
    Repo repo;
    try {
      repo = Repo.open(home, config);
      try {
        node = Node.start(home.loadKey(), config, repo.blocks());
      } catch (RuntimeException | IOException e) {
        repo.close();
        throw e;
      }
    } catch (RuntimeException | IOException e) {
      daemonFile.close();
      throw e;
    }
    Reprovider reprovider = Reprovider.start(node, repo);
    String gatewayAddress = gatewayListen != null ? gatewayListen : config.gateway().listen();
    Gateway gateway = null;
    InetSocketAddress gatewayBound = null;
    if (!gatewayAddress.isEmpty()) {
      gateway = new Gateway(repo.blocks(), GatewayOptions.defaults());
      try {
        gatewayBound = gateway.start(Multiaddr.parse(gatewayAddress).toSocketAddress());
      } catch (IOException | RuntimeException e) {
        gateway.close();
        node.close();
        repo.close();
        daemonFile.close();
        throw e;
      }
    }
    Gateway runningGateway = gateway;
    daemonFile.publish(new DaemonFile.Info(ProcessHandle.current().pid(), node.peerId().toString(),
        node.dialableAddresses().stream().map(Object::toString).toList()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      reprovider.close();
      if (runningGateway != null) {
        runningGateway.close();
      }
      node.close();
      try {
        repo.close();
        daemonFile.close();
      } catch (IOException e) {
        System.err.println("could not remove the daemon file: " + e.getMessage());
      }
      stopped.countDown();
    }, "mycel-shutdown"));
    out.println("Mycel " + Version.version() + " daemon running");
    out.println("peer id: " + node.peerId());
    out.println("serving " + repo.pins().size() + " pins, " + repo.blocks().stats().blocks()
        + " blocks over Bitswap");
    out.println("swarm addresses:");
    node.dialableAddresses().forEach(a -> out.println("  " + a));
    if (gatewayBound != null) {
      out.println("gateway: http://" + gatewayBound.getHostString() + ":" + gatewayBound.getPort() + "/ipfs/<cid>");
    }
    out.println("Daemon is ready");
    out.flush();
    stopped.await();
    return 0;
  }
}
