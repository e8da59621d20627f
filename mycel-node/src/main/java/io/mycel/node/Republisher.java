package io.mycel.node;

import io.mycel.core.crypto.PrivateKey;
import io.mycel.routing.ipns.IpnsName;
import io.mycel.routing.ipns.IpnsRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the IPNS names this home published alive, as Kubo's republisher does: once the node has
 * joined the DHT and then every {@link Options#interval()}, the last record of each key of the
 * keystore is looked at. One whose validity ends within {@link Options#renewBefore()} (or has
 * ended) is replaced by a new record with the same value, the next sequence and a new validity of
 * {@link Options#lifetime()}; any other is stored in the DHT again as it is, so that it outlives
 * the peers that held it. Keys that never published are left alone.
 *
 * @see <a href="https://specs.ipfs.tech/ipns/ipns-record/#record-validity">IPNS record
 *     validity</a>
 */
public final class Republisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Republisher.class);

  /**
   * When and how names are republished.
   *
   * @param interval time between two rounds (Kubo: 4 h)
   * @param renewBefore a record whose validity ends sooner than this is renewed
   * @param lifetime validity of a renewed record
   */
  public record Options(Duration interval, Duration renewBefore, Duration lifetime) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(4);
    public static final Duration DEFAULT_RENEW_BEFORE = Duration.ofHours(24);
    public static final Options DEFAULT =
        new Options(DEFAULT_INTERVAL, DEFAULT_RENEW_BEFORE, Names.DEFAULT_LIFETIME);

    public Options {
      positive(interval, "interval");
      positive(renewBefore, "renewBefore");
      positive(lifetime, "lifetime");
      if (interval.compareTo(lifetime) >= 0) {
        throw new IllegalArgumentException("republish interval " + interval
            + " must be shorter than the record lifetime " + lifetime);
      }
    }

    private static void positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("republish " + name + " must be positive: " + value);
      }
    }
  }

  /** What one round did with one name. */
  public enum Action {
    /** A new record with the next sequence and a new validity was published. */
    RENEWED,
    /** The last record, still valid long enough, was stored in the DHT again. */
    STORED_AGAIN
  }

  /**
   * The outcome for one name.
   *
   * @param name the name
   * @param action what was done
   * @param record the record now in the DHT
   * @param peers how many DHT peers accepted it
   */
  public record Republished(IpnsName name, Action action, IpnsRecord record, int peers) {}

  private final Node node;
  private final Names names;
  private final Keystore keystore;
  private final Clock clock;
  private final Options options;
  private final Duration dhtTimeout;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "mycel-republisher");
    t.setDaemon(true);
    return t;
  });

  public Republisher(Node node, Names names, Keystore keystore, Clock clock, Options options) {
    this.node = Objects.requireNonNull(node, "node");
    this.names = Objects.requireNonNull(names, "names");
    this.keystore = Objects.requireNonNull(keystore, "keystore");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
    this.dhtTimeout = Names.DEFAULT_DHT_TIMEOUT;
  }

  /** Starts republishing the names of {@code keystore} through {@code node} on a schedule. */
  public static Republisher start(Node node, Names names, Keystore keystore, Options options) {
    Republisher republisher = new Republisher(node, names, keystore, Clock.systemUTC(), options);
    node.joined().thenRun(() -> republisher.scheduler.scheduleWithFixedDelay(
        republisher::republishQuietly, 0, options.interval().toMillis(), TimeUnit.MILLISECONDS));
    return republisher;
  }

  public Options options() {
    return options;
  }

  /**
   * One round: every key's last record renewed or stored again. A name that fails is logged and
   * left for the next round.
   */
  public List<Republished> republishAll() throws IOException {
    List<Republished> done = new ArrayList<>();
    for (Keystore.Entry entry : keystore.list()) {
      try {
        republish(entry).ifPresent(done::add);
      } catch (IOException | RuntimeException e) {
        LOG.warn("republishing {} (key '{}') failed, trying again in {}: {}", entry.ipnsName(),
            entry.name(), options.interval(), e.getMessage());
      }
    }
    return done;
  }

  private Optional<Republished> republish(Keystore.Entry entry) throws IOException {
    IpnsName name = entry.ipnsName();
    Optional<IpnsRecord> last = names.lastPublished(name);
    if (last.isEmpty()) {
      return Optional.empty();
    }
    IpnsRecord record = last.get();
    if (record.validity().isBefore(clock.instant().plus(options.renewBefore()))) {
      PrivateKey key = keystore.load(entry.name());
      Names.Publication renewed = names.publish(node, key, record.path(), options.lifetime(),
          record.ttl());
      LOG.info("renewed {} -> {} (sequence {}, valid until {})", name, record.path(),
          renewed.record().sequence(), renewed.record().validity());
      return Optional.of(new Republished(name, Action.RENEWED, renewed.record(), renewed.peers()));
    }
    int peers = await(node.dht().putValue(name.routingKey(), record.marshal()), name);
    LOG.debug("stored {} again (sequence {}) on {} peers", name, record.sequence(), peers);
    return Optional.of(new Republished(name, Action.STORED_AGAIN, record, peers));
  }

  private void republishQuietly() {
    try {
      republishAll();
    } catch (IOException | RuntimeException e) {
      LOG.warn("republishing names failed, trying again in {}: {}", options.interval(),
          e.getMessage());
    }
  }

  private int await(java.util.concurrent.CompletableFuture<Integer> put, IpnsName name)
      throws IOException {
    try {
      return put.get(dhtTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      put.cancel(true);
      throw new IOException("storing " + name + " again timed out after " + dhtTimeout.toSeconds()
          + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("storing " + name + " again was interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IOException("storing " + name + " again failed: " + cause.getMessage(), cause);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
