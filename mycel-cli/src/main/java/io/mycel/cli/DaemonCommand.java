package io.mycel.cli;

import io.mycel.node.Daemon;
import io.mycel.node.Node;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import io.mycel.node.Repo;
import io.mycel.node.Version;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
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

  @Option(names = "--api", paramLabel = "MULTIADDR",
      description = "Serve the HTTP API here instead of the config's api.listen (\"\" for none).")
  String apiListen;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    NodeHome home = homeOption.home();
    if (!home.isInitialized()) {
      out.println("No node home at " + home.dir() + "; creating one with a new identity.");
      home.init(NodeConfig.defaults());
    }
    NodeConfig config = home.loadConfig();
    if (listen != null && !listen.isEmpty()) {
      config = config.withListen(listen);
    }
    if (gatewayListen != null) {
      config = config.withGateway(gatewayListen);
    }
    if (apiListen != null) {
      config = config.withApi(apiListen);
    }
    Daemon daemon = Daemon.start(home, config);
    Node node = daemon.node();
    Repo repo = daemon.repo();
    InetSocketAddress gatewayBound = daemon.gatewayAddress();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      daemon.close();
      stopped.countDown();
    }, "mycel-shutdown"));
    out.println("Mycel " + Version.version() + " daemon running");
    out.println("peer id: " + node.peerId());
    out.println("serving " + repo.pins().size() + " pins, " + repo.blocks().stats().blocks()
        + " blocks over Bitswap");
    out.println("swarm addresses:");
    node.dialableAddresses().forEach(a -> out.println("  " + a));
    node.mdns().ifPresent(mdns -> out.println("mDNS discovery on " + mdns.interfaces().stream()
        .map(java.net.NetworkInterface::getName).toList()));
    if (gatewayBound != null) {
      out.println("gateway: http://" + gatewayBound.getHostString() + ":" + gatewayBound.getPort() + "/ipfs/<cid>");
    }
    if (daemon.apiUrl() != null) {
      out.println("API: " + daemon.apiUrl() + "/api/v0/");
    }
    out.println("Daemon is ready");
    out.flush();
    stopped.await();
    return 0;
  }
}
