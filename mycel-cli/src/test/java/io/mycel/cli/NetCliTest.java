package io.mycel.cli;

import static io.mycel.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycel.node.Daemon;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetCliTest {
  @TempDir Path dir;

  private NodeHome home(String name) throws Exception {
    Path path = dir.resolve(name);
    CliTest.Result init = run("init", "--home", path.toString());
    assertThat(init.exitCode()).as(init.err()).isZero();
    NodeHome home = new NodeHome(path);
    NodeConfig config = home.loadConfig()
        .withListen(List.of("/ip4/127.0.0.1/tcp/0"))
        .withGateway("")
        .withApi("")
        .withNat(new NodeConfig.Nat(true, true, true, true));
    config.write(home.configFile());
    return home;
  }

  @Test
  void statusWithoutDaemonSaysSoAndFails() throws Exception {
    NodeHome home = home("a");

    CliTest.Result r = run("net", "status", "--home", home.dir().toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no Mycel daemon is running").contains("mycel daemon");
  }

  @Test
  void statusShowsReachabilityAddressesReservationsAndRelayOfTheRunningDaemons() throws Exception {
    NodeHome homeA = home("a");
    NodeHome homeB = home("b");
    setRelay(homeA, true, List.of());
    try (Daemon a = Daemon.start(homeA, homeA.loadConfig())) {
      homeB.loadConfig().withApi("/ip4/127.0.0.1/tcp/0").write(homeB.configFile());
      setRelay(homeB, false, List.of(a.node().dialableAddresses().get(0).toString()));
      try (Daemon b = Daemon.start(homeB, homeB.loadConfig())) {
        await("B to know A as an AutoNAT server", () -> b.node().autonat().serverCount() == 1);
        b.node().autonat().probe().get(20, TimeUnit.SECONDS);

        await("B's status (through its API) to show the probe and the reservation", () -> {
          String out = run("net", "status", "--home", homeB.dir().toString(), "--json").out();
          return out.contains("\"PUBLIC\"") && out.contains("p2p-circuit");
        });
        JsonNode status = new ObjectMapper().readTree(
            run("net", "status", "--home", homeB.dir().toString(), "--json").out());
        assertThat(status.get("peerId").asText()).isEqualTo(b.node().peerId().toString());
        assertThat(status.get("publicAddress").asText())
            .isEqualTo(b.node().host().listenAddresses().get(0).toString());
        assertThat(status.get("observedAddresses").get(0).asText()).startsWith("/ip4/127.0.0.1/tcp/");
        assertThat(status.get("reservations").get(0).get("relay").asText()).isEqualTo(a.node().peerId().toString());
        assertThat(status.get("relay").isNull()).isTrue();

        CliTest.Result human = run("net", "status", "--home", homeB.dir().toString());
        assertThat(human.exitCode()).as(human.err()).isZero();
        assertThat(human.out()).contains("reachability:  public (confidence 0)", "observed addresses:",
            "listen addresses:", "reservations held:", "on " + a.node().peerId(), "/p2p-circuit");

        await("A's status file to show its relay service", () -> run("net", "status", "--home",
            homeA.dir().toString()).out().contains("relay service: 1 reservations"));
      }
    }
    assertThat(run("net", "status", "--home", homeA.dir().toString()).exitCode()).isEqualTo(1);
  }

  /** Sets {@code relay.enabled} and {@code relay.staticRelays} in the home's config.json. */
  private static void setRelay(NodeHome home, boolean enabled, List<String> staticRelays) throws Exception {
    ObjectMapper json = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode config =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(home.configFile().toFile());
    com.fasterxml.jackson.databind.node.ObjectNode relay =
        (com.fasterxml.jackson.databind.node.ObjectNode) config.get("relay");
    relay.put("enabled", enabled);
    relay.set("staticRelays", json.valueToTree(staticRelays));
    json.writeValue(home.configFile().toFile(), config);
  }

  private static void await(String what, BooleanSupplier condition) throws TimeoutException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
