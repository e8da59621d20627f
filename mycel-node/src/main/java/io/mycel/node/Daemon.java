package io.mycel.node;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.node.api.ApiOptions;
import io.mycel.node.api.ApiServer;
import io.mycel.node.api.NodeApi;
import io.mycel.node.gateway.Gateway;
import io.mycel.node.gateway.GatewayOptions;
import io.mycel.node.site.Dashboard;
import io.mycel.node.site.SiteApi;
import io.mycel.node.site.SiteAnnouncer;
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
  private final ApiServer api;
  private final Sites sites;
  private final SiteAnnouncer siteAnnouncer;

  private Daemon(NodeHome home, DaemonFile daemonFile, Repo repo, Node node, Reprovider reprovider,
      Gateway gateway, InetSocketAddress gatewayAddress, ApiServer api) {
    this.home = home;
    this.daemonFile = daemonFile;
    this.repo = repo;
    this.node = node;
    this.reprovider = reprovider;
    this.gateway = gateway;
    this.gatewayAddress = gatewayAddress;
    this.api = api;
    this.sites = new Sites(home, repo);
    this.siteAnnouncer = SiteAnnouncer.start(node, sites);
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
    ApiServer api = null;
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
      if (!config.api().listen().isEmpty()) {
        api = new ApiServer(ApiOptions.withToken(config.api().token()));
        api.start(Multiaddr.parse(config.api().listen()).toSocketAddress());
      }
      Daemon daemon = new Daemon(home, daemonFile, repo, node, reprovider, gateway, bound, api);
      if (api != null) {
        NodeApi.register(api.routes(), daemon);
        SiteApi.register(api.routes(), daemon);
        Dashboard.register(api.routes());
      }
      daemonFile.publish(new DaemonFile.Info(ProcessHandle.current().pid(), node.peerId().toString(),
          node.dialableAddresses().stream().map(Object::toString).toList(),
          api == null ? null : api.url(), daemon.gatewayUrl()));
      return daemon;
    } catch (IOException | RuntimeException e) {
      closeQuietly(api, gateway, reprovider, node, repo, daemonFile, e);
      throw e;
    }
  }

  private static void closeQuietly(ApiServer api, Gateway gateway, Reprovider reprovider,
      Node node, Repo repo, DaemonFile daemonFile, Exception failure) {
    if (api != null) {
      api.close();
    }
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

  /**
   * The daemon's HTTP API, or null when it runs none; others add their routes with
   * {@code daemon.api().routes().add(...)}.
   */
  public ApiServer api() {
    return api;
  }

  /** The sites this home publishes (see {@code mycel site}). */
  public Sites sites() {
    return sites;
  }

  /** The API's base URL (e.g. {@code http://127.0.0.1:7070}), or null when it runs none. */
  public String apiUrl() {
    return api == null ? null : api.url();
  }

  /** The gateway's base URL (e.g. {@code http://127.0.0.1:8180}), or null when it runs none. */
  public String gatewayUrl() {
    if (gatewayAddress == null) {
      return null;
    }
    java.net.InetAddress address = gatewayAddress.getAddress();
    String host = address.isAnyLocalAddress()
        ? (address instanceof java.net.Inet6Address ? "[::1]" : "127.0.0.1")
        : address instanceof java.net.Inet6Address ? "[" + address.getHostAddress() + "]"
        : address.getHostAddress();
    return "http://" + host + ":" + gatewayAddress.getPort();
  }

  /**
   * Stops the API, the gateway, the reprovider and the node, closes the repository, releases
   * the lock.
   */
  @Override
  public void close() {
    siteAnnouncer.close();
    closeQuietly(api, gateway, reprovider, node, repo, daemonFile, null);
  }
}
