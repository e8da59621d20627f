package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsRoundTripThroughTheFile() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    assertThat(NodeConfig.read(file)).isEqualTo(NodeConfig.defaults());
  }

  @Test
  void anUnknownKeyIsNamed() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    Files.writeString(file, Files.readString(file).replace("\"listen\"", "\"listne\""));
    assertThatThrownBy(() -> NodeConfig.read(file))
        .isInstanceOf(NodeConfig.InvalidConfigException.class)
        .hasMessageContaining("unknown key \"swarm.listne\"");
  }

  @Test
  void aMissingKeyIsNamed() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"swarm\": {\"listen\": []}, \"storage\": {\"quotaBytes\": 0, \"verifyOnRead\": true}}");
    assertThatThrownBy(() -> NodeConfig.read(file)).hasMessageContaining("missing key \"limits\"");
  }

  @Test
  void aConfigWithoutTheNewerSectionsTakesTheirDefaults() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"swarm\": {\"listen\": [\"/ip4/0.0.0.0/tcp/4101\"]}, \"limits\": "
        + "{\"maxConnections\": 10, \"maxConnectionsPerPeer\": 2, \"maxStreamsPerConnection\": 8, "
        + "\"handshakeTimeoutMs\": 1000, \"negotiationTimeoutMs\": 1000, \"idleStreamTimeoutMs\": 1000}}");
    NodeConfig config = NodeConfig.read(file);
    assertThat(config.storage()).isEqualTo(NodeConfig.Storage.defaults());
    assertThat(config.bootstrap()).isEmpty();
    assertThat(config.limits().maxConnections()).isEqualTo(10);
    assertThat(config.discovery()).isEqualTo(NodeConfig.Discovery.defaults());
  }

  @Test
  void mdnsIsOnByDefaultAndItsIntervalIsChecked() throws Exception {
    assertThat(NodeConfig.defaults().discovery().mdns()).isTrue();
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    Files.writeString(file, Files.readString(file).replace("\"mdnsIntervalMs\" : 10000", "\"mdnsIntervalMs\" : 0"));
    assertThatThrownBy(() -> NodeConfig.read(file))
        .hasMessageContaining("discovery.mdnsIntervalMs: must be a positive number");
  }

  @Test
  void aNegativeQuotaIsNamed() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    Files.writeString(file, Files.readString(file).replace("\"quotaBytes\" : 10737418240", "\"quotaBytes\" : -1"));
    assertThatThrownBy(() -> NodeConfig.read(file)).hasMessageContaining("storage.quotaBytes");
  }

  @Test
  void aNegativeGatewayCacheQuotaIsNamed() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    Files.writeString(file, Files.readString(file).replace("\"cacheQuotaBytes\" : 1073741824",
        "\"cacheQuotaBytes\" : -5"));
    assertThatThrownBy(() -> NodeConfig.read(file)).hasMessageContaining("gateway.cacheQuotaBytes");
  }

  @Test
  void aGatewaySectionWithoutTheCacheQuotaTakesItsDefault() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    Files.writeString(file, Files.readString(file).replace(",\n    \"cacheQuotaBytes\" : 1073741824",
        ""));
    assertThat(Files.readString(file)).doesNotContain("cacheQuotaBytes");
    NodeConfig config = NodeConfig.read(file);
    assertThat(config.gateway().cacheQuotaBytes())
        .isEqualTo(NodeConfig.Gateway.DEFAULT_CACHE_QUOTA_BYTES);
  }

  @Test
  void aNatSectionFromBeforeHolePunchingTakesTheNewKeysDefaults() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().withNat(new NodeConfig.Nat(false, true, false, false)).write(file);
    String older = Files.readString(file).replace(",\n    \"autoRelay\" : false", "")
        .replace(",\n    \"holePunching\" : false", "");
    Files.writeString(file, older);
    assertThat(Files.readString(file)).doesNotContain("autoRelay").doesNotContain("holePunching");

    NodeConfig config = NodeConfig.read(file);

    assertThat(config.nat().autonat()).isFalse();
    assertThat(config.nat().autonatPrivateAddresses()).isTrue();
    assertThat(config.nat().autoRelay()).isEqualTo(NodeConfig.Nat.defaults().autoRelay());
    assertThat(config.nat().holePunching()).isEqualTo(NodeConfig.Nat.defaults().holePunching());
  }

  @Test
  void environmentVariablesOverrideKeysForOneRun() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    String before = Files.readString(file);

    NodeConfig config = NodeConfig.read(file, Map.of(
        "MYCEL_API_LISTEN", "/ip4/127.0.0.1/tcp/7171",
        "MYCEL_SWARM_LISTEN", "/ip4/0.0.0.0/tcp/4201, /ip6/::/tcp/4202",
        "MYCEL_LIMITS_MAX_CONNECTIONS", "99",
        "MYCEL_DISCOVERY_MDNS", "false",
        "MYCEL_HOME", "/elsewhere",
        "PATH", "/usr/bin"));

    assertThat(config.api().listen()).isEqualTo("/ip4/127.0.0.1/tcp/7171");
    assertThat(config.swarm().listen()).containsExactly("/ip4/0.0.0.0/tcp/4201", "/ip6/::/tcp/4202");
    assertThat(config.limits().maxConnections()).isEqualTo(99);
    assertThat(config.discovery().mdns()).isFalse();
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void environmentOverridesApplyToAHomeWithoutAConfigFile() throws Exception {
    NodeConfig config = NodeConfig.defaults(Map.of("MYCEL_GATEWAY_LISTEN", ""));
    assertThat(config.gateway().listen()).isEmpty();
  }

  @Test
  void anEnvironmentVariableNamingNoKeyIsRefusedByName() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    assertThatThrownBy(() -> NodeConfig.read(file, Map.of("MYCEL_API_LISTN", "/ip4/127.0.0.1/tcp/1")))
        .hasMessageContaining("MYCEL_API_LISTN").hasMessageContaining("names no config key");
  }

  @Test
  void aBadValueInAnEnvironmentVariableIsNamed() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    assertThatThrownBy(() -> NodeConfig.read(file, Map.of("MYCEL_DISCOVERY_MDNS", "yes")))
        .hasMessageContaining("MYCEL_DISCOVERY_MDNS").hasMessageContaining("true or false");
    assertThatThrownBy(() -> NodeConfig.read(file, Map.of("MYCEL_LIMITS_MAX_CONNECTIONS", "many")))
        .hasMessageContaining("MYCEL_LIMITS_MAX_CONNECTIONS").hasMessageContaining("whole number");
    assertThatThrownBy(() -> NodeConfig.read(file, Map.of("MYCEL_LIMITS_MAX_CONNECTIONS", "0")))
        .hasMessageContaining("limits.maxConnections: must be a positive number");
  }

  @Test
  void aBadValueIsNamed() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    Files.writeString(file, Files.readString(file).replace("\"maxConnections\" : 2048", "\"maxConnections\" : 0"));
    assertThatThrownBy(() -> NodeConfig.read(file))
        .hasMessageContaining("limits.maxConnections: must be a positive number");
  }

  @Test
  void aWrongTypeIsNamed() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    Files.writeString(file, Files.readString(file).replace("\"maxConnections\" : 2048", "\"maxConnections\" : \"many\""));
    assertThatThrownBy(() -> NodeConfig.read(file))
        .hasMessageContaining("limits.maxConnections");
  }

  @Test
  void anInvalidListenAddressIsNamed() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    Files.writeString(file, Files.readString(file).replace("/ip4/0.0.0.0/tcp/4101", "/ip4/nowhere/tcp/4101"));
    assertThatThrownBy(() -> NodeConfig.read(file))
        .hasMessageContaining("swarm.listen: invalid multiaddr \"/ip4/nowhere/tcp/4101\"");
  }

  @Test
  void brokenJsonIsReported() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{ \"swarm\": ");
    assertThatThrownBy(() -> NodeConfig.read(file)).hasMessageContaining("not valid JSON");
  }

  @Test
  void initRefusesToOverwriteAnIdentity() throws Exception {
    NodeHome home = new NodeHome(dir.resolve("home"));
    home.init(NodeConfig.defaults());
    assertThat(home.isInitialized()).isTrue();
    assertThatThrownBy(() -> home.init(NodeConfig.defaults())).hasMessageContaining("already exists");
  }
}
