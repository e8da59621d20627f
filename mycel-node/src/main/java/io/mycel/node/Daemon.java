package io.mycel.node;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.node.api.ApiOptions;
import io.mycel.node.api.ApiServer;
import io.mycel.node.api.NodeApi;
import io.mycel.node.gateway.Gateway;
import io.mycel.node.gateway.GatewayOptions;
import io.mycel.node.site.Dashboard;
import io.mycel.node.site.SiteAnnouncer;
import io.mycel.node.site.SiteApi;
import io.mycel.node.site.Sites;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.OverlappingFileLockException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running daemon of one home: the home's lock and {@code daemon.json}, its repository, the node
 * (host, Bitswap, DHT with its records kept under {@code dht/}, mDNS discovery when configured),
 * the reprovider, the {@link Republisher} of the home's IPNS names and the HTTP
 * gateway, which resolves {@code /ipns/} names through the node and fetches content the node
 * lacks from the network, from several providers at once, nearest first (keeping it in the
 * repository, unpinned, as a cache within {@code gateway.cacheQuotaBytes}, and announcing the
 * roots it caches as long as they stay; see {@link BlockCache}). What {@code mycel daemon} runs,
 * and each node of {@code mycel devnet}.
 */
public final class Daemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
  public static final String DHT_DIR = "dht";
  /** How long the gateway looks for a block in the network before answering that it is missing. */
  public static final java.time.Duration GATEWAY_FETCH_TIMEOUT = java.time.Duration.ofSeconds(30);
  /** How often the daemon refreshes {@link NetStatus#FILE}. */
  public static final java.time.Duration NET_STATUS_INTERVAL = java.time.Duration.ofSeconds(2);

  private final NodeHome home;
  private final DaemonFile daemonFile;
  // Each part is set as it starts; stop() closes those that started, the last started first.
  private Repo repo;
  private BlockCache cache;
  private Node node;
  private NetworkBlockstore readThrough;
  private Reprovider reprovider;
  private Republisher republisher;
  private Gateway gateway;
  private InetSocketAddress gatewayAddress;
  private ApiServer api;
  private java.util.concurrent.ScheduledExecutorService netStatus;
  private io.mycel.node.metrics.BandwidthSampler bandwidth;
  private io.mycel.node.metrics.NodeMetrics metrics;
  private Sites sites;
  private SiteAnnouncer siteAnnouncer;

  private Daemon(NodeHome home, DaemonFile daemonFile) {
    this.home = home;
    this.daemonFile = daemonFile;
  }

  /**
   * Starts the daemon of {@code home} with {@code config} (the home's config with any overrides
   * applied); a gateway is started unless {@code config.gateway().listen()} is empty, an API
   * unless {@code config.api().listen()} is.
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
    Daemon daemon = new Daemon(home, daemonFile);
    try {
      daemon.startParts(config);
      return daemon;
    } catch (IOException | RuntimeException e) {
      daemon.stop(e);
      throw e;
    }
  }

  private void startParts(NodeConfig config) throws IOException {
    repo = Repo.open(home, config);
    cache = BlockCache.open(repo.fsBlocks(), repo.gc(), config.gateway().cacheQuotaBytes(),
        home.dir().resolve(BlockCache.INDEX_FILE));
    node = Node.start(home.loadKey(), config, cache.blockstore(), home.dir().resolve(DHT_DIR));
    cache.announceThrough(node::provide);
    reprovider = Reprovider.start(node, repo, cache::roots);
    netStatus = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
        Thread.ofVirtual().name("mycel-net-status").factory());
    netStatus.scheduleWithFixedDelay(this::writeNetStatus, 0, NET_STATUS_INTERVAL.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
    node.autonat().addListener(status -> netStatus.execute(this::writeNetStatus));
    republisher = Republisher.start(node, new Names(home), new Keystore(home),
        Republisher.Options.DEFAULT);
    if (config.discovery().mdns() && !node.listensBeyondLoopback()) {
      LOG.info("mDNS discovery is off: the node listens on loopback only, which no other machine"
          + " of the network can reach");
    } else if (config.discovery().mdns()) {
      try {
        node.startMdns(io.mycel.routing.mdns.MdnsConfig.DEFAULT.withInterval(
            java.time.Duration.ofMillis(config.discovery().mdnsIntervalMs())));
      } catch (IOException e) {
        LOG.warn("mDNS discovery is off: {}", e.getMessage());
      }
    }
    if (!config.gateway().listen().isEmpty()) {
      Names names = new Names(home);
      Node resolving = node;
      readThrough = new NetworkBlockstore(cache.blockstore(), node, GATEWAY_FETCH_TIMEOUT);
      gateway = new Gateway(readThrough, GatewayOptions.defaults(), null, name -> {
        try {
          return Optional.of(names.resolve(resolving, name));
        } catch (Names.NameNotFoundException e) {
          return Optional.empty();
        }
      }, cache::served);
      gatewayAddress = gateway.start(Multiaddr.parse(config.gateway().listen()).toSocketAddress());
    }
    sites = new Sites(home, repo);
    siteAnnouncer = SiteAnnouncer.start(node, sites);
    metrics = new io.mycel.node.metrics.NodeMetrics(node, repo, gateway, cache);
    bandwidth = new io.mycel.node.metrics.BandwidthSampler(node.traffic()::connections,
        java.time.Clock.systemUTC()).start();
    if (!config.api().listen().isEmpty()) {
      api = new ApiServer(ApiOptions.withToken(config.api().token()));
      api.start(Multiaddr.parse(config.api().listen()).toSocketAddress());
      NodeApi.register(api.routes(), this);
      io.mycel.node.metrics.MetricsApi.register(api.routes(), this);
      SiteApi.register(api.routes(), this);
      Dashboard.register(api.routes());
    }
    daemonFile.publish(new DaemonFile.Info(ProcessHandle.current().pid(), node.peerId().toString(),
        node.dialableAddresses().stream().map(Object::toString).toList(),
        apiUrl(), gatewayUrl()));
  }

  /** Writes {@link NetStatus#FILE} for {@code mycel net status}. */
  private void writeNetStatus() {
    try {
      NetStatus.of(node).write(home);
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot write {}: {}", NetStatus.FILE, e.toString());
    }
  }

  /** Closes every part that started, the last started first; then releases the lock. */
  private void stop(Exception failure) {
    if (api != null) {
      try {
        daemonFile.withdrawApi();
      } catch (IOException e) {
        LOG.warn("cannot remove the api file of {}: {}", daemonFile, e.getMessage());
      }
      api.close();
    }
    if (bandwidth != null) {
      bandwidth.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (readThrough != null) {
      readThrough.close();
    }
    if (siteAnnouncer != null) {
      siteAnnouncer.close();
    }
    if (republisher != null) {
      republisher.close();
    }
    if (netStatus != null) {
      netStatus.shutdownNow();
      try {
        netStatus.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
        NetStatus.delete(home);
      } catch (IOException e) {
        LOG.debug("cannot remove {}: {}", NetStatus.FILE, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (reprovider != null) {
      reprovider.close();
    }
    if (node != null) {
      node.close();
    }
    if (cache != null) {
      cache.close();
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

  /** The sites this home publishes (see {@code mycel site}). */
  public Sites sites() {
    return sites;
  }

  public Gateway gateway() {
    return gateway;
  }

  /** The gateway's cache of unpinned blocks within {@code gateway.cacheQuotaBytes}. */
  public BlockCache cache() {
    return cache;
  }

  /** The block store the gateway reads through to the network, or null without a gateway. */
  public NetworkBlockstore readThrough() {
    return readThrough;
  }

  /** Where the gateway listens, or null when this daemon runs none. */
  public InetSocketAddress gatewayAddress() {
    return gatewayAddress;
  }

  /** The node's metrics: Prometheus text for {@code /metrics}, and the stats at a glance. */
  public io.mycel.node.metrics.NodeMetrics metrics() {
    return metrics;
  }

  /** The bandwidth now and over the last hour, sampled since the daemon started. */
  public io.mycel.node.metrics.BandwidthSampler bandwidth() {
    return bandwidth;
  }

  /**
   * The daemon's HTTP API, or null when it runs none; others add their routes with
   * {@code daemon.api().routes().add(...)}.
   */
  public ApiServer api() {
    return api;
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
    return HttpUrls.base(gatewayAddress);
  }

  /**
   * Stops the API, the gateway, the reprovider and the node, closes the repository, releases
   * the lock.
   */
  @Override
  public void close() {
    stop(null);
  }
}
