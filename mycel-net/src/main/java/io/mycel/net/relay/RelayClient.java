package io.mycel.net.relay;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.multiaddr.Protocol;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.Host;
import io.mycel.net.MycelNetException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.Stream;
import io.mycel.net.host.NettyHost;
import io.mycel.net.relay.pb.CircuitProtos.HopMessage;
import io.mycel.net.relay.pb.CircuitProtos.Limit;
import io.mycel.net.relay.pb.CircuitProtos.Peer;
import io.mycel.net.relay.pb.CircuitProtos.Status;
import io.mycel.net.relay.pb.CircuitProtos.StopMessage;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of Circuit Relay v2 (<a
 * href="https://github.com/libp2p/specs/blob/master/relay/circuit-v2.md">spec</a>): reserves
 * slots on relays and keeps them renewed, advertises the resulting {@code /p2p-circuit}
 * addresses, answers the stop protocol for relays it holds a reservation on (and only those),
 * and dials {@code /p2p-circuit} addresses for the host.
 *
 * <p>Both ends of a relayed connection run Noise and Yamux over the relayed stream, so the
 * relay sees only ciphertext, and the connection is a connection of the host like any other
 * ({@link Connection#isRelayed()} tells it apart).
 */
public final class RelayClient implements Host.ConnectionListener, AutoCloseable {
  /** How long a relay has to answer a reservation or connect request. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
  /** Wait before trying a failed reservation again. */
  public static final Duration RETRY_DELAY = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(RelayClient.class);

  private final NettyHost host;
  private final Clock clock;
  private final Map<PeerId, Reservation> reservations = new ConcurrentHashMap<>();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  /** Wakes the thread that keeps a reservation on a relay, by relay, when it is lost. */
  private final Map<PeerId, java.util.concurrent.Semaphore> wakeups = new ConcurrentHashMap<>();
  private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean running;

  public RelayClient(NettyHost host) {
    this(host, Clock.systemUTC());
  }

  public RelayClient(NettyHost host, Clock clock) {
    this.host = host;
    this.clock = clock;
  }

  /**
   * A slot held on a relay.
   *
   * @param addresses this host's addresses through the relay, ending in {@code /p2p-circuit}
   * @param limit what the relay allows per circuit, when it caps circuits
   */
  public record Reservation(PeerId relay, Instant expire, List<Multiaddr> addresses,
      Optional<CircuitLimit> limit, ReservationVoucher voucher) {
    public Reservation {
      Objects.requireNonNull(relay, "relay");
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * A relay's caps on one circuit.
   *
   * @param duration zero for no cap
   * @param dataBytes bytes per direction, 0 for no cap
   */
  public record CircuitLimit(Duration duration, long dataBytes) {
    static Optional<CircuitLimit> of(boolean present, Limit limit) {
      return present
          ? Optional.of(new CircuitLimit(Duration.ofSeconds(limit.getDuration()), limit.getData()))
          : Optional.empty();
    }
  }

  /** Registers the stop protocol, the dialer of circuit addresses and the advertised addresses. */
  public synchronized RelayClient start() {
    if (running) {
      return this;
    }
    running = true;
    host.protocols().register(RelayService.STOP, this::handleStop);
    host.setCircuitDialer(this::dial);
    host.addAddressSource(this::circuitAddresses);
    host.addListener(this);
    return this;
  }

  @Override
  public synchronized void close() {
    running = false;
    host.protocols().unregister(RelayService.STOP);
    host.setCircuitDialer(null);
    reservations.clear();
    threads.shutdownNow();
  }

  /**
   * Runs {@code listener} when a reservation is gained or lost, so that the host's advertised
   * addresses can be pushed to peers (identify push).
   */
  public void onChange(Runnable listener) {
    changeListeners.add(listener);
  }

  private void changed() {
    for (Runnable listener : changeListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.warn("relay reservation listener failed: {}", e.toString());
      }
    }
  }

  /** Reservations held now (expired ones left out). */
  public List<Reservation> reservations() {
    Instant now = clock.instant();
    return reservations.values().stream().filter(r -> r.expire().isAfter(now)).toList();
  }

  /** This host's addresses through its relays, e.g. {@code /ip4/R/tcp/4001/p2p/RELAY/p2p-circuit}. */
  public List<Multiaddr> circuitAddresses() {
    List<Multiaddr> all = new ArrayList<>();
    reservations().forEach(r -> all.addAll(r.addresses()));
    return all;
  }

  @Override
  public void disconnected(Connection connection) {
    PeerId peer = connection.remotePeer();
    if (reservations.containsKey(peer)
        && host.connections(peer).stream().noneMatch(c -> !c.isRelayed())) {
      reservations.remove(peer);
      LOG.info("reservation on relay {} lost with the connection", peer);
      changed();
      java.util.concurrent.Semaphore wakeup = wakeups.get(peer);
      if (wakeup != null) {
        wakeup.release();
      }
    }
  }

  /**
   * Reserves a slot on the relay at {@code relayAddress} (which must end in {@code /p2p/RELAY}),
   * or renews the one held.
   *
   * @return the reservation; fails with {@link RelayRefusedException} when the relay refuses,
   *     with {@link ProtocolViolationException} when its answer or voucher is invalid
   */
  public CompletableFuture<Reservation> reserve(Multiaddr relayAddress) {
    PeerId relay = relayAddress.peerId().orElse(null);
    if (relay == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("relay address " + relayAddress + " must end with /p2p/<relay id>"));
    }
    return host.dial(relayAddress)
        .thenCompose(c -> c.openStream(RelayService.HOP))
        .thenApplyAsync(stream -> reserveOn(stream, relay), threads);
  }

  private Reservation reserveOn(Stream stream, PeerId relay) {
    try (stream) {
      RelayMessages.write(stream.output(),
          HopMessage.newBuilder().setType(HopMessage.Type.RESERVE).build());
      HopMessage reply = readHopWithTimeout(stream);
      if (reply.getType() != HopMessage.Type.STATUS) {
        throw new ProtocolViolationException("relay " + relay + " answered a reservation with " + reply.getType());
      }
      if (reply.getStatus() != Status.OK) {
        throw new RelayRefusedException(reply.getStatus(), "relay " + relay + " refused the reservation");
      }
      if (!reply.hasReservation()) {
        throw new ProtocolViolationException("relay " + relay + " accepted without a reservation");
      }
      Reservation reservation = validate(relay, reply);
      Reservation previous = reservations.put(relay, reservation);
      if (previous == null || !previous.addresses().equals(reservation.addresses())) {
        changed();
      }
      LOG.info("reserved on relay {} until {}: {}", relay, reservation.expire(), reservation.addresses());
      return reservation;
    } catch (IOException e) {
      throw new CompletionException(new MycelNetException(
          "reservation on relay " + relay + " failed: " + e.getMessage(), e));
    }
  }

  private Reservation validate(PeerId relay, HopMessage reply) {
    var rsvp = reply.getReservation();
    Instant expire = Instant.ofEpochSecond(rsvp.getExpire());
    if (!expire.isAfter(clock.instant())) {
      throw new ProtocolViolationException("relay " + relay + " sent a reservation that expired at " + expire);
    }
    ReservationVoucher voucher = null;
    if (rsvp.hasVoucher()) {
      voucher = ReservationVoucher.open(rsvp.getVoucher().toByteArray());
      if (!voucher.relay().equals(relay)) {
        throw new ProtocolViolationException(
            "relay " + relay + " sent a voucher of another relay (" + voucher.relay() + ")");
      }
      if (!voucher.peer().equals(host.peerId())) {
        throw new ProtocolViolationException(
            "relay " + relay + " sent a voucher for another peer (" + voucher.peer() + ")");
      }
      if (voucher.expiration() != rsvp.getExpire()) {
        throw new ProtocolViolationException("relay " + relay + " sent a voucher expiring at "
            + voucher.expiration() + ", not at the reservation's " + rsvp.getExpire());
      }
    }
    List<Multiaddr> addresses = new ArrayList<>();
    for (ByteString bytes : rsvp.getAddrsList()) {
      try {
        Multiaddr address = Multiaddr.fromBytes(bytes.toByteArray());
        Optional<PeerId> named = address.peerId();
        if (named.isPresent() && !named.get().equals(relay)) {
          continue;
        }
        addresses.add(address.withPeerId(relay).encapsulate("/p2p-circuit"));
      } catch (IllegalArgumentException e) {
        LOG.debug("skipping a relay address of {}: {}", relay, e.getMessage());
      }
    }
    return new Reservation(relay, expire, addresses, CircuitLimit.of(reply.hasLimit(), reply.getLimit()),
        voucher);
  }

  /**
   * Keeps a reservation on each relay in {@code relays}: reserves now, renews at three quarters
   * of its lifetime, reserves again at once when the connection to the relay is lost, and
   * retries after {@link #RETRY_DELAY} when a reservation fails.
   */
  public void keepReserved(List<Multiaddr> relays) {
    for (Multiaddr relay : relays) {
      threads.execute(() -> maintain(relay));
    }
  }

  private void maintain(Multiaddr relayAddress) {
    java.util.concurrent.Semaphore wakeup = wakeups.computeIfAbsent(
        relayAddress.peerId().orElseThrow(), k -> new java.util.concurrent.Semaphore(0));
    while (running && !Thread.currentThread().isInterrupted()) {
      Duration wait;
      try {
        Reservation r = reserve(relayAddress).get(REQUEST_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        Duration left = Duration.between(clock.instant(), r.expire());
        wait = left.multipliedBy(3).dividedBy(4);
      } catch (InterruptedException e) {
        return;
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        LOG.warn("reservation on relay {} failed: {}; trying again in {} s", relayAddress,
            cause.getMessage(), RETRY_DELAY.toSeconds());
        wait = RETRY_DELAY;
      }
      try {
        // Renews at the planned time, or at once when the reservation was lost.
        if (wakeup.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
          wakeup.drainPermits();
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Dials {@code address}, {@code <relay address>/p2p/RELAY/p2p-circuit/p2p/TARGET}: asks the
   * relay to connect to the target, then runs Noise and Yamux with the target over the
   * relayed stream.
   */
  public CompletableFuture<Connection> dial(Multiaddr address) {
    Multiaddr relayAddress = address.decapsulate(Protocol.P2P_CIRCUIT);
    Optional<PeerId> relay = relayAddress.peerId();
    Optional<PeerId> target = address.peerId();
    if (relay.isEmpty() || target.isEmpty() || relayAddress.equals(address)
        || !address.equals(relayAddress.encapsulate("/p2p-circuit").withPeerId(target.get()))) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("cannot dial " + address
          + ": a relayed address is <relay address>/p2p/<relay id>/p2p-circuit/p2p/<target id>"));
    }
    Multiaddr circuit = relayAddress.encapsulate("/p2p-circuit");
    return host.dial(relayAddress)
        .thenCompose(c -> c.openStream(RelayService.HOP))
        .thenApplyAsync(stream -> connectThrough(stream, relay.get(), target.get()), threads)
        .thenCompose(stream -> host.upgradeOver(stream, true, target.get(), circuit, circuit));
  }

  private Stream connectThrough(Stream stream, PeerId relay, PeerId target) {
    try {
      RelayMessages.write(stream.output(), HopMessage.newBuilder()
          .setType(HopMessage.Type.CONNECT)
          .setPeer(Peer.newBuilder().setId(ByteString.copyFrom(target.bytes())))
          .build());
      HopMessage reply = readHopWithTimeout(stream);
      if (reply.getType() != HopMessage.Type.STATUS) {
        throw new ProtocolViolationException("relay " + relay + " answered a connect with " + reply.getType());
      }
      if (reply.getStatus() != Status.OK) {
        throw new RelayRefusedException(reply.getStatus(),
            "relay " + relay + " refused to connect to " + target);
      }
      return stream;
    } catch (IOException | RuntimeException e) {
      stream.reset();
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new CompletionException(new MycelNetException(
          "connect through relay " + relay + " failed: " + e.getMessage(), e));
    }
  }

  private HopMessage readHopWithTimeout(Stream stream) throws IOException {
    CompletableFuture<Void> answered = new CompletableFuture<>();
    CompletableFuture.delayedExecutor(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (!answered.isDone()) {
        stream.reset();
      }
    });
    try {
      return RelayMessages.readHop(stream.input(), RelayMessages.MAX_MESSAGE_SIZE);
    } finally {
      answered.complete(null);
    }
  }

  /** The stop side: a relay connects a peer to this host, if this host reserved on that relay. */
  private void handleStop(Stream stream) throws Exception {
    Connection relayConnection = stream.connection();
    PeerId relay = relayConnection.remotePeer();
    StopMessage request;
    try {
      request = RelayMessages.readStop(stream.input(), RelayMessages.MAX_MESSAGE_SIZE);
    } catch (ProtocolViolationException e) {
      LOG.info("stop request from relay {}: {}", relay, e.getMessage());
      answerStop(stream, Status.MALFORMED_MESSAGE);
      return;
    }
    if (request.getType() != StopMessage.Type.CONNECT) {
      answerStop(stream, Status.UNEXPECTED_MESSAGE);
      return;
    }
    Reservation reservation = reservations.get(relay);
    if (reservation == null || !reservation.expire().isAfter(clock.instant())) {
      LOG.info("refusing a relayed connection from {}: no reservation on that relay", relay);
      answerStop(stream, Status.PERMISSION_DENIED);
      return;
    }
    PeerId source;
    try {
      source = PeerId.fromBytes(request.getPeer().getId().toByteArray());
    } catch (IllegalArgumentException e) {
      answerStop(stream, Status.MALFORMED_MESSAGE);
      return;
    }
    answerStop(stream, Status.OK);
    Multiaddr transport = relayConnection.remoteAddress();
    Multiaddr circuit = (transport == null ? Multiaddr.parse("/p2p/" + relay) : transport.withPeerId(relay))
        .encapsulate("/p2p-circuit");
    Connection relayed = host.upgradeOver(stream, false, source, circuit, circuit)
        .get(host.config().handshakeTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
    LOG.debug("relayed connection from {} through {}", source, relay);
    // The stream carries the connection: returning would close it.
    relayed.closeFuture().get();
  }

  private static void answerStop(Stream stream, Status status) throws IOException {
    RelayMessages.write(stream.output(),
        StopMessage.newBuilder().setType(StopMessage.Type.STATUS).setStatus(status).build());
  }
}
