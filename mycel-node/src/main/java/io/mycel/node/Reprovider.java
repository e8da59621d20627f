package io.mycel.node;

import io.mycel.content.pin.Pin;
import io.mycel.content.pin.PinType;
import io.mycel.core.cid.Cid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Announces the roots of the repository's recursive pins in the DHT once the node has joined it,
 * and again every {@link #INTERVAL}, well inside the 48 h life of a provider record.
 */
public final class Reprovider implements AutoCloseable {
  public static final Duration INTERVAL = Duration.ofHours(12);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "mycel-reprovider");
    t.setDaemon(true);
    return t;
  });

  private Reprovider() {}

  /** Starts announcing {@code repo}'s pinned roots through {@code node}. */
  public static Reprovider start(Node node, Repo repo) {
    return start(node, repo, List::of);
  }

  /**
   * Starts announcing {@code repo}'s pinned roots and the roots {@code alsoProvided} names each
   * time (the gateway cache's) through {@code node}.
   */
  public static Reprovider start(Node node, Repo repo, Supplier<List<Cid>> alsoProvided) {
    Reprovider reprovider = new Reprovider();
    node.joined().thenRun(() -> reprovider.scheduler.scheduleAtFixedRate(() -> {
      List<Cid> roots = new ArrayList<>(roots(repo));
      roots.addAll(alsoProvided.get());
      node.provide(roots.stream().distinct().toList());
    }, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS));
    return reprovider;
  }

  static List<Cid> roots(Repo repo) {
    return repo.pins().list(PinType.RECURSIVE).stream().map(Pin::cid).toList();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
