package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code relay} section of config.json. */
class NodeRelayConfigTest {
  @TempDir Path dir;

  @Test
  void aConfigWithoutARelaySectionTakesItsDefaults() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    String text = Files.readString(file);
    Files.writeString(file, text.substring(0, text.indexOf(",\n  \"relay\"")) + "\n}\n");

    NodeConfig config = NodeConfig.read(file);

    assertThat(config.relay()).isEqualTo(NodeConfig.Relay.defaults());
    assertThat(config.relay().enabled()).isFalse();
  }

  @Test
  void bandwidthSharingWithoutARateIsNamed() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    Files.writeString(file, Files.readString(file)
        .replace("\"bandwidthSharing\" : false", "\"bandwidthSharing\" : true")
        .replaceAll("\"rateBytesPerSecond\" : \\d+", "\"rateBytesPerSecond\" : 0")
        .replaceAll("\"totalRateBytesPerSecond\" : \\d+", "\"totalRateBytesPerSecond\" : 0"));

    assertThatThrownBy(() -> NodeConfig.read(file)).hasMessageContaining("relay.rateBytesPerSecond");
  }

  @Test
  void aStaticRelayWithoutPeerIdIsNamed() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    Files.writeString(file, Files.readString(file)
        .replace("\"staticRelays\" : [ ]", "\"staticRelays\" : [ \"/ip4/10.0.0.1/tcp/4101\" ]"));

    assertThatThrownBy(() -> NodeConfig.read(file))
        .hasMessageContaining("relay.staticRelays")
        .hasMessageContaining("/p2p/<relay id>");
  }

  @Test
  void aNegativeCircuitCapIsNamed() throws Exception {
    Path file = dir.resolve("config.json");
    NodeConfig.defaults().write(file);
    Files.writeString(file, Files.readString(file)
        .replaceAll("\"circuitBytes\" : \\d+", "\"circuitBytes\" : -5"));

    assertThatThrownBy(() -> NodeConfig.read(file)).hasMessageContaining("relay.circuitBytes");
  }
}
