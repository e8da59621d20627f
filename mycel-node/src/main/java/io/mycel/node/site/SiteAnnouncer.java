package io.mycel.node.site;

import io.mycel.node.Node;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the sites published while no network was reachable ({@link Site#announced()} false):
 * once the daemon's node has joined the DHT, each is published again and {@value Sites#FILE}
 * records how many peers took it. Keeping names alive afterwards is the daemon's IPNS
 * republisher's work, as for every key of the home.
 */
public final class SiteAnnouncer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SiteAnnouncer.class);

  private final ExecutorService worker;

  private SiteAnnouncer(ExecutorService worker) {
    this.worker = worker;
  }

  /** Announces {@code sites}' unannounced names through {@code node} once it has joined. */
  public static SiteAnnouncer start(Node node, Sites sites) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(sites, "sites");
    ExecutorService worker = Executors.newSingleThreadExecutor(
        Thread.ofVirtual().name("site-announcer").factory());
    SiteAnnouncer announcer = new SiteAnnouncer(worker);
    node.joined().whenComplete((ok, failure) -> {
      try {
        worker.execute(() -> announce(node, sites));
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        // the daemon stopped before the node joined
      }
    });
    return announcer;
  }

  static void announce(Node node, Sites sites) {
    try {
      for (Site site : sites.list()) {
        if (site.announced() || Thread.currentThread().isInterrupted()) {
          continue;
        }
        try {
          Site updated = sites.republish(node, site.name());
          LOG.info("announced site {} ({}) to {} peers", site.name(), site.ipnsName(), updated.peers());
        } catch (Exception e) {
          LOG.warn("could not announce site {}: {}", site.name(), e.getMessage());
        }
      }
    } catch (Exception e) {
      LOG.warn("could not read the sites to announce: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
