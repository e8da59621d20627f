package io.mycel.net.autorelay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.net.autonat.AutoNatConfig;
import io.mycel.net.autonat.AutoNatService;
import io.mycel.net.autonat.Reachability;
import io.mycel.net.host.NettyHost;
import io.mycel.net.multistream.testing.Conditions;
import io.mycel.net.relay.RelayClient;
import io.mycel.net.relay.RelayLimits;
import io.mycel.net.relay.RelayService;
import io.mycel.net.testing.NettyLeakDetection;
import io.mycel.net.testing.TestHosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * AutoRelay driven by AutoNAT between real hosts on loopback: a node without a listener (so
 * AutoNAT finds it private) connected to a relay R and a plain peer C, with no relay configured.
 */
@ExtendWith(NettyLeakDetection.class)
class AutoRelayTest {

  @RegisterExtension final TestHosts hosts = new TestHosts();

  private static final AutoNatConfig AUTONAT = AutoNatConfig.DEFAULT.withPrivateAddresses(true)
      .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
      .withSchedule(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));

  private final List<AutoCloseable> services = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable service : services.reversed()) {
      service.close();
    }
  }

  private <T extends AutoCloseable> T track(T service) {
    services.add(service);
    return service;
  }

  private static Multiaddr addressOf(NettyHost host) {
    return host.listenAddresses().get(0).withPeerId(host.peerId());
  }

  @Test
  void privateNodeReservesOnAKnownHopPeerOnlyOnceAutoNatSaysPrivate() throws Exception {
    NettyHost relay = hosts.start();
    RelayService service = track(new RelayService(relay, RelayLimits.defaults()).start());
    track(new AutoNatService(relay, AUTONAT).start());
    NettyHost c = hosts.start();
    track(new AutoNatService(c, AUTONAT).start());
    NettyHost b = hosts.start(config -> config.withListenAddresses(List.of()));
    RelayClient client = track(new RelayClient(b).start());
    AutoNatService autonat = track(new AutoNatService(b, AUTONAT).start());
    AtomicInteger pushes = new AtomicInteger();
    AutoRelay autoRelay = track(new AutoRelay(b, client, autonat, AutoRelayConfig.DEFAULT,
        pushes::incrementAndGet));
    b.dial(addressOf(relay)).get(10, TimeUnit.SECONDS);
    b.dial(addressOf(c)).get(10, TimeUnit.SECONDS);
    Conditions.await("B to know R's hop protocol and both AutoNAT servers",
        () -> autonat.serverCount() == 2 && b.peerStore().get(relay.peerId())
            .map(info -> info.protocols().contains(RelayService.HOP)).orElse(false),
        Duration.ofSeconds(10));

    autoRelay.check();
    assertThat(autoRelay.relays()).as("no reservation while reachability is unknown").isEmpty();
    assertThat(autoRelay.candidates()).containsExactly(addressOf(relay));

    autoRelay.start();
    assertThat(autonat.probe().get(20, TimeUnit.SECONDS).reachability()).isEqualTo(Reachability.PRIVATE);

    Conditions.await("B to reserve on R", () -> autoRelay.relays().contains(relay.peerId()), Duration.ofSeconds(10));
    assertThat(b.advertisedAddresses()).contains(addressOf(relay).encapsulate("/p2p-circuit"));
    assertThat(service.reservationCount()).isEqualTo(1);
    Conditions.await("the new address to be pushed", () -> pushes.get() > 0);
    assertThat(autoRelay.candidates()).as("a held relay is no candidate").isEmpty();
  }

  @Test
  void relayThatRefusesIsBackedOff() throws Exception {
    NettyHost relay = hosts.start();
    track(new RelayService(relay, RelayLimits.defaults().withReservations(0, 0, Duration.ofHours(1))).start());
    NettyHost b = hosts.start();
    RelayClient client = track(new RelayClient(b).start());
    AutoNatService autonat = track(new AutoNatService(b, AUTONAT));
    AutoRelay autoRelay = new AutoRelay(b, client, autonat, AutoRelayConfig.DEFAULT
        .withStaticRelays(List.of(addressOf(relay))).withOnlyWhenPrivate(false), () -> {});

    autoRelay.check();

    assertThat(autoRelay.relays()).isEmpty();
    assertThat(autoRelay.candidates()).as("the refusing relay waits out its backoff").isEmpty();
  }
}
