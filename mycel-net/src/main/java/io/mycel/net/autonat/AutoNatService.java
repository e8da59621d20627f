package io.mycel.net.autonat;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.multiaddr.Protocol;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.Host;
import io.mycel.net.PeerStore;
import io.mycel.net.autonat.AutoNatMessages.DialResponse;
import io.mycel.net.autonat.ReachabilityTracker.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AutoNAT on a host: serves v1 and v2 dial-back requests (when {@link AutoNatConfig#serve()}),
 * answers v2 dial-backs, and probes this node's reachability by asking connected peers that
 * speak {@value #ID}, at boot and then periodically.
 *
 * <p>The addresses offered for dial-back are the ones peers observed this node at (identify's
 * observed address), each also with this node's listen ports (a NAT that keeps ports maps them
 * there), followed by the listen addresses.
 */
public final class AutoNatService implements AutoCloseable {

  public static final String ID = "/libp2p/autonat/1.0.0";

  private static final Logger log = LoggerFactory.getLogger(AutoNatService.class);

  private final Host host;
  private final AutoNatConfig config;
  private final AutoNatServer server;
  private final AutoNatClient client;
  private final AutoNatV2Server v2Server;
  private final AutoNatV2Client v2Client;
  private final ReachabilityTracker tracker;
  private final RandomGenerator random;
  private final List<Consumer<Status>> listeners = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService scheduler;
  private ScheduledFuture<?> next;

  public AutoNatService(Host host, AutoNatConfig config) {
    this(host, config, RandomGenerator.getDefault());
  }

  public AutoNatService(Host host, AutoNatConfig config, RandomGenerator random) {
    this.host = host;
    this.config = config;
    this.server = new AutoNatServer(host, config);
    this.client = new AutoNatClient(config.requestTimeout());
    this.v2Server = new AutoNatV2Server(host, config);
    this.v2Client = new AutoNatV2Client(host, config.requestTimeout(),
        AutoNatV2Client.DEFAULT_MAX_DIAL_DATA, random);
    this.tracker = new ReachabilityTracker(config.maxConfidence());
    this.random = random;
  }

  /** Registers the responder (if serving) and schedules the first probe round. */
  public synchronized AutoNatService start() {
    if (config.serve()) {
      host.protocols().register(ID, server);
      v2Server.start();
    }
    v2Client.start();
    if (scheduler == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(
          Thread.ofVirtual().name("mycel-autonat").factory());
      schedule(config.bootDelay());
    }
    return this;
  }

  @Override
  public synchronized void close() {
    host.protocols().unregister(ID);
    v2Server.close();
    v2Client.close();
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  /** AutoNAT v2 per-address checks: {@code v2().check(connection, addresses)}. */
  public AutoNatV2Client v2() {
    return v2Client;
  }

  /** The server side, for its counters. */
  public AutoNatServer server() {
    return server;
  }

  /** The current reachability. */
  public Status status() {
    synchronized (tracker) {
      return tracker.status();
    }
  }

  /** Called on every status change, off the I/O threads. */
  public void addListener(Consumer<Status> listener) {
    listeners.add(listener);
  }

  /** This node's addresses as connected peers observed them (identify), without duplicates. */
  public List<Multiaddr> observedAddresses() {
    LinkedHashSet<Multiaddr> observed = new LinkedHashSet<>();
    for (Connection connection : host.connections()) {
      host.peerStore().get(connection.remotePeer())
          .map(PeerStore.PeerInfo::observedAddress)
          .filter(address -> Addresses.tcpIp(address).isPresent())
          .ifPresent(address -> observed.add(address.withoutPeerId()));
    }
    return List.copyOf(observed);
  }

  /** What a probe offers peers to dial: observed addresses, at listen ports too, then listen addresses. */
  public List<Multiaddr> candidateAddresses() {
    LinkedHashSet<Multiaddr> candidates = new LinkedHashSet<>();
    List<Multiaddr> listen = host.listenAddresses();
    for (Multiaddr observed : observedAddresses()) {
      candidates.add(observed);
      for (Multiaddr local : listen) {
        local.valueOf(Protocol.TCP).ifPresent(port -> candidates.add(withPort(observed, port)));
      }
    }
    candidates.addAll(listen);
    return List.copyOf(candidates);
  }

  private static Multiaddr withPort(Multiaddr address, String port) {
    List<Multiaddr.Component> components = new ArrayList<>();
    for (Multiaddr.Component c : address.components()) {
      components.add(c.protocol() == Protocol.TCP ? Multiaddr.Component.of(Protocol.TCP, port) : c);
    }
    return Multiaddr.of(components);
  }

  /**
   * One probe round now: asks up to {@link AutoNatConfig#peersPerProbe()} connected peers that
   * speak {@value #ID}, each over its direct connection, and records their answers.
   *
   * @return the status after the round (unchanged when no peer could be asked)
   */
  public CompletableFuture<Status> probe() {
    List<Multiaddr> addresses = candidateAddresses();
    List<Connection> servers = pickServers();
    if (servers.isEmpty() || addresses.isEmpty()) {
      log.debug("AutoNAT probe skipped: {} servers, {} addresses", servers.size(), addresses.size());
      return CompletableFuture.completedFuture(status());
    }
    List<CompletableFuture<Void>> asks = new ArrayList<>();
    for (Connection connection : servers) {
      asks.add(client.request(connection, addresses).handle((answer, error) -> {
        record(connection.remotePeer(), answer, error);
        return null;
      }));
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> status());
  }

  /** Connected peers known (from identify) to answer {@value #ID}. */
  public int serverCount() {
    return serverConnections().size();
  }

  private List<Connection> pickServers() {
    List<Connection> candidates = serverConnections();
    Collections.shuffle(candidates, random);
    return candidates.subList(0, Math.min(config.peersPerProbe(), candidates.size()));
  }

  private List<Connection> serverConnections() {
    Map<PeerId, Connection> byPeer = new LinkedHashMap<>();
    for (Connection connection : host.connections()) {
      if (!connection.isOpen() || Addresses.tcpIp(connection.remoteAddress()).isEmpty()) {
        continue;
      }
      Optional<PeerStore.PeerInfo> info = host.peerStore().get(connection.remotePeer());
      if (info.isPresent() && info.get().protocols().contains(ID)) {
        byPeer.putIfAbsent(connection.remotePeer(), connection);
      }
    }
    return new ArrayList<>(byPeer.values());
  }

  private void record(PeerId server, DialResponse answer, Throwable error) {
    Status before;
    Status after;
    synchronized (tracker) {
      before = tracker.status();
      if (error != null) {
        log.debug("AutoNAT request to {} failed: {}", server, AutoNatClient.unwrap(error).toString());
        return;
      }
      switch (answer.status()) {
        case OK -> tracker.dialedBack(answer.address());
        case DIAL_ERROR -> tracker.dialFailed();
        default -> log.debug("AutoNAT server {} answered {}: {}", server, answer.status(), answer.statusText());
      }
      after = tracker.status();
    }
    if (!after.equals(before)) {
      if (after.reachability() != before.reachability()) {
        log.info("reachability {} (AutoNAT, confidence {})", after.reachability(), after.confidence());
      }
      listeners.forEach(l -> l.accept(after));
    }
  }

  private synchronized void schedule(Duration delay) {
    if (scheduler == null) {
      return;
    }
    next = scheduler.schedule(this::scheduledRound, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void scheduledRound() {
    Status status;
    try {
      status = probe().get(config.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      log.debug("AutoNAT probe round failed: {}", e.toString());
      status = status();
    }
    boolean confident = status.reachability() != Reachability.UNKNOWN
        && status.confidence() >= config.maxConfidence();
    schedule(confident ? config.refreshInterval() : config.retryInterval());
  }
}
