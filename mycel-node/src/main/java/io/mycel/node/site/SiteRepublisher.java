package io.mycel.node.site;

import io.mycel.node.Node;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the daemon's sites reachable: once the node has joined the DHT it publishes every site's
 * name again (announcing those published while offline), then repeats every {@link #DEFAULT_INTERVAL},
 * well within a record's lifetime and the DHT's record expiry.
 */
public final class SiteRepublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SiteRepublisher.class);
  /** How often every site's name is published again. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofHours(4);

  private final ScheduledExecutorService timer;

  private SiteRepublisher(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Starts republishing {@code sites} through {@code node} every {@code interval}. */
  public static SiteRepublisher start(Node node, Sites sites, Duration interval) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(sites, "sites");
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofVirtual().name("site-republisher").factory());
    SiteRepublisher republisher = new SiteRepublisher(timer);
    CompletableFuture<Void> joined = node.joined();
    joined.whenComplete((ok, failure) -> {
      if (!timer.isShutdown()) {
        timer.scheduleWithFixedDelay(() -> republishAll(node, sites), 0, interval.toMillis(),
            TimeUnit.MILLISECONDS);
      }
    });
    return republisher;
  }

  static void republishAll(Node node, Sites sites) {
    try {
      for (Site site : sites.list()) {
        try {
          Site updated = sites.republish(node, site.name());
          LOG.info("republished site {} ({}) to {} peers", site.name(), site.ipnsName(), updated.peers());
        } catch (Exception e) {
          LOG.warn("could not republish site {}: {}", site.name(), e.getMessage());
        }
      }
    } catch (Exception e) {
      LOG.warn("could not read the sites to republish: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
