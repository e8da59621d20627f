package io.mycel.cli;

import io.mycel.node.Devnet;
import io.mycel.node.Version;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mycel devnet}: a local network of full nodes in this process, each in its own home
 * {@code DIR/node-i} with its swarm, gateway and API (with the dashboard) on free loopback ports,
 * until stopped (Ctrl-C or an interrupt of the running thread).
 */
@Command(name = "devnet",
    description = {
      "Run a local network of N full nodes in this process.",
      "Each has its own home DIR/node-i and its swarm, gateway and API (dashboard)",
      "on free 127.0.0.1 ports; nodes 2..N join through node 1. Other commands",
      "drive node i with MYCEL_HOME=DIR/node-i. Runs until stopped (Ctrl-C)."
    })
final class DevnetCommand implements Callable<Integer> {
  static final int DEFAULT_NODES = 3;

  @Spec CommandSpec spec;

  @Option(names = "--nodes", paramLabel = "N",
      description = "Number of nodes, " + Devnet.MIN_NODES + " to " + Devnet.MAX_NODES
          + " (default: " + DEFAULT_NODES + ").")
  int nodes = DEFAULT_NODES;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Folder of the node homes (default: a new temporary folder).")
  Path dir;

  @Option(names = "--json", description = "Print the nodes as JSON once the network is ready.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (nodes < Devnet.MIN_NODES || nodes > Devnet.MAX_NODES) {
      throw new ParameterException(spec.commandLine(), "--nodes must be between " + Devnet.MIN_NODES
          + " and " + Devnet.MAX_NODES + ", was " + nodes);
    }
    PrintWriter out = spec.commandLine().getOut();
    Path root = dir != null ? dir : Files.createTempDirectory("mycel-devnet-");
    Devnet devnet = Devnet.start(root, nodes);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread shutdownHook = new Thread(() -> {
      stop(devnet);
      stopped.countDown();
    }, "mycel-devnet-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      if (json) {
        out.println(Cli.JSON.writeValueAsString(describe(devnet)));
      } else {
        printTable(out, devnet);
      }
      out.flush();
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (stopped.getCount() > 0) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is already running and stops the network
        }
        boolean interrupted = Thread.interrupted();
        stop(devnet);
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
    return 0;
  }

  private static void stop(Devnet devnet) {
    try {
      devnet.close();
    } catch (Exception e) {
      System.err.println("stopping the devnet: " + Cli.describe(e));
    }
  }

  private static Map<String, Object> describe(Devnet devnet) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("dir", devnet.dir().toString());
    result.put("nodes", devnet.nodes().stream().map(DevnetCommand::describe).toList());
    return result;
  }

  private static Map<String, Object> describe(Devnet.Member member) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("node", member.number());
    node.put("peerId", member.peerId().toString());
    node.put("swarmAddress", member.swarmAddress().toString());
    node.put("gatewayUrl", member.gatewayUrl());
    node.put("apiUrl", member.apiUrl());
    node.put("dashboardUrl", member.dashboardUrl());
    node.put("home", member.home().dir().toString());
    return node;
  }

  private static void printTable(PrintWriter out, Devnet devnet) {
    out.println("Mycel " + Version.version() + " devnet of " + devnet.nodes().size() + " nodes in "
        + devnet.dir());
    for (Devnet.Member member : devnet.nodes()) {
      out.println();
      out.println("node " + member.number() + "  " + member.peerId());
      out.println("  dashboard  " + member.dashboardUrl());
      out.println("  gateway    " + member.gatewayUrl() + "/ipfs/<cid>  " + member.gatewayUrl()
          + "/ipns/<name>");
      out.println("  swarm      " + member.swarmAddress());
      out.println("  home       " + member.home().dir());
    }
    out.println();
    out.println("Drive node i from another terminal with MYCEL_HOME=" + devnet.dir()
        + "/node-i mycel ...");
    out.println("Ctrl-C stops the network");
  }
}
