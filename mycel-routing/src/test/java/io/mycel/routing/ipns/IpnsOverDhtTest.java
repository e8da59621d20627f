package io.mycel.routing.ipns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Host;
import io.mycel.net.testing.TestHosts;
import io.mycel.routing.kad.KadConfig;
import io.mycel.routing.kad.KadDht;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** IPNS names published into and resolved from a DHT of real loopback nodes. */
class IpnsOverDhtTest {
  @RegisterExtension final TestHosts hosts = new TestHosts();
  private final List<KadDht> dhts = new ArrayList<>();

  private void startNetwork(int size) throws Exception {
    Clock clock = Clock.systemUTC();
    List<Host> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Host host = hosts.start();
      nodes.add(host);
      dhts.add(new KadDht(host, KadConfig.DEFAULT, clock,
          Map.of(IpnsRecordValidator.NAMESPACE, new IpnsRecordValidator(clock))).start());
    }
    var bootstrap = nodes.get(0).listenAddresses().get(0).withPeerId(nodes.get(0).peerId());
    for (int i = 1; i < size; i++) {
      dhts.get(i).addBootstrapPeer(bootstrap).get(10, TimeUnit.SECONDS);
      dhts.get(i).bootstrap().get(20, TimeUnit.SECONDS);
    }
  }

  private static byte[] record(PrivateKey key, String path, long sequence) {
    return IpnsRecord.create(key, path, sequence, Instant.now().plus(Duration.ofHours(24)),
        Duration.ofMinutes(5)).marshal();
  }

  @Test
  void aNamePublishedOnOneNodeResolvesOnAnotherAndFollowsARepublish() throws Exception {
    startNetwork(8);
    PrivateKey siteKey = Ed25519.generate();
    IpnsName name = IpnsName.parse("/ipns/" + PeerId.fromPublicKey(siteKey.publicKey()));
    String v1 = "/ipfs/bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
    String v2 = "/ipfs/bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

    assertThat(dhts.get(2).putValue(name.routingKey(), record(siteKey, v1, 1)).get(30, TimeUnit.SECONDS))
        .isPositive();
    byte[] found = dhts.get(6).getValue(name.routingKey()).get(30, TimeUnit.SECONDS).orElseThrow();
    assertThat(IpnsRecord.unmarshal(found).path()).isEqualTo(v1);

    dhts.get(4).putValue(name.routingKey(), record(siteKey, v2, 2)).get(30, TimeUnit.SECONDS);
    byte[] updated = dhts.get(7).getValue(name.routingKey()).get(30, TimeUnit.SECONDS).orElseThrow();
    assertThat(IpnsRecord.unmarshal(updated).path()).isEqualTo(v2);

    // A lower sequence does not replace the higher one anywhere.
    dhts.get(1).putValue(name.routingKey(), record(siteKey, v1, 1)).get(30, TimeUnit.SECONDS);
    byte[] still = dhts.get(5).getValue(name.routingKey()).get(30, TimeUnit.SECONDS).orElseThrow();
    assertThat(IpnsRecord.unmarshal(still).sequence()).isEqualTo(2);
  }

  @Test
  void aRecordSignedByAnotherKeyIsRefused() throws Exception {
    startNetwork(3);
    PrivateKey owner = Ed25519.generate();
    PrivateKey forger = Ed25519.generate();
    IpnsName name = IpnsName.parse("/ipns/" + PeerId.fromPublicKey(owner.publicKey()));
    byte[] forged = record(forger, "/ipfs/bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4", 9);
    assertThatThrownBy(() -> dhts.get(1).putValue(name.routingKey(), forged).get(30, TimeUnit.SECONDS))
        .hasMessageContaining("IPNS");
  }
}
