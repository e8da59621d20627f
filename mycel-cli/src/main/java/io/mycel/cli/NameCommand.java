package io.mycel.cli;

import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.node.Keystore;
import io.mycel.node.Names;
import io.mycel.node.Node;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import io.mycel.routing.ipns.IpnsName;
import io.mycel.routing.ipns.IpnsRecord;
import io.mycel.sdk.MycelClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "name", description = "IPNS names: publish a path under a key, resolve a name to its path.",
    subcommands = {NameCommand.Publish.class, NameCommand.Resolve.class})
final class NameCommand {
  /** How long joining the DHT through the bootstrap peers may take. */
  static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

  static final String NO_BOOTSTRAP =
      "no bootstrap peers in config.json: the name can only be published to a network you can reach";

  @Command(name = "publish", description = {
      "Sign a record pointing a name at a path and store it in the DHT.",
      "Joins the DHT through the bootstrap peers of config.json with a short-lived node."})
  static final class Publish implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Parameters(paramLabel = "PATH", description = "What the name points at: /ipfs/CID[/...] or /ipns/NAME.")
    String path;

    @Option(names = {"-k", "--key"}, paramLabel = "NAME",
        description = "The key to publish under (default: ${DEFAULT-VALUE}, the node identity).")
    String key = Keystore.SELF;

    @Option(names = "--lifetime", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "How long the record stays valid, e.g. 48h, 30m, 7d (default: 48h).")
    Duration lifetime = Names.DEFAULT_LIFETIME;

    @Option(names = "--ttl", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "How long resolvers may cache the record (default: 1h).")
    Duration ttl = Names.DEFAULT_TTL;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      NodeHome home = homeOption.home();
      Names.checkPath(path);
      var daemon = Cli.daemon(home, "name publish", false);
      if (daemon.isPresent()) {
        MycelClient.NameRecord record;
        try (MycelClient client = daemon.get()) {
          record = client.namePublish(path, key, lifetime.toMillis() + "ms", ttl.toMillis() + "ms");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          out.println(Cli.JSON.writeValueAsString(record));
        } else {
          out.println("Published to " + record.name() + ": " + record.path());
          out.println("sequence " + record.sequence() + ", valid until " + record.validity()
              + ", stored on " + record.peers() + " peer(s)");
        }
        if (record.peers() != null && record.peers() == 0) {
          spec.commandLine().getErr().println(
              "warning: no DHT peer accepted the record; only this home can resolve it");
        }
        return 0;
      }
      PrivateKey signer = new Keystore(home).load(key);
      NodeConfig config = home.loadConfig();
      if (config.bootstrap().isEmpty()) {
        throw new IOException(NO_BOOTSTRAP);
      }
      Names.Publication published;
      try (Node node = startJoined(home, config)) {
        published = new Names(home).publish(node, signer, path, lifetime, ttl);
      }
      IpnsRecord record = published.record();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> result = describe(published.name(), record);
        result.put("key", key);
        result.put("peers", published.peers());
        out.println(Cli.JSON.writeValueAsString(result));
      } else {
        out.println("Published to " + published.name() + ": " + record.path());
        out.println("sequence " + Long.toUnsignedString(record.sequence()) + ", valid until "
            + record.validity() + ", stored on " + published.peers() + " peer(s)");
      }
      if (published.peers() == 0) {
        spec.commandLine().getErr().println(
            "warning: no DHT peer accepted the record; only this home can resolve it");
      }
      return 0;
    }
  }

  @Command(name = "resolve", description = {
      "Find the path a name points at, from the records this home published and the DHT.",
      "Joins the DHT through the bootstrap peers of config.json with a short-lived node."})
  static final class Resolve implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption homeOption;

    @Parameters(paramLabel = "NAME", description = "/ipns/k51..., k51..., 12D3Koo... or the name of a local key.")
    String name;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      NodeHome home = homeOption.home();
      var daemon = Cli.daemon(home, "name resolve", false);
      if (daemon.isPresent()) {
        MycelClient.NameRecord record;
        try (MycelClient client = daemon.get()) {
          record = client.nameResolve(name);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          Map<String, Object> result = new LinkedHashMap<>();
          result.put("name", record.name());
          result.put("path", record.path());
          result.put("sequence", record.sequence());
          result.put("validity", record.validity());
          result.put("ttlSeconds", record.ttlSeconds());
          out.println(Cli.JSON.writeValueAsString(result));
        } else {
          out.println(record.path());
        }
        return 0;
      }
      Keystore keys = new Keystore(home);
      IpnsName target = keys.exists(name) ? Keystore.ipnsName(keys.load(name)) : IpnsName.parse(name.trim());
      NodeConfig config = home.loadConfig();
      if (config.bootstrap().isEmpty()) {
        spec.commandLine().getErr().println("warning: no bootstrap peers in config.json: "
            + "resolving only from the records this home published");
      }
      IpnsRecord record;
      try (Node node = startJoined(home, config)) {
        record = new Names(home).resolveRecord(node, target);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Cli.JSON.writeValueAsString(describe(target, record)));
      } else {
        out.println(record.path());
      }
      return 0;
    }
  }

  private static Map<String, Object> describe(IpnsName name, IpnsRecord record) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("name", name.toString());
    result.put("path", record.path());
    result.put("sequence", Long.toUnsignedString(record.sequence()));
    result.put("validity", record.validity().toString());
    result.put("ttlSeconds", record.ttl().toSeconds());
    return result;
  }

  /**
   * Starts a node with the home's identity, listening on loopback only, and joins the DHT
   * through the config's bootstrap peers; returns once the DHT bootstrap lookup is done.
   */
  static Node startJoined(NodeHome home, NodeConfig config) throws IOException {
    // The bootstrap peers are dialled here rather than by the node, to report why none answers.
    Node node = Node.start(home.loadKey(),
        config.withListen(List.of("/ip4/127.0.0.1/tcp/0")).withBootstrap(List.of()));
    try {
      join(node, config.bootstrap());
      return node;
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private static void join(Node node, List<String> bootstrap) throws IOException {
    if (bootstrap.isEmpty()) {
      return;
    }
    List<CompletableFuture<?>> dials = new ArrayList<>();
    for (String address : bootstrap) {
      dials.add(node.dht().addBootstrapPeer(Multiaddr.parse(address)));
    }
    long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
    int reached = 0;
    String firstFailure = null;
    for (int i = 0; i < dials.size(); i++) {
      try {
        dials.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        reached++;
      } catch (ExecutionException | TimeoutException e) {
        if (firstFailure == null) {
          firstFailure = bootstrap.get(i) + ": " + Cli.describe(e instanceof TimeoutException
              ? new IOException("timed out") : e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while joining the DHT");
      }
    }
    if (reached == 0) {
      throw new IOException("none of the " + bootstrap.size()
          + " bootstrap peers in config.json could be reached (" + firstFailure + ")");
    }
    try {
      node.dht().bootstrap().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IOException("joining the DHT failed: " + Cli.describe(e));
    } catch (TimeoutException e) {
      throw new IOException("joining the DHT timed out after " + JOIN_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while joining the DHT");
    }
  }

  /** Reads {@code 48h}, {@code 30m}, {@code 90s}, {@code 500ms}, {@code 7d} or ISO-8601 ({@code PT48H}). */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
      Matcher m = SIMPLE.matcher(value.trim());
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      try {
        return Duration.parse(value.trim());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a duration: '" + value + "' (e.g. 48h, 30m, 7d)");
      }
    }
  }
}
