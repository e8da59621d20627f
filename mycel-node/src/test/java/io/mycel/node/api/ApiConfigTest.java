package io.mycel.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.node.Daemon;
import io.mycel.node.DaemonFile;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The api section of config.json, and the api file the daemon keeps in its home. */
class ApiConfigTest {
  private static final String LOOPBACK = "/ip4/127.0.0.1/tcp/0";

  @TempDir Path dir;

  private Path configWith(String api) throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    String json = Files.readString(file);
    int at = json.indexOf("\"api\"");
    Files.writeString(file, json.substring(0, at) + "\"api\" : " + api + "\n}\n");
    return file;
  }

  @Test
  void theDefaultListensOnLoopbackWithoutAToken() {
    NodeConfig.Api api = NodeConfig.defaults().api();
    assertThat(api.listen()).isEqualTo("/ip4/127.0.0.1/tcp/7070");
    assertThat(api.token()).isEmpty();
  }

  @Test
  void aConfigWithoutAnApiSectionTakesTheDefault() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    String json = Files.readString(file);
    String old = json.substring(0, json.indexOf(",\n  \"api\"")) + "\n}\n";
    Files.writeString(file, old);
    assertThat(NodeConfig.read(file).api()).isEqualTo(NodeConfig.Api.defaults());
  }

  @Test
  void aBadListenAddressNamesTheKey() throws Exception {
    Path file = configWith("{\"listen\": \"/ip4/127.0.0.1/udp/7070\", \"token\": \"\"}");
    assertThatThrownBy(() -> NodeConfig.read(file))
        .isInstanceOf(NodeConfig.InvalidConfigException.class).hasMessageContaining("api.listen");
  }

  @Test
  void aPublicAddressWithoutATokenNamesTheTokenKey() throws Exception {
    Path file = configWith("{\"listen\": \"/ip4/0.0.0.0/tcp/7070\", \"token\": \"\"}");
    assertThatThrownBy(() -> NodeConfig.read(file))
        .isInstanceOf(NodeConfig.InvalidConfigException.class).hasMessageContaining("api.token");
  }

  @Test
  void aPublicAddressWithATokenIsAccepted() throws Exception {
    Path file = configWith("{\"listen\": \"/ip4/0.0.0.0/tcp/7070\", "
        + "\"token\": \"0123456789abcdef01\"}");
    assertThat(NodeConfig.read(file).api().token()).isEqualTo("0123456789abcdef01");
  }

  @Test
  void aTokenWithSpacesIsRefused() throws Exception {
    Path file = configWith("{\"listen\": \"\", \"token\": \"0123456789 abcdef01\"}");
    assertThatThrownBy(() -> NodeConfig.read(file))
        .isInstanceOf(NodeConfig.InvalidConfigException.class).hasMessageContaining("api.token");
  }

  @Test
  void anUnknownApiKeyIsNamed() throws Exception {
    Path file = configWith("{\"listen\": \"\", \"token\": \"\", \"tokn\": \"\"}");
    assertThatThrownBy(() -> NodeConfig.read(file))
        .isInstanceOf(NodeConfig.InvalidConfigException.class).hasMessageContaining("api.tokn");
  }

  @Test
  void theApiFileComesAndGoesWithTheDaemon() throws Exception {
    NodeHome home = new NodeHome(dir.resolve("home"));
    home.init(NodeConfig.defaults());
    Path apiFile = home.dir().resolve(DaemonFile.API_FILE);
    try (Daemon daemon = Daemon.start(home, home.loadConfig().withListen(List.of(LOOPBACK))
        .withGateway("").withApi(LOOPBACK))) {
      assertThat(apiFile).hasContent("/ip4/127.0.0.1/tcp/" + daemon.api().address().getPort());
      assertThat(DaemonFile.read(home).orElseThrow().gatewayUrl()).isNull();
    }
    assertThat(apiFile).doesNotExist();
    assertThat(home.dir().resolve(DaemonFile.INFO_FILE)).doesNotExist();
  }

  @Test
  void aDaemonWithoutAnApiWritesNoApiFile() throws Exception {
    NodeHome home = new NodeHome(dir.resolve("home"));
    home.init(NodeConfig.defaults());
    try (Daemon daemon = Daemon.start(home, home.loadConfig().withListen(List.of(LOOPBACK))
        .withGateway("").withApi(""))) {
      assertThat(daemon.api()).isNull();
      assertThat(home.dir().resolve(DaemonFile.API_FILE)).doesNotExist();
      assertThat(DaemonFile.read(home).orElseThrow().apiUrl()).isNull();
    }
  }

  @Test
  void aTakenApiPortFailsTheStartAndReleasesTheHome() throws Exception {
    NodeHome home = new NodeHome(dir.resolve("home"));
    home.init(NodeConfig.defaults());
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      String address = "/ip4/127.0.0.1/tcp/" + taken.getLocalPort();
      assertThatThrownBy(() -> Daemon.start(home, home.loadConfig()
          .withListen(List.of(LOOPBACK)).withGateway("").withApi(address)))
          .hasMessageContaining("API cannot listen");
    }
    assertThat(DaemonFile.read(home)).isEmpty();
    DaemonFile.lock(home).close();
  }
}
