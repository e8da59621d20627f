package io.mycel.net.dcutr;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.Host;
import io.mycel.net.MycelNetException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.Stream;
import io.mycel.net.autonat.Addresses;
import io.mycel.net.dcutr.DcutrMessages.Message;
import io.mycel.net.dcutr.DcutrMessages.Type;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DCUtR, both roles (<a href="https://github.com/libp2p/specs/blob/master/relay/DCUtR.md">spec</a>).
 *
 * <p>The peer that accepted a relayed connection (the spec's B) opens {@value #ID}, sends CONNECT
 * with its observed addresses and times the answer; the dialing peer (A) answers CONNECT with its
 * own; B sends SYNC and dials A after half the measured round trip, while A dials B as soon as
 * SYNC arrives. Over TCP the two dials meet as one simultaneous open, so the roles of the
 * handshake are fixed beforehand: B acts as the dialer, A as the responder. B tries {@link
 * DcutrConfig#maxAttempts()} rounds on the same stream. When a direct connection comes up, the
 * relayed one is closed after {@link DcutrConfig#relayGracePeriod()}.
 */
public final class DcutrService implements Host.ConnectionListener, AutoCloseable {

  public static final String ID = "/libp2p/dcutr";

  /** Dials one address of {@code peer} for a hole punch; see {@code NettyHost.dialDirect}. */
  @FunctionalInterface
  public interface Dialer {
    CompletableFuture<Connection> dial(Multiaddr address, PeerId peer, boolean asResponder);
  }

  private static final Logger log = LoggerFactory.getLogger(DcutrService.class);

  private final Host host;
  private final DcutrConfig config;
  private final Supplier<List<Multiaddr>> ownAddresses;
  private final Dialer dialer;
  private final LongSupplier nanoTime;
  private final Predicate<Connection> relayed;
  private final AtomicLong upgrades = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private boolean listening;
  private volatile boolean running;

  /**
   * @param ownAddresses this node's addresses as peers observe them (AutoNAT's candidates)
   */
  public DcutrService(Host host, DcutrConfig config, Supplier<List<Multiaddr>> ownAddresses,
      Dialer dialer) {
    this(host, config, ownAddresses, dialer, System::nanoTime);
  }

  public DcutrService(Host host, DcutrConfig config, Supplier<List<Multiaddr>> ownAddresses,
      Dialer dialer, LongSupplier nanoTime) {
    this(host, config, ownAddresses, dialer, nanoTime, DcutrService::isRelayed);
  }

  /** With {@code relayed} deciding which connections count as relayed (tests without a relay). */
  DcutrService(Host host, DcutrConfig config, Supplier<List<Multiaddr>> ownAddresses,
      Dialer dialer, LongSupplier nanoTime, Predicate<Connection> relayed) {
    this.relayed = relayed;
    this.host = host;
    this.config = config;
    this.ownAddresses = ownAddresses;
    this.dialer = dialer;
    this.nanoTime = nanoTime;
  }

  /** Registers the responder and, with {@link DcutrConfig#auto()}, watches for relayed connections. */
  public synchronized DcutrService start() {
    host.protocols().register(ID, this::respond);
    if (config.auto() && !listening) {
      host.addListener(this);
      listening = true;
    }
    running = true;
    return this;
  }

  @Override
  public synchronized void close() {
    running = false;
    host.protocols().unregister(ID);
  }

  /** Hole punches that produced a direct connection. */
  public long upgrades() {
    return upgrades.get();
  }

  /** Hole punches that gave up. */
  public long failures() {
    return failures.get();
  }

  /** Whether {@code connection} runs through a relay. */
  public static boolean isRelayed(Connection connection) {
    return connection.isRelayed();
  }

  /** Starts a hole punch on an inbound relayed connection to a peer not also connected directly. */
  @Override
  public void connected(Connection connection) {
    if (running && relayed.test(connection) && !connection.isInitiator()
        && host.connections(connection.remotePeer()).stream().allMatch(relayed)) {
      Thread.ofVirtual().name("mycel-dcutr").start(() -> {
        try {
          upgrade(connection);
        } catch (Exception e) {
          log.debug("hole punch to {} failed: {}", connection.remotePeer(), e.toString());
        }
      });
    }
  }

  /**
   * Runs the initiating side (B) over {@code relayed}: up to {@link DcutrConfig#maxAttempts()}
   * rounds of CONNECT, CONNECT, SYNC and a simultaneous dial. Blocks; call on a virtual thread.
   *
   * @return the direct connection
   * @throws MycelNetException when every attempt failed (the relayed connection stays)
   */
  public Connection upgrade(Connection relayed) throws IOException, InterruptedException {
    PeerId peer = relayed.remotePeer();
    Stream stream;
    try {
      stream = relayed.openStream(ID).get(config.streamTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      failures.incrementAndGet();
      throw new MycelNetException("cannot open " + ID + " to " + peer + ": " + e, e);
    }
    String lastFailure = "no attempt";
    try {
      for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
        long start = nanoTime.getAsLong();
        DcutrMessages.write(stream.output(), Message.connect(ownAddresses.get()));
        Message answer = readWithTimeout(stream);
        if (answer.type() != Type.CONNECT) {
          throw new ProtocolViolationException("expected CONNECT from " + peer + ", got " + answer.type());
        }
        Duration rtt = Duration.ofNanos(nanoTime.getAsLong() - start);
        List<Multiaddr> targets = dialable(answer.addresses());
        DcutrMessages.write(stream.output(), Message.SYNC);
        if (targets.isEmpty()) {
          lastFailure = peer + " sent no address this node can dial";
          break;
        }
        Thread.sleep(rtt.dividedBy(2));
        Optional<Connection> direct = dialAny(peer, targets, false);
        if (direct.isPresent()) {
          log.info("hole punch to {} succeeded on attempt {} (relay round trip {} ms): {}", peer,
              attempt, rtt.toMillis(), direct.get().remoteAddress());
          stream.close();
          switched(relayed, direct.get());
          return direct.get();
        }
        lastFailure = "attempt " + attempt + ": no dial to " + targets + " connected";
      }
    } catch (IOException | RuntimeException e) {
      stream.reset();
      failures.incrementAndGet();
      throw e;
    }
    stream.close();
    failures.incrementAndGet();
    log.info("hole punch to {} failed; staying on the relay ({})", peer, lastFailure);
    throw new MycelNetException("hole punch to " + peer + " failed: " + lastFailure);
  }

  /** The answering side (A): one CONNECT/CONNECT/SYNC round per attempt of B, dialing after SYNC. */
  private void respond(Stream stream) throws IOException, InterruptedException {
    Connection viaRelay = stream.connection();
    PeerId peer = viaRelay.remotePeer();
    if (!relayed.test(viaRelay)) {
      log.debug("refusing DCUtR from {} over a direct connection", peer);
      stream.reset();
      return;
    }
    while (true) {
      Message connect;
      try {
        connect = readWithTimeout(stream);
      } catch (ConnectionClosedException e) {
        return;
      }
      if (connect.type() != Type.CONNECT) {
        throw new ProtocolViolationException("expected CONNECT from " + peer + ", got " + connect.type());
      }
      DcutrMessages.write(stream.output(), Message.connect(ownAddresses.get()));
      Message sync = readWithTimeout(stream);
      if (sync.type() != Type.SYNC) {
        throw new ProtocolViolationException("expected SYNC from " + peer + ", got " + sync.type());
      }
      List<Multiaddr> targets = dialable(connect.addresses());
      if (targets.isEmpty()) {
        continue;
      }
      Optional<Connection> direct = dialAny(peer, targets, true);
      if (direct.isPresent()) {
        log.info("hole punch from {} succeeded: {}", peer, direct.get().remoteAddress());
        switched(viaRelay, direct.get());
        return;
      }
    }
  }

  private Message readWithTimeout(Stream stream) throws IOException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    done.orTimeout(config.streamTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((v, e) -> {
          if (e != null) {
            stream.reset();
          }
        });
    try {
      return DcutrMessages.read(stream.input());
    } finally {
      done.complete(null);
    }
  }

  /** Direct TCP addresses, public ones unless private ones are allowed. */
  List<Multiaddr> dialable(List<Multiaddr> addresses) {
    List<Multiaddr> result = new ArrayList<>();
    for (Multiaddr address : addresses) {
      Optional<InetAddress> ip = Addresses.tcpIp(address);
      if (ip.isPresent() && (config.allowPrivateAddresses() || !Addresses.isPrivate(ip.get()))
          && !result.contains(address.withoutPeerId())) {
        result.add(address.withoutPeerId());
      }
    }
    return result;
  }

  /** Dials every target at once; the first connection wins and the others are closed. */
  private Optional<Connection> dialAny(PeerId peer, List<Multiaddr> targets, boolean asResponder)
      throws InterruptedException {
    CompletableFuture<Connection> first = new CompletableFuture<>();
    List<CompletableFuture<Connection>> dials = new ArrayList<>();
    for (Multiaddr target : targets) {
      CompletableFuture<Connection> dial = dialer.dial(target, peer, asResponder);
      dials.add(dial);
      dial.whenComplete((connection, error) -> {
        if (connection != null && !first.complete(connection)) {
          connection.close();
        }
      });
    }
    CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new))
        .whenComplete((v, e) -> first.completeExceptionally(new MycelNetException("every dial failed")));
    try {
      return Optional.of(first.get(config.dialTimeout().toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException e) {
      return Optional.empty();
    } catch (TimeoutException e) {
      first.completeExceptionally(e);
      return Optional.empty();
    }
  }

  private void switched(Connection relayed, Connection direct) {
    upgrades.incrementAndGet();
    CompletableFuture.delayedExecutor(config.relayGracePeriod().toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> {
          if (direct.isOpen()) {
            log.debug("closing the relayed connection to {} now that a direct one is up", relayed.remotePeer());
            relayed.close();
          }
        });
  }
}
