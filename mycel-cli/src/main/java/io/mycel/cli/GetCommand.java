package io.mycel.cli;

import io.mycel.content.bitswap.DagFetchResult;
import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.tar.TarReader;
import io.mycel.node.Fetcher;
import io.mycel.node.Node;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import io.mycel.node.Repo;
import io.mycel.sdk.MycelClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

@Command(name = "get", description = "Save a file or folder to disk, from the repository or fetched from peers over Bitswap.")
final class GetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HomeOption homeOption;

  @Parameters(paramLabel = "CID", description = "A CID, or CID/path/inside/a/folder.")
  String target;

  @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Where to write it (default: the CID, in the current folder).")
  Path output;

  @Option(names = "--peer", paramLabel = "MULTIADDR",
      description = "Fetch missing blocks from this peer over Bitswap (repeatable), e.g. /ip4/127.0.0.1/tcp/4101/p2p/12D3KooW...")
  List<String> peers = new ArrayList<>();

  @Option(names = "--timeout-s", description = "Give up fetching after this many seconds (default ${DEFAULT-VALUE}).")
  long timeoutSeconds = 120;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  /** Joins the DHT through the config's bootstrap peers and fetches {@code root} from its providers. */
  private void fetchThroughDht(NodeHome home, Repo repo, Cid root, PrintWriter out) throws Exception {
    NodeConfig config = home.loadConfig();
    if (config.bootstrap().isEmpty()) {
      throw new java.io.IOException(root + " is not in the repository, and config.json lists no bootstrap "
          + "peers to look for providers through; add some, or give --peer MULTIADDR");
    }
    PrivateKey key = home.isInitialized() ? home.loadKey() : Ed25519.generate();
    try (Node node = Node.start(key, config.withListen(List.of()), repo.blocks())) {
      node.joined().get(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS);
      DagFetchResult fetched = Fetcher.fetchFromProviders(node, repo.gc(), root,
          Duration.ofSeconds(timeoutSeconds));
      if (!json) {
        out.println("fetched " + fetched.fetched() + " of " + fetched.blocks() + " blocks ("
            + Progress.bytes(fetched.bytes()) + ") from providers found in the DHT");
      }
    }
  }

  /**
   * The daemon sends the entry as a tar stream (fetching what its repository lacks from the
   * network); it is unpacked next to the destination and moved into place.
   */
  private int getThroughDaemon(MycelClient client, PrintWriter out) throws Exception {
    Path scratch = null;
    try (InputStream in = client.get(target)) {
      // Unpacked beside the destination, so that the final move stays on one file system.
      Path parentDir = output != null ? output.toAbsolutePath().getParent()
          : Path.of("").toAbsolutePath();
      scratch = Files.createTempDirectory(parentDir, ".mycel-get-");
      long bytes = new TarReader(in).extractTo(scratch);
      Path top;
      try (var entries = Files.list(scratch)) {
        top = entries.findFirst().orElseThrow(() -> new IOException(
            "the daemon sent an empty answer for " + target));
      }
      String cid = top.getFileName().toString();
      Path destination = output != null ? output : Path.of(cid);
      if (Files.exists(destination, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(destination + " already exists; choose another output path");
      }
      Files.move(top, destination, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cid", cid);
        m.put("path", destination.toString());
        m.put("bytes", bytes);
        out.println(Cli.JSON.writeValueAsString(m));
      } else {
        out.println("saved " + cid + " to " + destination + " (" + Progress.bytes(bytes) + ")");
      }
      return 0;
    } finally {
      if (scratch != null) {
        deleteTree(scratch);
      }
    }
  }

  /**
   * Has the daemon connect to the {@code --peer}s (by pinging each once), so that it asks them
   * for the blocks it lacks; fails only when none can be reached.
   */
  private void connectDaemon(MycelClient client) throws IOException {
    String firstFailure = null;
    int reached = 0;
    for (String peer : peers) {
      try {
        client.ping(peer, 1, 0, Math.min(300_000, timeoutSeconds * 1000));
        reached++;
      } catch (io.mycel.sdk.MycelApiException e) {
        if (firstFailure == null) {
          firstFailure = peer + ": " + e.getMessage();
        }
      }
    }
    if (!peers.isEmpty() && reached == 0) {
      throw new IOException("the daemon could reach none of the --peer addresses ("
          + firstFailure + ")");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    NodeHome home = homeOption.home();
    PrintWriter out = spec.commandLine().getOut();
    var daemon = Cli.daemon(home, "get", false);
    if (daemon.isPresent()) {
      try (MycelClient client = daemon.get()) {
        connectDaemon(client);
        return getThroughDaemon(client, out);
      }
    }
    try (Repo repo = Repo.open(home, home.loadConfig())) {
      if (!peers.isEmpty()) {
        Cid root = Cli.parseCid(Cli.rootOf(target));
        PrivateKey key = home.isInitialized() ? home.loadKey() : Ed25519.generate();
        DagFetchResult fetched = Fetcher.fetch(repo, key, root,
            peers.stream().map(Multiaddr::parse).toList(), Duration.ofSeconds(timeoutSeconds));
        if (!json) {
          out.println("fetched " + fetched.fetched() + " of " + fetched.blocks() + " blocks ("
              + Progress.bytes(fetched.bytes()) + ") in " + fetched.elapsed().toMillis() + " ms");
        }
      }
      Cid root = Cli.parseCid(Cli.rootOf(target));
      if (peers.isEmpty() && !repo.blocks().has(root)) {
        Cli.refuseWhileDaemonRuns(home, "get (fetching from the network)");
        fetchThroughDht(home, repo, root, out);
      }
      Cid cid = Cli.resolve(repo, target);
      Path destination = output != null ? output : Path.of(cid.toString());
      long bytes = repo.export(cid, destination);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cid", cid.toString());
        m.put("path", destination.toString());
        m.put("bytes", bytes);
        out.println(Cli.JSON.writeValueAsString(m));
      } else {
        out.println("saved " + cid + " to " + destination + " (" + Progress.bytes(bytes) + ")");
      }
    }
    return 0;
  }
}
