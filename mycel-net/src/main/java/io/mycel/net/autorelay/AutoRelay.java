package io.mycel.net.autorelay;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Host;
import io.mycel.net.PeerStore;
import io.mycel.net.autonat.Addresses;
import io.mycel.net.autonat.AutoNatService;
import io.mycel.net.autonat.Reachability;
import io.mycel.net.relay.RelayClient;
import io.mycel.net.relay.RelayService;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link AutoRelayConfig#desiredRelays()} relay reservations while this node is not
 * publicly reachable: when AutoNAT reports {@link Reachability#PRIVATE} (or at once, without
 * {@link AutoRelayConfig#onlyWhenPrivate()}), it reserves on the configured relays first, then on
 * known peers that announced {@value RelayService#HOP} (peers met through the DHT or otherwise,
 * as identify reported them), and lets the {@link RelayClient} renew them. The client adds the
 * circuit addresses to what the host advertises; {@code onAddressesChanged} runs after each new
 * reservation so that identify can push them.
 */
public final class AutoRelay implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AutoRelay.class);

  private final Host host;
  private final RelayClient client;
  private final AutoNatService autonat;
  private final AutoRelayConfig config;
  private final Runnable onAddressesChanged;
  private final InstantSource clock;
  private final Set<PeerId> maintained = ConcurrentHashMap.newKeySet();
  private final Map<PeerId, Instant> failedUntil = new ConcurrentHashMap<>();
  private ScheduledExecutorService scheduler;

  public AutoRelay(Host host, RelayClient client, AutoNatService autonat, AutoRelayConfig config,
      Runnable onAddressesChanged) {
    this(host, client, autonat, config, onAddressesChanged, InstantSource.system());
  }

  public AutoRelay(Host host, RelayClient client, AutoNatService autonat, AutoRelayConfig config,
      Runnable onAddressesChanged, InstantSource clock) {
    this.host = host;
    this.client = client;
    this.autonat = autonat;
    this.config = config;
    this.onAddressesChanged = onAddressesChanged;
    this.clock = clock;
  }

  /** Tops up reservations on every reachability change and every check interval. */
  public synchronized AutoRelay start() {
    if (scheduler == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(
          Thread.ofVirtual().name("mycel-autorelay").factory());
      autonat.addListener(status -> {
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown()) {
          s.execute(this::check);
        }
      });
      scheduler.scheduleWithFixedDelay(this::check, 0, config.checkInterval().toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return this;
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  /** Relays this node holds a reservation on now. */
  public List<PeerId> relays() {
    return client.reservations().stream().map(RelayClient.Reservation::relay).toList();
  }

  /** Whether this node should hold reservations now. */
  boolean wanted() {
    return !config.onlyWhenPrivate() || autonat.status().reachability() == Reachability.PRIVATE;
  }

  /** One round: reserve on candidates until the desired count is held. Runs on the scheduler. */
  void check() {
    try {
      if (!wanted()) {
        return;
      }
      int held = client.reservations().size();
      for (Multiaddr candidate : candidates()) {
        if (held >= config.desiredRelays()) {
          return;
        }
        PeerId relay = candidate.peerId().orElseThrow();
        try {
          client.reserve(candidate).get(RelayClient.REQUEST_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
          held++;
          if (maintained.add(relay)) {
            client.keepReserved(List.of(candidate));
          }
          log.info("holding a reservation on relay {} ({} of {})", relay, held, config.desiredRelays());
          onAddressesChanged.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Exception e) {
          failedUntil.put(relay, clock.instant().plus(config.backoff()));
          log.info("relay {} gave no reservation: {}", relay,
              e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
      }
    } catch (RuntimeException e) {
      log.warn("AutoRelay round failed: {}", e.toString());
    }
  }

  /** Configured relays, then known peers announcing the hop protocol, minus held and backed-off ones. */
  List<Multiaddr> candidates() {
    Set<PeerId> held = relays().stream().collect(Collectors.toSet());
    Instant now = clock.instant();
    Map<PeerId, Multiaddr> chosen = new LinkedHashMap<>();
    for (Multiaddr relay : config.staticRelays()) {
      chosen.putIfAbsent(relay.peerId().orElseThrow(), relay);
    }
    for (PeerStore.PeerInfo info : host.peerStore().all()) {
      if (!info.protocols().contains(RelayService.HOP) || info.peerId().equals(host.peerId())) {
        continue;
      }
      info.addresses().stream()
          .filter(address -> Addresses.tcpIp(address).isPresent())
          .findFirst()
          .ifPresent(address -> chosen.putIfAbsent(info.peerId(), address.withPeerId(info.peerId())));
    }
    List<Multiaddr> result = new ArrayList<>();
    chosen.forEach((peer, address) -> {
      Instant until = failedUntil.get(peer);
      if (!held.contains(peer) && (until == null || now.isAfter(until))) {
        result.add(address);
      }
    });
    return result;
  }
}
