package io.mycel.cli;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.Host;
import io.mycel.net.host.HostConfig;
import io.mycel.net.host.NettyHost;
import io.mycel.net.ping.PingService;
import io.mycel.node.Node;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import io.mycel.node.Version;
import io.mycel.sdk.MycelClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ping", description = "Measure round trips to a peer with the libp2p ping protocol.")
final class PingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HomeOption homeOption;

  @Parameters(paramLabel = "MULTIADDR|PEERID", description = "The peer's address, e.g. /ip4/127.0.0.1/tcp/4101/p2p/12D3KooW..., or its peer id alone (found through the DHT).")
  String address;

  @Option(names = {"-n", "--count"}, description = "Number of pings (default ${DEFAULT-VALUE}).")
  int count = 5;

  @Option(names = "--interval-ms", description = "Pause between pings in ms (default ${DEFAULT-VALUE}).")
  long intervalMs = 1000;

  @Option(names = "--timeout-ms", description = "Give up connecting or on one ping after this (default ${DEFAULT-VALUE}).")
  long timeoutMs = 10_000;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  /** A started host, closed with the command. */
  private record HostHolder(NettyHost host) implements AutoCloseable {
    @Override
    public void close() {
      host.close();
    }
  }

  private static AutoCloseable startHost(PrivateKey key) {
    return new HostHolder(new NettyHost(key, HostConfig.defaults(List.of(), Version.agent())).start());
  }

  /** A node that joins the DHT through the home's bootstrap peers, to find a peer by its id. */
  private static AutoCloseable startNode(NodeHome home, PrivateKey key) throws java.io.IOException {
    NodeConfig config = home.loadConfig();
    if (config.bootstrap().isEmpty()) {
      throw new java.io.IOException("to find a peer by its id, config.json needs bootstrap peers; "
          + "or ping its address: /ip4/…/tcp/…/p2p/<peer id>");
    }
    return Node.start(key, config.withListen(List.of()));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    NodeHome home = homeOption.home();
    var daemon = Cli.daemon(home, "ping", true);
    if (daemon.isPresent()) {
      MycelClient.PingResult result;
      try (MycelClient client = daemon.get()) {
        result = client.ping(address, count, intervalMs, timeoutMs);
      }
      if (json) {
        out.println(Cli.JSON.writeValueAsString(result));
      } else {
        out.printf("Connected to %s in %.2f ms (through the daemon)%n", result.peerId(),
            result.connectMs());
        for (double ms : result.rttMs()) {
          out.printf("Pong from %s: time=%.3f ms%n", result.peerId(), ms);
        }
        out.printf("%d pings: min %.3f ms, avg %.3f ms, max %.3f ms%n", result.rttMs().size(),
            result.minMs(), result.avgMs(), result.maxMs());
      }
      return 0;
    }
    PrivateKey key = home.isInitialized() ? home.loadKey() : Ed25519.generate();
    boolean byPeerId = !address.startsWith("/");
    try (AutoCloseable running = byPeerId ? startNode(home, key) : startHost(key)) {
      Host host = running instanceof Node node ? node.host() : ((HostHolder) running).host();
      if (byPeerId) {
        PeerId peer = PeerId.parse(address);
        Node node = (Node) running;
        node.joined().get(timeoutMs, TimeUnit.MILLISECONDS);
        node.dht().findClosestPeers(peer.bytes()).get(timeoutMs, TimeUnit.MILLISECONDS);
        if (host.peerStore().get(peer).map(i -> i.addresses().isEmpty()).orElse(true)) {
          throw new java.io.IOException("no address of " + peer + " found in the DHT");
        }
      }
      long started = System.nanoTime();
      Connection connection = (byPeerId ? host.dial(PeerId.parse(address))
          : host.dial(Multiaddr.parse(address))).get(timeoutMs, TimeUnit.MILLISECONDS);
      double connectMs = (System.nanoTime() - started) / 1e6;
      if (!json) {
        out.printf("Connected to %s in %.2f ms (%s, %s)%n", connection.remotePeer(), connectMs,
            connection.securityProtocol(), connection.muxerProtocol());
        out.flush();
      }
      List<Double> rtts = new ArrayList<>();
      try (PingService.PingSession session = PingService.open(connection, timeoutMs)) {
        for (int i = 0; i < count; i++) {
          if (i > 0) {
            Thread.sleep(intervalMs);
          }
          Duration rtt = session.ping();
          double ms = rtt.toNanos() / 1e6;
          rtts.add(ms);
          if (!json) {
            out.printf("Pong from %s: time=%.3f ms%n", connection.remotePeer(), ms);
            out.flush();
          }
        }
      }
      double min = rtts.stream().mapToDouble(d -> d).min().orElse(0);
      double max = rtts.stream().mapToDouble(d -> d).max().orElse(0);
      double avg = rtts.stream().mapToDouble(d -> d).average().orElse(0);
      if (json) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("peerId", connection.remotePeer().toString());
        result.put("connectMs", connectMs);
        result.put("rttMs", rtts);
        result.put("minMs", min);
        result.put("avgMs", avg);
        result.put("maxMs", max);
        out.println(Cli.JSON.writeValueAsString(result));
      } else {
        out.printf("%d pings: min %.3f ms, avg %.3f ms, max %.3f ms%n", rtts.size(), min, avg, max);
      }
      connection.close();
    }
    return 0;
  }
}
