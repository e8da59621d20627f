package io.mycel.net.relay;

import com.google.protobuf.ByteString;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.multiaddr.Protocol;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.Host;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.Stream;
import io.mycel.net.relay.pb.CircuitProtos.HopMessage;
import io.mycel.net.relay.pb.CircuitProtos.Limit;
import io.mycel.net.relay.pb.CircuitProtos.Peer;
import io.mycel.net.relay.pb.CircuitProtos.Reservation;
import io.mycel.net.relay.pb.CircuitProtos.Status;
import io.mycel.net.relay.pb.CircuitProtos.StopMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hop side of Circuit Relay v2 (<a
 * href="https://github.com/libp2p/specs/blob/master/relay/circuit-v2.md#the-hop-protocol">spec</a>):
 * grants reservations with signed vouchers, and relays circuits from any peer to a peer holding
 * a reservation, within the owner's {@link RelayLimits}. Every relayed byte is counted in the
 * {@link #meter()}.
 *
 * <p>A reservation lasts until it expires or the reserved peer's last direct connection to the
 * relay closes. A circuit is closed (both streams reset) when it exceeds its byte cap in either
 * direction or its duration cap; in bandwidth-sharing mode it is paced to the configured rate
 * instead.
 */
public final class RelayService implements Host.ConnectionListener, AutoCloseable {
  public static final String HOP = "/libp2p/circuit/relay/0.2.0/hop";
  public static final String STOP = "/libp2p/circuit/relay/0.2.0/stop";
  /** How long the reached peer has to answer the stop request. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  /** Largest chunk relayed at once. */
  static final int RELAY_CHUNK = 16 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(RelayService.class);

  private final Host host;
  private final RelayLimits limits;
  private final Clock clock;
  private final RelayResources resources;
  private final RelayMeter meter;
  /** Paces all circuits together, when the owner set a total rate. */
  private final RateLimiter totalRate;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private volatile boolean running;
  private boolean listening;

  public RelayService(Host host, RelayLimits limits) {
    this(host, limits, Clock.systemUTC());
  }

  public RelayService(Host host, RelayLimits limits, Clock clock) {
    this.host = host;
    this.limits = limits;
    this.clock = clock;
    this.resources = new RelayResources(limits, clock);
    this.meter = new RelayMeter(clock);
    this.totalRate = limits.totalRateBytesPerSecond() > 0
        ? new RateLimiter(limits.totalRateBytesPerSecond(), System::nanoTime) : null;
  }

  /** Registers {@value #HOP}: from now on this host relays. */
  public synchronized RelayService start() {
    host.protocols().register(HOP, this::handleHop);
    if (!listening) {
      host.addListener(this);
      listening = true;
    }
    running = true;
    LOG.info("relaying for reserved peers ({})", limits.bandwidthSharing()
        ? "bandwidth sharing at " + limits.rateBytesPerSecond() + " B/s per circuit, "
            + limits.totalRateBytesPerSecond() + " B/s in all (0: no limit)"
        : "circuits capped at " + limits.circuitBytes() + " bytes and " + limits.circuitDuration());
    return this;
  }

  /** Stops relaying: unregisters {@value #HOP}; open circuits run on until they end. */
  @Override
  public synchronized void close() {
    running = false;
    host.protocols().unregister(HOP);
    threads.shutdownNow();
  }

  public RelayLimits limits() {
    return limits;
  }

  /** The bytes relayed so far, per peer and per circuit. */
  public RelayMeter.Snapshot meter() {
    return meter.snapshot();
  }

  /** Reservations held now. */
  public int reservationCount() {
    return resources.reservationCount();
  }

  /** Circuits open now. */
  public int circuitCount() {
    return resources.circuitCount();
  }

  @Override
  public void disconnected(Connection connection) {
    PeerId peer = connection.remotePeer();
    boolean direct = host.connections(peer).stream().anyMatch(c -> !c.isRelayed());
    if (!direct && resources.hasReservation(peer)) {
      resources.release(peer);
      LOG.debug("reservation of {} ended with its connection", peer);
    }
  }

  private void handleHop(Stream stream) throws IOException {
    HopMessage request;
    try {
      request = RelayMessages.readHop(stream.input(), RelayMessages.MAX_MESSAGE_SIZE);
    } catch (ProtocolViolationException e) {
      // Answered, then closed: the unread rest of the message is discarded with the stream.
      LOG.info("hop request from {}: {}", stream.connection().remotePeer(), e.getMessage());
      answer(stream, Status.MALFORMED_MESSAGE);
      return;
    }
    switch (request.getType()) {
      case RESERVE -> reserve(stream);
      case CONNECT -> connect(stream, request);
      default -> answer(stream, Status.UNEXPECTED_MESSAGE);
    }
  }

  private void reserve(Stream stream) throws IOException {
    Connection connection = stream.connection();
    PeerId peer = connection.remotePeer();
    if (connection.isRelayed()) {
      LOG.debug("refusing a reservation of {} over a relayed connection", peer);
      answer(stream, Status.PERMISSION_DENIED);
      return;
    }
    RelayResources.Decision decision = resources.reserve(peer, ipOf(connection.remoteAddress()));
    if (decision.status() != Status.OK) {
      LOG.info("refusing a reservation of {}: {} reservations held (limits {} in all, {} per IP)",
          peer, resources.reservationCount(), limits.maxReservations(), limits.maxReservationsPerIp());
      answer(stream, decision.status());
      return;
    }
    long expire = decision.expire().getEpochSecond();
    Reservation.Builder reservation = Reservation.newBuilder()
        .setExpire(expire)
        .setVoucher(ByteString.copyFrom(
            new ReservationVoucher(host.peerId(), peer, expire).seal(host.privateKey())));
    for (Multiaddr address : host.listenAddresses()) {
      reservation.addAddrs(ByteString.copyFrom(address.withPeerId(host.peerId()).bytes()));
    }
    HopMessage.Builder response = HopMessage.newBuilder()
        .setType(HopMessage.Type.STATUS)
        .setStatus(Status.OK)
        .setReservation(reservation);
    limit().ifPresent(response::setLimit);
    RelayMessages.write(stream.output(), response.build());
    LOG.debug("reserved a slot for {} until {}", peer, decision.expire());
  }

  private void connect(Stream stream, HopMessage request) throws IOException {
    PeerId source = stream.connection().remotePeer();
    if (stream.connection().isRelayed()) {
      answer(stream, Status.PERMISSION_DENIED);
      return;
    }
    PeerId destination;
    try {
      destination = PeerId.fromBytes(request.getPeer().getId().toByteArray());
    } catch (IllegalArgumentException e) {
      answer(stream, Status.MALFORMED_MESSAGE);
      return;
    }
    Status admitted = resources.admitCircuit(source, destination);
    if (admitted != Status.OK) {
      LOG.debug("refusing a circuit from {} to {}: {}", source, destination, admitted);
      answer(stream, admitted);
      return;
    }
    try {
      Optional<Stream> stop = openStop(source, destination);
      if (stop.isEmpty()) {
        answer(stream, Status.CONNECTION_FAILED);
        return;
      }
      HopMessage.Builder ok = HopMessage.newBuilder().setType(HopMessage.Type.STATUS).setStatus(Status.OK);
      limit().ifPresent(ok::setLimit);
      try {
        RelayMessages.write(stream.output(), ok.build());
      } catch (IOException e) {
        stop.get().reset();
        throw e;
      }
      relay(stream, stop.get(), source, destination);
    } finally {
      resources.circuitClosed(source, destination);
    }
  }

  /** Opens the stop stream to {@code destination} and has it accept; empty when it did not. */
  private Optional<Stream> openStop(PeerId source, PeerId destination) {
    Connection target = host.connections(destination).stream()
        .filter(c -> !c.isRelayed())
        .findFirst()
        .orElse(null);
    if (target == null) {
      LOG.debug("circuit from {} to {}: no connection to the destination", source, destination);
      return Optional.empty();
    }
    Stream stop;
    try {
      stop = target.openStream(STOP).get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.debug("circuit from {} to {}: cannot open the stop stream: {}", source, destination, e.toString());
      return Optional.empty();
    }
    AtomicBoolean answered = new AtomicBoolean();
    CompletableFuture.delayedExecutor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (!answered.get()) {
        stop.reset();
      }
    });
    try {
      StopMessage.Builder connect = StopMessage.newBuilder()
          .setType(StopMessage.Type.CONNECT)
          .setPeer(Peer.newBuilder().setId(ByteString.copyFrom(source.bytes())));
      limit().ifPresent(connect::setLimit);
      RelayMessages.write(stop.output(), connect.build());
      StopMessage reply = RelayMessages.readStop(stop.input(), RelayMessages.MAX_MESSAGE_SIZE);
      answered.set(true);
      if (reply.getType() != StopMessage.Type.STATUS || reply.getStatus() != Status.OK) {
        LOG.debug("circuit from {} to {}: the destination answered {}", source, destination,
            reply.getStatus());
        stop.close();
        return Optional.empty();
      }
      return Optional.of(stop);
    } catch (IOException | RuntimeException e) {
      answered.set(true);
      LOG.debug("circuit from {} to {}: stop request failed: {}", source, destination, e.toString());
      stop.reset();
      return Optional.empty();
    }
  }

  /** Carries bytes both ways until both sides finish or a cap is hit. */
  private void relay(Stream fromSource, Stream toDestination, PeerId source, PeerId destination) {
    RelayMeter.CircuitCounter counter = meter.open(source, destination);
    RateLimiter rate = limits.rateBytesPerSecond() > 0
        ? new RateLimiter(limits.rateBytesPerSecond(), System::nanoTime) : null;
    Circuit circuit = new Circuit(fromSource, toDestination, counter, rate);
    Duration cap = limits.effectiveCircuitDuration();
    if (!cap.isZero()) {
      CompletableFuture.delayedExecutor(cap.toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> circuit.abort("reached its " + cap.toSeconds() + " s duration cap"));
    }
    LOG.debug("circuit {} open: {} to {}", counter.id, source, destination);
    try {
      CompletableFuture<Void> back = CompletableFuture.runAsync(
          () -> circuit.copy(toDestination, fromSource, false), threads);
      circuit.copy(fromSource, toDestination, true);
      back.join();
    } catch (RuntimeException e) {
      circuit.abort("failed: " + e.getMessage());
    } finally {
      circuit.finish();
      toDestination.close();
      meter.close(counter);
      LOG.debug("circuit {} closed: {} bytes forward, {} back", counter.id,
          counter.sourceToDestination.get(), counter.destinationToSource.get());
    }
  }

  /** One open circuit: two streams, their counter, caps and pacing. */
  private final class Circuit {
    private final Stream source;
    private final Stream destination;
    private final RelayMeter.CircuitCounter counter;
    private final RateLimiter rate;
    private final AtomicBoolean aborted = new AtomicBoolean();

    Circuit(Stream source, Stream destination, RelayMeter.CircuitCounter counter, RateLimiter rate) {
      this.source = source;
      this.destination = destination;
      this.counter = counter;
      this.rate = rate;
    }

    /** Marks the circuit ended, so that a cap timer firing later does nothing. */
    void finish() {
      aborted.set(true);
    }

    void abort(String why) {
      if (aborted.compareAndSet(false, true)) {
        LOG.info("closing circuit {} from {} to {}: it {}", counter.id, counter.source,
            counter.destination, why);
        source.reset();
        destination.reset();
      }
    }

    void copy(Stream from, Stream to, boolean forward) {
      long cap = limits.effectiveCircuitBytes();
      InputStream in = from.input();
      OutputStream out = to.output();
      byte[] chunk = new byte[RELAY_CHUNK];
      long sent = 0;
      try {
        int n;
        while ((n = in.read(chunk)) >= 0) {
          boolean over = cap > 0 && sent + n > cap;
          int allowed = over ? (int) (cap - sent) : n;
          if (rate != null) {
            rate.pace(allowed);
          }
          if (totalRate != null) {
            totalRate.pace(allowed);
          }
          out.write(chunk, 0, allowed);
          out.flush();
          counter.count(forward, allowed);
          sent += allowed;
          if (over) {
            abort("exceeded its " + cap + "-byte cap " + (forward ? "forward" : "back"));
            return;
          }
        }
        to.closeWrite();
      } catch (IOException | RuntimeException e) {
        if (!aborted.get()) {
          abort("ended in a reset (" + e.getMessage() + ")");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort("was interrupted");
      }
    }
  }

  private Optional<Limit> limit() {
    long bytes = limits.effectiveCircuitBytes();
    Duration duration = limits.effectiveCircuitDuration();
    if (bytes == 0 && duration.isZero()) {
      return Optional.empty();
    }
    Limit.Builder limit = Limit.newBuilder();
    if (bytes > 0) {
      limit.setData(bytes);
    }
    if (!duration.isZero()) {
      limit.setDuration((int) Math.min(Integer.MAX_VALUE, duration.toSeconds()));
    }
    return Optional.of(limit.build());
  }

  private static void answer(Stream stream, Status status) throws IOException {
    RelayMessages.write(stream.output(),
        HopMessage.newBuilder().setType(HopMessage.Type.STATUS).setStatus(status).build());
  }

  /** The IP address of a transport address, or the whole address when it has none. */
  static String ipOf(Multiaddr address) {
    if (address == null) {
      return "unknown";
    }
    for (Protocol p : List.of(Protocol.IP4, Protocol.IP6)) {
      Optional<String> ip = address.valueOf(p);
      if (ip.isPresent()) {
        return ip.get();
      }
    }
    return address.toString();
  }
}
