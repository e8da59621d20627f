package io.mycel.net.autonat;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.Host;
import io.mycel.net.MycelNetException;
import io.mycel.net.ProtocolHandler;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.Stream;
import io.mycel.net.autonat.AutoNatMessages.DialRequest;
import io.mycel.net.autonat.AutoNatMessages.DialResponse;
import io.mycel.net.autonat.AutoNatMessages.Status;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The responder of {@value AutoNatService#ID} (<a
 * href="https://github.com/libp2p/specs/blob/master/autonat/autonat-v1.md#protocol">spec</a>):
 * dials the requester back on a fresh connection and says whether that worked.
 *
 * <p>It only dials addresses on the IP the request came from (so that it cannot be aimed at a
 * third party), public ones unless {@link AutoNatConfig#allowPrivateAddresses()}, at most {@link
 * AutoNatConfig#maxDialsPerRequest()} of them, and refuses requests past the per-peer and total
 * rate limits. A request whose peer id is not the requester's is a bad request.
 */
public final class AutoNatServer implements ProtocolHandler {

  /** Dials an address and checks that {@code peer} answers there; fails otherwise. */
  @FunctionalInterface
  public interface DialBack {
    CompletableFuture<Void> dial(Multiaddr address, PeerId peer);
  }

  private static final Logger log = LoggerFactory.getLogger(AutoNatServer.class);

  private final AutoNatConfig config;
  private final DialBack dialBack;
  private final DialBackLimiter limiter;
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  public AutoNatServer(Host host, AutoNatConfig config) {
    this(config, freshConnection(host), InstantSource.system());
  }

  public AutoNatServer(AutoNatConfig config, DialBack dialBack, InstantSource clock) {
    this.config = config;
    this.dialBack = dialBack;
    this.limiter = new DialBackLimiter(
        config.maxRequestsPerPeer(), config.maxRequestsTotal(), config.rateWindow(), clock);
  }

  /**
   * Dials without the {@code /p2p} suffix so that the host opens a new connection instead of
   * reusing the one the request came over, then checks who answered and closes it.
   */
  static DialBack freshConnection(Host host) {
    return (address, peer) -> host.dial(address.withoutPeerId()).thenCompose(connection -> {
      connection.close();
      if (!connection.remotePeer().equals(peer)) {
        return CompletableFuture.failedFuture(new MycelNetException(
            "dial-back to " + address + " reached " + connection.remotePeer() + ", not " + peer));
      }
      return CompletableFuture.completedFuture(null);
    });
  }

  /** Requests answered with a dial attempt (OK or DIAL_ERROR). */
  public long answered() {
    return answered.get();
  }

  /** Requests refused (rate limit, no acceptable address, bad request). */
  public long refused() {
    return refused.get();
  }

  @Override
  public void handle(Stream stream) throws Exception {
    Connection connection = stream.connection();
    DialResponse response;
    try {
      byte[] bytes = AutoNatMessages.read(stream.input(), AutoNatMessages.MAX_MESSAGE_SIZE);
      response = answer(connection.remotePeer(), connection.remoteAddress(),
          AutoNatMessages.decodeRequest(bytes));
    } catch (ProtocolViolationException e) {
      log.debug("bad AutoNAT request from {}: {}", connection.remotePeer(), e.getMessage());
      response = DialResponse.error(Status.BAD_REQUEST, e.getMessage());
      refused.incrementAndGet();
    }
    AutoNatMessages.write(stream.output(), AutoNatMessages.encode(response));
    stream.closeWrite();
  }

  /**
   * Decides and carries out one request from {@code requester}, whose connection comes from
   * {@code observed}.
   */
  DialResponse answer(PeerId requester, Multiaddr observed, DialRequest request)
      throws InterruptedException {
    if (!request.peer().equals(requester)) {
      refused.incrementAndGet();
      return DialResponse.error(Status.BAD_REQUEST,
          "the request names peer " + request.peer() + " but comes from " + requester);
    }
    Optional<InetAddress> observedIp = Addresses.tcpIp(observed);
    if (observedIp.isEmpty()) {
      refused.incrementAndGet();
      return DialResponse.error(Status.DIAL_REFUSED,
          "the request came over " + observed + ", not a direct TCP connection");
    }
    List<Multiaddr> candidates = candidates(observedIp.get(), request.addresses());
    if (candidates.isEmpty()) {
      refused.incrementAndGet();
      return DialResponse.error(Status.DIAL_REFUSED,
          "no dialable address on the requester's IP " + observedIp.get().getHostAddress());
    }
    if (!limiter.tryAcquire(requester)) {
      refused.incrementAndGet();
      log.debug("refusing AutoNAT request of {}: rate limit", requester);
      return DialResponse.error(Status.DIAL_REFUSED, "too many dial-back requests, try later");
    }
    answered.incrementAndGet();
    String lastError = "";
    for (Multiaddr candidate : candidates) {
      try {
        dialBack.dial(candidate, requester).get(config.dialTimeout().toMillis(), TimeUnit.MILLISECONDS);
        log.debug("dialed {} back on {}", requester, candidate);
        return DialResponse.ok(candidate);
      } catch (ExecutionException e) {
        lastError = candidate + ": " + e.getCause().getMessage();
      } catch (TimeoutException e) {
        lastError = candidate + ": no connection within " + config.dialTimeout();
      }
    }
    log.debug("could not dial {} back: {}", requester, lastError);
    return DialResponse.error(Status.DIAL_ERROR, "dial-back failed: " + lastError);
  }

  private List<Multiaddr> candidates(InetAddress observedIp, List<Multiaddr> addresses) {
    if (!config.allowPrivateAddresses() && Addresses.isPrivate(observedIp)) {
      return List.of();
    }
    LinkedHashSet<Multiaddr> chosen = new LinkedHashSet<>();
    for (Multiaddr address : addresses) {
      Optional<InetAddress> ip = Addresses.tcpIp(address);
      if (ip.isPresent() && ip.get().equals(observedIp)) {
        chosen.add(address.withoutPeerId());
      }
      if (chosen.size() == config.maxDialsPerRequest()) {
        break;
      }
    }
    return new ArrayList<>(chosen);
  }
}
