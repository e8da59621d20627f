package io.mycel.node;

import io.mycel.content.bitswap.Bitswap;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Host;
import io.mycel.net.autonat.AutoNatConfig;
import io.mycel.net.autonat.AutoNatService;
import io.mycel.net.autorelay.AutoRelay;
import io.mycel.net.autorelay.AutoRelayConfig;
import io.mycel.net.dcutr.DcutrConfig;
import io.mycel.net.dcutr.DcutrService;
import io.mycel.net.host.NettyHost;
import io.mycel.net.identify.IdentifyService;
import io.mycel.net.ping.PingService;
import io.mycel.net.relay.RelayClient;
import io.mycel.net.relay.RelayService;
import io.mycel.routing.ipns.IpnsRecordValidator;
import io.mycel.routing.kad.KadConfig;
import io.mycel.routing.kad.KadDht;
import io.mycel.routing.mdns.DiscoveredPeer;
import io.mycel.routing.mdns.MdnsConfig;
import io.mycel.routing.mdns.MdnsDiscovery;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Mycel node: the libp2p host with identify, ping, Bitswap, the Kademlia DHT and
 * Circuit Relay v2 (the client always, the relay when configured).
 */
public final class Node implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  /** Peers found by mDNS dialed at once at most; the others are dialed when announced again. */
  public static final int MAX_MDNS_DIALS = 16;

  private final NettyHost host;
  private final IdentifyService identify;
  private final PingService ping;
  private final Blockstore blocks;
  private final Bitswap bitswap;
  private final KadDht dht;
  private final AutoNatService autonat;
  private AutoRelay autoRelay;
  private DcutrService dcutr;
  private final RelayClient relayClient;
  private RelayService relayService;
  private final CompletableFuture<Void> joined = new CompletableFuture<>();
  private final Set<PeerId> mdnsDialing = ConcurrentHashMap.newKeySet();
  private MdnsDiscovery mdns;

  private Node(NettyHost host, Blockstore blocks, Path dhtDir, NodeConfig.Nat nat) {
    this.host = host;
    this.identify = new IdentifyService(host);
    this.ping = new PingService(host);
    this.blocks = blocks;
    this.bitswap = new Bitswap(host, blocks);
    Clock clock = Clock.systemUTC();
    this.dht = new KadDht(host, KadConfig.DEFAULT, clock,
        Map.of(IpnsRecordValidator.NAMESPACE, new IpnsRecordValidator(clock)), dhtDir);
    this.autonat = new AutoNatService(host, AutoNatConfig.DEFAULT
        .withServe(nat.autonat())
        .withPrivateAddresses(nat.autonatPrivateAddresses()));
    this.relayClient = new RelayClient(host);
  }

  /** Starts a node that serves no stored content (its block store is in memory). */
  public static Node start(PrivateKey key, NodeConfig config) {
    return start(key, config, new MemoryBlockstore());
  }

  /**
   * Starts a node with {@code key} and {@code config} that serves {@code blocks} over Bitswap;
   * binds its listen addresses. The caller keeps ownership of {@code blocks}.
   */
  public static Node start(PrivateKey key, NodeConfig config, Blockstore blocks) {
    return start(key, config, blocks, null);
  }

  /**
   * As {@link #start(PrivateKey, NodeConfig, Blockstore)}, keeping the DHT's provider and value
   * records under {@code dhtDir} ({@code providers/} and {@code records/}) so that they survive a
   * restart; null keeps them in memory only.
   */
  public static Node start(PrivateKey key, NodeConfig config, Blockstore blocks, Path dhtDir) {
    NettyHost host = new NettyHost(key, config.toHostConfig(Version.agent()));
    Node node = new Node(host, blocks, dhtDir, config.nat());
    node.identify.start();
    node.ping.start();
    node.bitswap.start();
    node.dht.start();
    host.registry().onChange(node.identify::pushAll);
    node.relayClient.start();
    node.relayClient.onChange(node.identify::pushAll);
    if (config.relay().enabled()) {
      node.relayService = new RelayService(host, config.relay().toLimits()).start();
    }
    host.start();
    node.relayClient.keepReserved(config.relay().staticRelays().stream().map(Multiaddr::parse).toList());
    if (config.nat().autonat()) {
      node.autonat.start();
      if (config.nat().autoRelay()) {
        node.autoRelay = new AutoRelay(host, node.relayClient, node.autonat, AutoRelayConfig.DEFAULT,
            () -> node.identify.pushAll()).start();
      }
    }
    if (config.nat().holePunching()) {
      node.dcutr = new DcutrService(host,
          DcutrConfig.DEFAULT.withPrivateAddresses(config.nat().autonatPrivateAddresses()),
          node.autonat::candidateAddresses, host::dialDirect).start();
    }
    node.connectBootstrap(config.bootstrap());
    return node;
  }

  /** Joins the DHT through the configured bootstrap peers, in the background. */
  private void connectBootstrap(List<String> bootstrap) {
    if (bootstrap.isEmpty()) {
      joined.complete(null);
      return;
    }
    List<CompletableFuture<PeerId>> added = new java.util.ArrayList<>();
    for (String address : bootstrap) {
      added.add(dht.addBootstrapPeer(Multiaddr.parse(address)).whenComplete((peer, e) -> {
        if (e != null) {
          LOG.warn("bootstrap peer {} unreachable: {}", address, e.getMessage());
        }
      }));
    }
    CompletableFuture.allOf(added.stream().map(f -> f.exceptionally(e -> null))
            .toArray(CompletableFuture[]::new))
        .thenCompose(v -> dht.bootstrap())
        .whenComplete((peers, e) -> {
          if (e != null) {
            LOG.warn("joining the DHT failed: {}", e.getMessage());
          } else {
            LOG.info("joined the DHT: {} peers in the routing table", dht.routingTable().size());
          }
          joined.complete(null);
        });
  }

  /**
   * Starts finding peers on the local network by mDNS and announcing this node there: each peer
   * found that is not connected is dialed with its announced id (which the handshake checks),
   * then kept in the peer store and the DHT routing table.
   *
   * @throws IOException if no interface can join the multicast group
   * @throws IllegalStateException if mDNS already runs
   */
  public synchronized MdnsDiscovery startMdns(MdnsConfig config) throws IOException {
    if (mdns != null) {
      throw new IllegalStateException("mDNS discovery already runs on this node");
    }
    mdns = MdnsDiscovery.start(peerId(), this::dialableAddresses, config, this::discovered);
    return mdns;
  }

  /**
   * Whether one of the listen addresses is reachable from other machines: not a loopback address
   * (the daemon runs mDNS only then, so that nodes on loopback, as in tests, stay apart).
   */
  public boolean listensBeyondLoopback() {
    for (Multiaddr address : host.listenAddresses()) {
      try {
        if (!address.toSocketAddress().getAddress().isLoopbackAddress()) {
          return true;
        }
      } catch (RuntimeException notIp) {
        return true;
      }
    }
    return false;
  }

  /** The running mDNS discovery, if {@link #startMdns} was called. */
  public synchronized java.util.Optional<MdnsDiscovery> mdns() {
    return java.util.Optional.ofNullable(mdns);
  }

  private void discovered(DiscoveredPeer peer) {
    if (!host.connections(peer.peerId()).isEmpty()) {
      return;
    }
    if (mdnsDialing.size() >= MAX_MDNS_DIALS) {
      LOG.debug("mDNS: {} dials under way already; {} waits for its next announcement",
          MAX_MDNS_DIALS, peer.peerId());
      return;
    }
    if (!mdnsDialing.add(peer.peerId())) {
      return;
    }
    LOG.debug("mDNS: found {} at {}", peer.peerId(), peer.addresses());
    dialDiscovered(peer, 0).whenComplete((id, e) -> {
      mdnsDialing.remove(peer.peerId());
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
          ? e.getCause() : e;
      if (cause instanceof io.mycel.net.PeerIdMismatchException) {
        LOG.warn("mDNS: the peer announced as {} at {} is another peer: {}", peer.peerId(),
            peer.addresses(), cause.getMessage());
      } else if (e != null) {
        LOG.debug("mDNS: {} unreachable at {}: {}", peer.peerId(), peer.addresses(), e.getMessage());
      } else {
        host.peerStore().addAddresses(id, peer.addresses());
        LOG.info("mDNS: connected to {}", id);
      }
    });
  }

  /** Tries the announced addresses in turn; the id of the first that answers as the peer. */
  private CompletableFuture<PeerId> dialDiscovered(DiscoveredPeer peer, int index) {
    return dht.addBootstrapPeer(peer.addresses().get(index).withPeerId(peer.peerId()))
        .exceptionallyCompose(e -> index + 1 < peer.addresses().size()
            ? dialDiscovered(peer, index + 1)
            : CompletableFuture.failedFuture(e));
  }

  public Host host() {
    return host;
  }

  public PeerId peerId() {
    return host.peerId();
  }

  /** Bytes and streams of this node's connections, per protocol and in total. */
  public io.mycel.net.host.Traffic traffic() {
    return host.traffic();
  }

  public IdentifyService identify() {
    return identify;
  }

  public PingService ping() {
    return ping;
  }

  public Blockstore blocks() {
    return blocks;
  }

  public Bitswap bitswap() {
    return bitswap;
  }

  public KadDht dht() {
    return dht;
  }

  /** AutoRelay, when {@code nat.autoRelay} is set and AutoNAT runs. */
  public Optional<AutoRelay> autoRelay() {
    return Optional.ofNullable(autoRelay);
  }

  /** Hole punching, when {@code nat.holePunching} is set. */
  public Optional<DcutrService> dcutr() {
    return Optional.ofNullable(dcutr);
  }

  /** AutoNAT: this node's reachability as peers see it, and the dial-back server. */
  public AutoNatService autonat() {
    return autonat;
  }

  /** Reserves on relays and dials {@code /p2p-circuit} addresses; always running. */
  public RelayClient relayClient() {
    return relayClient;
  }

  /** The hop side, with its meter, when {@code relay.enabled} is set. */
  public Optional<RelayService> relayService() {
    return Optional.ofNullable(relayService);
  }

  /**
   * Announces in the DHT that this node provides each of {@code roots} (provider records expire
   * after 48 h, so the daemon repeats this on a schedule). Failures are logged.
   */
  public CompletableFuture<Void> provide(List<io.mycel.core.cid.Cid> roots) {
    List<CompletableFuture<Integer>> announcements = new java.util.ArrayList<>();
    for (var root : roots) {
      announcements.add(dht.provide(root).whenComplete((n, e) -> {
        if (e != null) {
          LOG.warn("announcing {} in the DHT failed: {}", root, e.getMessage());
        } else {
          LOG.debug("announced {} to {} peers", root, n);
        }
      }).exceptionally(e -> 0));
    }
    return CompletableFuture.allOf(announcements.toArray(CompletableFuture[]::new));
  }

  /** Completes when the node has joined the DHT through its bootstrap peers (at once without). */
  public CompletableFuture<Void> joined() {
    return joined;
  }

  /** Listen addresses, each with the {@code /p2p/<peer id>} suffix others dial. */
  public List<Multiaddr> dialableAddresses() {
    return host.listenAddresses().stream().map(a -> a.withPeerId(host.peerId())).toList();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (mdns != null) {
        mdns.close();
      }
    }
    if (autoRelay != null) {
      autoRelay.close();
    }
    if (dcutr != null) {
      dcutr.close();
    }
    autonat.close();
    relayClient.close();
    if (relayService != null) {
      relayService.close();
    }
    dht.close();
    bitswap.close();
    host.close();
  }
}
