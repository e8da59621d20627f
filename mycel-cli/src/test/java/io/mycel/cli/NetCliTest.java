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
        .withApi("/ip4/127.0.0.1/tcp/0")
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
  void statusShowsReachabilityAndAddressesOfTheRunningDaemon() throws Exception {
    NodeHome homeA = home("a");
    NodeHome homeB = home("b");
    try (Daemon a = Daemon.start(homeA, homeA.loadConfig());
        Daemon b = Daemon.start(homeB, homeB.loadConfig())) {
      a.node().host().dial(b.node().dialableAddresses().get(0)).get(10, TimeUnit.SECONDS);
      await("A to know B as an AutoNAT server", () -> a.node().autonat().serverCount() == 1);
      a.node().autonat().probe().get(20, TimeUnit.SECONDS);

      await("the status file to show the probe", () -> run("net", "status", "--home",
          homeA.dir().toString(), "--json").out().contains("\"PUBLIC\""));
      CliTest.Result json = run("net", "status", "--home", homeA.dir().toString(), "--json");
      JsonNode status = new ObjectMapper().readTree(json.out());
      assertThat(status.get("peerId").asText()).isEqualTo(a.node().peerId().toString());
      assertThat(status.get("publicAddress").asText())
          .isEqualTo(a.node().host().listenAddresses().get(0).toString());
      assertThat(status.get("observedAddresses").get(0).asText()).startsWith("/ip4/127.0.0.1/tcp/");
      assertThat(status.get("peers").asInt()).isEqualTo(1);

      CliTest.Result human = run("net", "status", "--home", homeA.dir().toString());
      assertThat(human.exitCode()).as(human.err()).isZero();
      assertThat(human.out()).contains("reachability:  public (confidence 0)", "observed addresses:",
          "listen addresses:");
    }
    assertThat(run("net", "status", "--home", homeA.dir().toString()).exitCode()).isEqualTo(1);
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
