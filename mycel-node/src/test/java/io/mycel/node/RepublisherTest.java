package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.routing.ipns.IpnsName;
import io.mycel.routing.ipns.IpnsRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The names a home published are renewed before they expire, over a DHT of real loopback nodes. */
class RepublisherTest {
  private static final String PATH = "/ipfs/bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
  private static final Duration LIFETIME = Duration.ofHours(1);
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final Republisher.Options OPTIONS =
      new Republisher.Options(Duration.ofMinutes(10), Duration.ofMinutes(30), LIFETIME);

  /** A clock the test moves forward; the DHT's own checks keep the real time. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @TempDir Path dir;
  private final List<Node> nodes = new ArrayList<>();
  private final MovableClock clock = new MovableClock();
  private List<Node> network;
  private NodeHome home;
  private Keystore keystore;
  private Names names;

  @BeforeEach
  void network() throws Exception {
    network = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Node node = Node.start(Ed25519.generate(),
          NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0")));
      nodes.add(node);
      if (i > 0) {
        node.dht().addBootstrapPeer(network.getFirst().dialableAddresses().getFirst())
            .get(10, TimeUnit.SECONDS);
        node.dht().bootstrap().get(20, TimeUnit.SECONDS);
      }
      network.add(node);
    }
    home = new NodeHome(dir.resolve("home"));
    home.init(NodeConfig.defaults());
    keystore = new Keystore(home);
    names = new Names(home.dir().resolve(Names.STATE_FILE), clock, Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    nodes.forEach(Node::close);
  }

  private Names resolver() {
    return new Names(dir.resolve("elsewhere").resolve(Names.STATE_FILE), Clock.systemUTC(),
        Duration.ofSeconds(20));
  }

  @Test
  void aRecordNearItsEndIsRenewedWithTheSameValueAndTheNextSequence() throws Exception {
    IpnsName name = keystore.gen("site");
    PrivateKey key = keystore.load("site");
    Node publisher = network.get(1);
    names.publish(publisher, key, PATH, LIFETIME, TTL);
    clock.advance(Duration.ofMinutes(45));

    List<Republisher.Republished> done =
        new Republisher(publisher, names, keystore, clock, OPTIONS).republishAll();

    assertThat(done).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo(name);
      assertThat(r.action()).isEqualTo(Republisher.Action.RENEWED);
      assertThat(r.record().sequence()).isEqualTo(1);
      assertThat(r.record().path()).isEqualTo(PATH);
      assertThat(r.record().ttl()).isEqualTo(TTL);
      assertThat(r.record().validity()).isEqualTo(clock.instant().plus(LIFETIME));
      assertThat(r.peers()).isPositive();
    });
    assertThat(names.lastSequence(name)).contains(1L);
    IpnsRecord resolved = resolver().resolveRecord(network.get(2), name);
    assertThat(resolved.sequence()).isEqualTo(1);
    assertThat(resolved.path()).isEqualTo(PATH);
  }

  @Test
  void aRecordFarFromItsEndIsStoredAgainUnchanged() throws Exception {
    IpnsName name = keystore.gen("site");
    names.publish(network.get(1), keystore.load("site"), PATH, LIFETIME, TTL);
    IpnsRecord published = names.lastPublished(name).orElseThrow();
    clock.advance(Duration.ofMinutes(10));

    List<Republisher.Republished> done =
        new Republisher(network.get(1), names, keystore, clock, OPTIONS).republishAll();

    assertThat(done).singleElement().satisfies(r -> {
      assertThat(r.action()).isEqualTo(Republisher.Action.STORED_AGAIN);
      assertThat(r.record().marshal()).isEqualTo(published.marshal());
      assertThat(r.peers()).isPositive();
    });
    assertThat(names.lastSequence(name)).contains(0L);
  }

  @Test
  void anExpiredRecordIsRenewedToo() throws Exception {
    IpnsName name = keystore.gen("site");
    names.publish(network.get(1), keystore.load("site"), PATH, LIFETIME, TTL);
    clock.advance(Duration.ofHours(3));

    List<Republisher.Republished> done =
        new Republisher(network.get(1), names, keystore, clock, OPTIONS).republishAll();

    assertThat(done).singleElement().extracting(Republisher.Republished::action)
        .isEqualTo(Republisher.Action.RENEWED);
    assertThat(resolver().resolveRecord(network.get(0), name).sequence()).isEqualTo(1);
  }

  @Test
  void keysThatNeverPublishedAreLeftAlone() throws Exception {
    keystore.gen("unused");
    assertThat(new Republisher(network.get(1), names, keystore, clock, OPTIONS).republishAll())
        .isEmpty();
    assertThat(names.lastSequence(keystore.list().getLast().ipnsName())).isEmpty();
  }

  @Test
  void theScheduleRenewsOnItsOwn() throws Exception {
    IpnsName name = keystore.gen("site");
    Names real = new Names(home);
    real.publish(network.get(1), keystore.load("site"), PATH, Duration.ofSeconds(30), TTL);
    // Every record is within renewBefore of its end, so each round renews it.
    Republisher.Options often = new Republisher.Options(Duration.ofMillis(200),
        Duration.ofHours(1), Duration.ofSeconds(30));
    try (Republisher republisher = Republisher.start(network.get(1), real, keystore, often)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (real.lastSequence(name).orElse(0L) < 2 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      assertThat(republisher.options()).isEqualTo(often);
    }
    assertThat(real.lastSequence(name).orElse(0L)).isGreaterThanOrEqualTo(2);
    assertThat(resolver().resolve(network.get(2), name.toString())).isEqualTo(PATH);
  }

  @Test
  void anIntervalAsLongAsTheLifetimeIsRefused() {
    assertThatThrownBy(() -> new Republisher.Options(Duration.ofHours(48), Duration.ofHours(1),
        Duration.ofHours(48)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter than the record lifetime");
  }
}
