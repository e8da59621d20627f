package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.routing.ipns.InvalidIpnsRecordException;
import io.mycel.routing.ipns.IpnsName;
import io.mycel.routing.ipns.IpnsRecord;
import io.mycel.routing.ipns.pb.IpnsProtos.IpnsEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names published by one node resolve on another through the DHT of real loopback nodes. */
class NamesTest {
  private static final String V1 = "/ipfs/bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
  private static final String V2 = "/ipfs/bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
  private static final Duration LIFETIME = Duration.ofHours(1);
  private static final Duration TTL = Duration.ofMinutes(5);

  @TempDir Path dir;
  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(Node::close);
  }

  private Node start() {
    Node node = Node.start(Ed25519.generate(),
        NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0")));
    nodes.add(node);
    return node;
  }

  /** Starts {@code size} nodes, each joined to the DHT through the first. */
  private List<Node> network(int size) throws Exception {
    List<Node> network = new ArrayList<>();
    Node first = start();
    network.add(first);
    for (int i = 1; i < size; i++) {
      Node node = start();
      node.dht().addBootstrapPeer(first.dialableAddresses().get(0)).get(10, TimeUnit.SECONDS);
      node.dht().bootstrap().get(20, TimeUnit.SECONDS);
      network.add(node);
    }
    return network;
  }

  private Names names(String home) {
    return new Names(dir.resolve(home).resolve(Names.STATE_FILE), Clock.systemUTC(),
        Duration.ofSeconds(20));
  }

  @Test
  void aNamePublishedOnOneNodeResolvesOnAnother() throws Exception {
    List<Node> network = network(4);
    PrivateKey key = Ed25519.generate();
    Names.Publication published = names("a").publish(network.get(1), key, V1, LIFETIME, TTL);
    assertThat(published.peers()).isPositive();
    assertThat(published.record().sequence()).isZero();
    assertThat(published.name()).isEqualTo(Keystore.ipnsName(key));

    assertThat(names("c").resolve(network.get(3), published.name().toString())).isEqualTo(V1);
    assertThat(names("c").resolve(network.get(3), published.name().toBase36())).isEqualTo(V1);
  }

  @Test
  void aRepublishTakesTheNextSequenceAndResolvesToTheNewPath() throws Exception {
    List<Node> network = network(4);
    PrivateKey key = Ed25519.generate();
    Names a = names("a");
    a.publish(network.get(1), key, V1, LIFETIME, TTL);
    Names.Publication second = a.publish(network.get(1), key, V2, LIFETIME, TTL);
    assertThat(second.record().sequence()).isEqualTo(1);
    assertThat(a.lastSequence(second.name())).contains(1L);
    assertThat(names("c").resolve(network.get(3), second.name().toString())).isEqualTo(V2);
  }

  @Test
  void aRepublishFromAnotherHomeFollowsTheSequenceFoundInTheDht() throws Exception {
    List<Node> network = network(4);
    PrivateKey key = Ed25519.generate();
    names("a").publish(network.get(1), key, V1, LIFETIME, TTL);
    names("a").publish(network.get(1), key, V1, LIFETIME, TTL);
    Names.Publication elsewhere = names("b").publish(network.get(2), key, V2, LIFETIME, TTL);
    assertThat(elsewhere.record().sequence()).isEqualTo(2);
    assertThat(names("c").resolve(network.get(3), elsewhere.name().toString())).isEqualTo(V2);
  }

  @Test
  void theSequenceKeptAtHomeCountsWhenTheDhtHasForgotten() throws Exception {
    PrivateKey key = Ed25519.generate();
    Names a = names("a");
    a.publish(network(2).get(1), key, V1, LIFETIME, TTL);
    nodes.forEach(Node::close);
    nodes.clear();
    Names.Publication again = a.publish(network(2).get(1), key, V2, LIFETIME, TTL);
    assertThat(again.record().sequence()).isEqualTo(1);
  }

  @Test
  void theHomeThatPublishedResolvesWithoutPeers() throws Exception {
    PrivateKey key = Ed25519.generate();
    Names a = names("a");
    Names.Publication published = a.publish(network(2).get(1), key, V1, LIFETIME, TTL);
    Node alone = start();
    assertThat(a.resolve(alone, published.name().toString())).isEqualTo(V1);
    assertThat(Files.readString(a.stateFile())).contains(published.name().toBase36(), V1);
  }

  @Test
  void anUnknownNameIsNotFound() throws Exception {
    Node alone = start();
    IpnsName nobody = Keystore.ipnsName(Ed25519.generate());
    assertThatThrownBy(() -> names("a").resolve(alone, nobody.toString()))
        .isInstanceOf(IOException.class).hasMessageContaining("no record found for " + nobody);
  }

  @Test
  void aTamperedRecordFailsValidation() throws Exception {
    PrivateKey key = Ed25519.generate();
    Names a = names("a");
    Names.Publication published = a.publish(network(2).get(1), key, V1, LIFETIME, TTL);
    nodes.forEach(Node::close);
    nodes.clear();

    // Point the kept record elsewhere without re-signing it.
    IpnsEntry entry = IpnsEntry.parseFrom(published.record().marshal());
    byte[] forgedData = IpnsRecord.create(Ed25519.generate(), V2, 0,
        published.record().validity(), TTL).entry().getData().toByteArray();
    byte[] tampered = entry.toBuilder()
        .setValue(ByteString.copyFrom(V2, StandardCharsets.UTF_8))
        .setData(ByteString.copyFrom(forgedData))
        .build().toByteArray();
    ObjectMapper json = new ObjectMapper();
    ObjectNode state = (ObjectNode) json.readTree(a.stateFile().toFile());
    ((ObjectNode) state.get(published.name().toBase36()))
        .put("record", Base64.getEncoder().encodeToString(tampered));
    Files.writeString(a.stateFile(), json.writeValueAsString(state));

    Node alone = start();
    assertThatThrownBy(() -> a.resolve(alone, published.name().toString()))
        .isInstanceOf(InvalidIpnsRecordException.class)
        .hasMessageContaining("signatureV2 does not verify");
  }

  @Test
  void aTamperedKeptRecordDoesNotHideTheValidOneInTheDht() throws Exception {
    List<Node> network = network(3);
    PrivateKey key = Ed25519.generate();
    Names.Publication published = names("a").publish(network.get(1), key, V1, LIFETIME, TTL);
    IpnsEntry entry = IpnsEntry.parseFrom(published.record().marshal());
    byte[] signature = entry.getSignatureV2().toByteArray();
    signature[0] ^= 1;
    byte[] tampered = entry.toBuilder().setSignatureV2(ByteString.copyFrom(signature))
        .build().toByteArray();
    ObjectMapper json = new ObjectMapper();
    Path stateFile = names("a").stateFile();
    ObjectNode state = (ObjectNode) json.readTree(stateFile.toFile());
    ((ObjectNode) state.get(published.name().toBase36()))
        .put("record", Base64.getEncoder().encodeToString(tampered));
    Files.writeString(stateFile, json.writeValueAsString(state));

    assertThat(names("a").resolve(network.get(2), published.name().toString())).isEqualTo(V1);
  }

  @Test
  void aPathThatIsNotIpfsOrIpnsIsRefused() throws Exception {
    Node alone = start();
    assertThatThrownBy(() -> names("a").publish(alone, Ed25519.generate(), "/http/example.org",
        LIFETIME, TTL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/http/example.org");
  }

  @Test
  void aPathWithABadCidIsRefused() throws Exception {
    Node alone = start();
    assertThatThrownBy(() -> names("a").publish(alone, Ed25519.generate(), "/ipfs/notacid",
        LIFETIME, TTL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("notacid");
  }

  @Test
  void aNameThatIsNotAnIpnsNameIsRefused() throws Exception {
    Node alone = start();
    assertThatThrownBy(() -> names("a").resolve(alone, "/ipns/not-a-name"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-a-name");
  }
}
