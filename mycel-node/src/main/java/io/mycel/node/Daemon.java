package io.mycel.node;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.node.gateway.Gateway;
import io.mycel.node.gateway.GatewayOptions;
import io.mycel.node.site.SiteRepublisher;
import io.mycel.node.site.Sites;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.OverlappingFileLockException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running daemon of one home: the home's lock and {@code daemon.json}, its repository, the node
 * (host, Bitswap, DHT with its records kept under {@code dht/}), the reprovider and the HTTP
 * gateway, which resolves {@code /ipns/} names through the node and fetches content the node
 * lacks from the network (keeping it in the repository, unpinned, as a cache). What {@code mycel daemon} runs,
 * and each node of {@code mycel devnet}.
 */
public final class Daemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
  public static final String DHT_DIR = "dht";
  /** How long the gateway looks for a block in the network before answering that it is missing. */
  public static final java.time.Duration GATEWAY_FETCH_TIMEOUT = java.time.Duration.ofSeconds(30);

  private final NodeHome home;
  private final DaemonFile daemonFile;
  private final Repo repo;
  private final Node node;
  private final Reprovider reprovider;
  private final Gateway gateway;
  private final InetSocketAddress gatewayAddress;
  private final Sites sites;
  private final SiteRepublisher siteRepublisher;

  private Daemon(NodeHome home, DaemonFile daemonFile, Repo repo, Node node, Reprovider reprovider,
      Gateway gateway, InetSocketAddress gatewayAddress) {
    this.home = home;
    this.daemonFile = daemonFile;
    this.repo = repo;
    this.node = node;
    this.reprovider = reprovider;
    this.gateway = gateway;
    this.gatewayAddress = gatewayAddress;
    this.sites = new Sites(home, repo);
    this.siteRepublisher = SiteRepublisher.start(node, sites, SiteRepublisher.DEFAULT_INTERVAL);
  }

  /**
   * Starts the daemon of {@code home} with {@code config} (the home's config with any overrides
   * applied); a gateway is started unless {@code config.gateway().listen()} is empty.
   *
   * @throws IOException when the home is locked by another daemon, or a port cannot be bound;
   *     whatever was started is stopped again
   */
  public static Daemon start(NodeHome home, NodeConfig config) throws IOException {
    DaemonFile daemonFile;
    try {
      daemonFile = DaemonFile.lock(home);
    } catch (OverlappingFileLockException e) {
      throw new IOException("a Mycel daemon of this process is already running on " + home.dir()
          + "; stop it first or use another home", e);
    }
    Repo repo = null;
    Node node = null;
    Reprovider reprovider = null;
    Gateway gateway = null;
    try {
      repo = Repo.open(home, config);
      node = Node.start(home.loadKey(), config, repo.blocks(), home.dir().resolve(DHT_DIR));
      reprovider = Reprovider.start(node, repo);
      InetSocketAddress bound = null;
      if (!config.gateway().listen().isEmpty()) {
        Names names = new Names(home);
        Node resolving = node;
        NetworkBlockstore readThrough = new NetworkBlockstore(repo.blocks(), node, GATEWAY_FETCH_TIMEOUT);
        gateway = new Gateway(readThrough, GatewayOptions.defaults(), name -> {
          try {
            return Optional.of(names.resolve(resolving, name));
          } catch (Names.NameNotFoundException e) {
            return Optional.empty();
          }
        });
        bound = gateway.start(Multiaddr.parse(config.gateway().listen()).toSocketAddress());
      }
      daemonFile.publish(new DaemonFile.Info(ProcessHandle.current().pid(), node.peerId().toString(),
          node.dialableAddresses().stream().map(Object::toString).toList()));
      return new Daemon(home, daemonFile, repo, node, reprovider, gateway, bound);
    } catch (IOException | RuntimeException e) {
      closeQuietly(gateway, reprovider, node, repo, daemonFile, e);
      throw e;
    }
  }

  private static void closeQuietly(Gateway gateway, Reprovider reprovider, Node node, Repo repo,
      DaemonFile daemonFile, Exception failure) {
    if (gateway != null) {
      gateway.close();
    }
    if (reprovider != null) {
      reprovider.close();
    }
    if (node != null) {
      node.close();
    }
    try {
      if (repo != null) {
        repo.close();
      }
      daemonFile.close();
    } catch (IOException suppressed) {
      if (failure != null) {
        failure.addSuppressed(suppressed);
      } else {
        LOG.warn("stopping the daemon of {} left something behind: {}", daemonFile, suppressed.getMessage());
      }
    }
  }

  public NodeHome home() {
    return home;
  }

  public Repo repo() {
    return repo;
  }

  public Node node() {
    return node;
  }

  public Gateway gateway() {
    return gateway;
  }

  /** Where the gateway listens, or null when this daemon runs none. */
  public InetSocketAddress gatewayAddress() {
    return gatewayAddress;
  }

  /** The sites this home publishes (see {@code mycel site}). */
  public Sites sites() {
    return sites;
  }

  /** Stops the gateway, the reprovider and the node, closes the repository, releases the lock. */
  @Override
  public void close() {
    siteRepublisher.close();
    closeQuietly(gateway, reprovider, node, repo, daemonFile, null);
  }
}
