package io.mycel.net.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.MycelNetException;
import io.mycel.net.autonat.AutoNatMessages.DialRequest;
import io.mycel.net.autonat.AutoNatMessages.DialResponse;
import io.mycel.net.autonat.AutoNatMessages.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The server's decisions, with a recording dialer and a settable clock. */
class AutoNatServerTest {

  private static final PeerId REQUESTER = PeerId.fromPublicKey(Ed25519.generate().publicKey());
  private static final Multiaddr OBSERVED = Multiaddr.parse("/ip4/203.0.113.7/tcp/50123");
  private static final Multiaddr LISTEN = Multiaddr.parse("/ip4/203.0.113.7/tcp/4001");

  private final List<Multiaddr> dialed = new CopyOnWriteArrayList<>();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final InstantSource clock = () -> now;

  private AutoNatServer server(AutoNatConfig config, boolean reachable) {
    return new AutoNatServer(config, (address, peer) -> {
      dialed.add(address);
      return reachable
          ? CompletableFuture.completedFuture(null)
          : CompletableFuture.failedFuture(new MycelNetException("connection refused"));
    }, clock);
  }

  @Test
  void dialsTheRequesterBackOnItsObservedIp() throws Exception {
    DialResponse answer = server(AutoNatConfig.DEFAULT, true)
        .answer(REQUESTER, OBSERVED, new DialRequest(REQUESTER, List.of(LISTEN)));

    assertThat(answer).isEqualTo(DialResponse.ok(LISTEN));
    assertThat(dialed).containsExactly(LISTEN);
  }

  @Test
  void unreachableRequesterGetsADialError() throws Exception {
    DialResponse answer = server(AutoNatConfig.DEFAULT, false)
        .answer(REQUESTER, OBSERVED, new DialRequest(REQUESTER, List.of(LISTEN)));

    assertThat(answer.status()).isEqualTo(Status.DIAL_ERROR);
    assertThat(answer.statusText()).contains("connection refused");
  }

  @Test
  void addressOnAnotherIpIsRefusedAndNotDialed() throws Exception {
    Multiaddr thirdParty = Multiaddr.parse("/ip4/198.51.100.9/tcp/80");

    DialResponse answer = server(AutoNatConfig.DEFAULT, true)
        .answer(REQUESTER, OBSERVED, new DialRequest(REQUESTER, List.of(thirdParty)));

    assertThat(answer.status()).isEqualTo(Status.DIAL_REFUSED);
    assertThat(answer.statusText()).contains("203.0.113.7");
    assertThat(dialed).isEmpty();
  }

  @Test
  void onlyTheAddressesOnTheObservedIpAreDialed() throws Exception {
    Multiaddr thirdParty = Multiaddr.parse("/ip4/198.51.100.9/tcp/80");

    server(AutoNatConfig.DEFAULT, false)
        .answer(REQUESTER, OBSERVED, new DialRequest(REQUESTER, List.of(thirdParty, LISTEN)));

    assertThat(dialed).containsExactly(LISTEN);
  }

  @Test
  void requestNamingAnotherPeerIsABadRequest() throws Exception {
    PeerId other = PeerId.fromPublicKey(Ed25519.generate().publicKey());

    DialResponse answer = server(AutoNatConfig.DEFAULT, true)
        .answer(REQUESTER, OBSERVED, new DialRequest(other, List.of(LISTEN)));

    assertThat(answer.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(dialed).isEmpty();
  }

  @Test
  void privateRequesterIsRefusedUnlessAllowed() throws Exception {
    Multiaddr local = Multiaddr.parse("/ip4/192.168.1.20/tcp/4001");
    Multiaddr observed = Multiaddr.parse("/ip4/192.168.1.20/tcp/50000");
    DialRequest request = new DialRequest(REQUESTER, List.of(local));

    assertThat(server(AutoNatConfig.DEFAULT, true).answer(REQUESTER, observed, request).status())
        .isEqualTo(Status.DIAL_REFUSED);
    assertThat(server(AutoNatConfig.DEFAULT.withPrivateAddresses(true), true)
        .answer(REQUESTER, observed, request).status()).isEqualTo(Status.OK);
  }

  @Test
  void relayedRequesterIsRefused() throws Exception {
    Multiaddr relayed = Multiaddr.parse("/ip4/203.0.113.1/tcp/4001/p2p/" + REQUESTER + "/p2p-circuit");

    DialResponse answer = server(AutoNatConfig.DEFAULT, true)
        .answer(REQUESTER, relayed, new DialRequest(REQUESTER, List.of(LISTEN)));

    assertThat(answer.status()).isEqualTo(Status.DIAL_REFUSED);
  }

  @Test
  void peerPastItsRateLimitIsRefusedUntilTheWindowPasses() throws Exception {
    AutoNatServer server = server(AutoNatConfig.DEFAULT.withRateLimits(2, 30, Duration.ofMinutes(1)), true);
    DialRequest request = new DialRequest(REQUESTER, List.of(LISTEN));

    assertThat(server.answer(REQUESTER, OBSERVED, request).status()).isEqualTo(Status.OK);
    assertThat(server.answer(REQUESTER, OBSERVED, request).status()).isEqualTo(Status.OK);
    DialResponse third = server.answer(REQUESTER, OBSERVED, request);
    assertThat(third.status()).isEqualTo(Status.DIAL_REFUSED);
    assertThat(third.statusText()).contains("too many");
    assertThat(dialed).hasSize(2);

    now = now.plus(Duration.ofMinutes(1));
    assertThat(server.answer(REQUESTER, OBSERVED, request).status()).isEqualTo(Status.OK);
  }

  @Test
  void totalRateLimitCoversAllPeers() throws Exception {
    AutoNatServer server = server(AutoNatConfig.DEFAULT.withRateLimits(5, 2, Duration.ofMinutes(1)), true);
    for (int i = 0; i < 2; i++) {
      PeerId peer = PeerId.fromPublicKey(Ed25519.generate().publicKey());
      assertThat(server.answer(peer, OBSERVED, new DialRequest(peer, List.of(LISTEN))).status())
          .isEqualTo(Status.OK);
    }

    assertThat(server.answer(REQUESTER, OBSERVED, new DialRequest(REQUESTER, List.of(LISTEN))).status())
        .isEqualTo(Status.DIAL_REFUSED);
  }

  @Test
  void dialsAreCappedPerRequest() throws Exception {
    List<Multiaddr> many = new java.util.ArrayList<>();
    for (int port = 1; port <= 10; port++) {
      many.add(Multiaddr.parse("/ip4/203.0.113.7/tcp/" + port));
    }

    server(AutoNatConfig.DEFAULT, false).answer(REQUESTER, OBSERVED, new DialRequest(REQUESTER, many));

    assertThat(dialed).hasSize(AutoNatConfig.DEFAULT_MAX_DIALS_PER_REQUEST);
  }
}
