package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon runs mDNS as its config says, and only when other machines can reach it. */
class DaemonMdnsTest {
  private static final String LOOPBACK = "/ip4/127.0.0.1/tcp/0";

  @TempDir Path dir;

  private NodeHome home(String name) throws Exception {
    NodeHome home = new NodeHome(dir.resolve(name));
    home.init(NodeConfig.defaults());
    return home;
  }

  private static NodeConfig config(NodeHome home, String listen) throws Exception {
    return home.loadConfig().withListen(List.of(listen)).withGateway(LOOPBACK).withApi(LOOPBACK);
  }

  @Test
  void aDaemonOnLoopbackOnlyRunsNoMdns() throws Exception {
    NodeHome home = home("loopback");
    assertThat(home.loadConfig().discovery().mdns()).isTrue();
    try (Daemon daemon = Daemon.start(home, config(home, LOOPBACK))) {
      assertThat(daemon.node().listensBeyondLoopback()).isFalse();
      assertThat(daemon.node().mdns()).isEmpty();
    }
  }

  @Test
  void aDaemonOnEveryInterfaceRunsMdnsUnlessTurnedOff() throws Exception {
    NodeHome on = home("on");
    try (Daemon daemon = Daemon.start(on, config(on, "/ip4/0.0.0.0/tcp/0"))) {
      if (daemon.node().listensBeyondLoopback()) {
        assertThat(daemon.node().mdns()).hasValueSatisfying(mdns -> {
          assertThat(mdns.config().port()).isEqualTo(5353);
          assertThat(mdns.config().interval().toMillis())
              .isEqualTo(NodeConfig.Discovery.DEFAULT_MDNS_INTERVAL_MS);
        });
      }
    }
    NodeHome off = home("off");
    NodeConfig without = config(off, "/ip4/0.0.0.0/tcp/0")
        .withDiscovery(new NodeConfig.Discovery(false, 10_000));
    try (Daemon daemon = Daemon.start(off, without)) {
      assertThat(daemon.node().mdns()).isEmpty();
    }
  }
}
