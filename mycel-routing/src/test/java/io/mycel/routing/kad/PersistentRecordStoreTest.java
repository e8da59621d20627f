package io.mycel.routing.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Host;
import io.mycel.net.testing.TestHosts;
import io.mycel.routing.ipns.IpnsName;
import io.mycel.routing.ipns.IpnsRecord;
import io.mycel.routing.ipns.IpnsRecordValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PersistentRecordStoreTest {

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @RegisterExtension final TestHosts hosts = new TestHosts();
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private long files(Path directory) throws IOException {
    try (Stream<Path> list = Files.list(directory)) {
      return list.count();
    }
  }

  private KadDht dht(Host host) {
    return new KadDht(host, KadConfig.DEFAULT, clock,
        Map.of(IpnsRecordValidator.NAMESPACE, new IpnsRecordValidator(clock),
            TestValidators.NAMESPACE, TestValidators.VERSIONED),
        dir);
  }

  @Test
  void recordsSurviveAReopen() {
    PersistentRecordStore store = new PersistentRecordStore(dir);
    store.put(bytes("/v/a"), bytes("1"));
    store.put(bytes("/v/a"), bytes("2"));
    store.put(bytes("/v/b"), bytes("7"));

    Map<byte[], byte[]> loaded = new PersistentRecordStore(dir).load();

    assertThat(loaded).hasSize(2);
    loaded.forEach((k, v) -> assertThat(new String(v, StandardCharsets.UTF_8))
        .isEqualTo(new String(k, StandardCharsets.UTF_8).equals("/v/a") ? "2" : "7"));
  }

  @Test
  void removedRecordsStayRemoved() {
    PersistentRecordStore store = new PersistentRecordStore(dir);
    store.put(bytes("/v/a"), bytes("1"));
    store.remove(bytes("/v/a"));

    assertThat(new PersistentRecordStore(dir).load()).isEmpty();
  }

  @Test
  void aTruncatedFileIsDeletedOnLoad() throws IOException {
    new PersistentRecordStore(dir).put(bytes("/v/a"), bytes("12345"));
    Path file;
    try (Stream<Path> list = Files.list(dir)) {
      file = list.findFirst().orElseThrow();
    }
    byte[] content = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(content, content.length - 2));

    assertThat(new PersistentRecordStore(dir).load()).isEmpty();
    assertThat(files(dir)).isZero();
  }

  @Test
  void aRestartedDhtServesTheRecordsItKept() throws Exception {
    PrivateKey key = Ed25519.generate();
    IpnsName name = new IpnsName(PeerId.fromPublicKey(key.publicKey()));
    byte[] record = IpnsRecord.create(key, "/ipfs/bafkqaaa", 3,
        clock.now.plus(Duration.ofHours(1)), Duration.ofMinutes(1)).marshal();
    KadDht first = dht(hosts.start()).start();
    first.putValue(name.routingKey(), record).get(10, TimeUnit.SECONDS);
    first.putValue(TestValidators.key("x"), bytes("5")).get(10, TimeUnit.SECONDS);
    first.close();

    KadDht second = dht(hosts.start()).start();

    assertThat(second.getValue(name.routingKey()).get(10, TimeUnit.SECONDS)).hasValue(record);
    assertThat(second.getValue(TestValidators.key("x")).get(10, TimeUnit.SECONDS)
        .map(v -> new String(v, StandardCharsets.UTF_8))).hasValue("5");
  }

  @Test
  void anIpnsRecordPastItsValidityIsDroppedOnRestart() throws Exception {
    PrivateKey key = Ed25519.generate();
    IpnsName name = new IpnsName(PeerId.fromPublicKey(key.publicKey()));
    byte[] record = IpnsRecord.create(key, "/ipfs/bafkqaaa", 0,
        clock.now.plus(Duration.ofHours(1)), Duration.ofMinutes(1)).marshal();
    KadDht first = dht(hosts.start()).start();
    first.putValue(name.routingKey(), record).get(10, TimeUnit.SECONDS);
    first.close();
    assertThat(files(dir.resolve("records"))).isEqualTo(1);

    clock.now = clock.now.plus(Duration.ofHours(2));
    KadDht second = dht(hosts.start()).start();

    assertThat(second.getValue(name.routingKey()).get(10, TimeUnit.SECONDS))
        .isEqualTo(Optional.empty());
    assertThat(files(dir.resolve("records"))).isZero();
  }
}
