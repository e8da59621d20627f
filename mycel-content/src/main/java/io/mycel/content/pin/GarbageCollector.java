package io.mycel.content.pin;

import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.dag.LinkDecoder;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mark-and-sweep garbage collection of a {@link Blockstore}: marks every block reachable from a
 * recursive pin (following links with a {@link LinkDecoder}) and every directly pinned block,
 * then deletes every other block.
 *
 * <p><b>Adds and collections.</b> Whatever stores blocks that must survive a collection (an
 * import, a fetch for a pin) does it inside an add session:
 *
 * <pre>{@code
 * try (GarbageCollector.AddSession session = gc.beginAdd()) {
 *   store.put(...);               // the DAG's blocks
 *   pins.pinRecursive(root);
 * }
 * }</pre>
 *
 * <p>Sessions share a lock that a collection takes exclusively, so a collection never runs while
 * an add is half done (its blocks not pinned yet) and never sees a half-written set of pins;
 * sessions run side by side, and a waiting collection holds back new sessions so it is not
 * starved. A session belongs to the thread that began it. Blocks stored outside a session are
 * unprotected until pinned.
 *
 * <p><b>Damaged pins.</b> A block under a pin that is missing from the store, or that cannot be
 * decoded, is reported in {@link GcResult#problems()} and logged. Since the blocks it links to
 * cannot be known, {@link #collect()} then deletes nothing, as Kubo does;
 * {@link #collect(boolean)} can sweep anyway.
 */
public final class GarbageCollector {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final Blockstore store;
  private final PinStore pins;
  private final LinkDecoder decoder;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

  public GarbageCollector(Blockstore store, PinStore pins, LinkDecoder decoder) {
    this.store = Objects.requireNonNull(store, "store");
    this.pins = Objects.requireNonNull(pins, "pins");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
  }

  /** A block under a pin that the mark phase could not follow. */
  public record MarkProblem(Cid cid, Cid pin, String reason) {
    public MarkProblem {
      Objects.requireNonNull(cid, "cid");
      Objects.requireNonNull(pin, "pin");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * What a collection did: blocks and bytes removed, blocks kept, what the mark phase could not
   * follow, and whether it swept at all.
   */
  public record GcResult(long blocksRemoved, long bytesRemoved, long blocksKept,
      List<MarkProblem> problems, boolean swept) {
    public GcResult {
      problems = List.copyOf(problems);
    }
  }

  /**
   * An add in progress: blocks stored while it is open are not collected. Close it on the thread
   * that began it.
   */
  public final class AddSession implements AutoCloseable {
    private boolean closed;

    private AddSession() {}

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        lock.readLock().unlock();
      }
    }
  }

  /** Begins an add session, waiting while a collection runs. */
  public AddSession beginAdd() {
    lock.readLock().lock();
    return new AddSession();
  }

  /** Collects garbage unless the mark phase finds damaged pins (then deletes nothing). */
  public GcResult collect() throws IOException {
    return collect(false);
  }

  /**
   * Collects garbage, waiting for open add sessions to close.
   *
   * @param sweepDespiteProblems delete unmarked blocks even when a pinned DAG could not be
   *     followed completely (blocks below the damage are then deleted too)
   * @throws IllegalStateException if called from inside an add session
   */
  public GcResult collect(boolean sweepDespiteProblems) throws IOException {
    if (lock.getReadHoldCount() > 0) {
      throw new IllegalStateException("collect() called inside an add session");
    }
    lock.writeLock().lock();
    try {
      long started = System.nanoTime();
      List<MarkProblem> problems = new ArrayList<>();
      Set<Multihash> marked = mark(problems);
      if (!problems.isEmpty() && !sweepDespiteProblems) {
        LOG.warn("Garbage collection deleted nothing: {} blocks under pins could not be followed"
            + " (first: {} under pin {}: {})", problems.size(), problems.getFirst().cid(),
            problems.getFirst().pin(), problems.getFirst().reason());
        return new GcResult(0, 0, store.stats().blocks(), problems, false);
      }
      GcResult result = sweep(marked, problems);
      LOG.info("Garbage collection removed {} blocks ({} bytes), kept {}, in {} ms",
          result.blocksRemoved(), result.bytesRemoved(), result.blocksKept(),
          (System.nanoTime() - started) / 1_000_000);
      return result;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * What an eviction did.
   *
   * @param evicted the candidates deleted (or found already gone), with the sizes the caller
   *     gave, in the order they went
   * @param pinned the candidates that pins reach, which are kept
   * @param swept false when nothing was deleted because a pinned DAG could not be followed, or
   *     add sessions stayed open past the wait
   */
  public record Eviction(Map<Multihash, Long> evicted, Set<Multihash> pinned, boolean swept) {
    public Eviction {
      evicted = Collections.unmodifiableMap(new LinkedHashMap<>(evicted));
      pinned = Set.copyOf(pinned);
    }

    /** Bytes the evicted blocks held, by the sizes the caller gave. */
    public long bytes() {
      return evicted.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Deletes unpinned blocks among {@code candidates} (block to size, least wanted first in
   * iteration order) until the unpinned candidates left hold at most {@code keepBytes}: what a
   * cache within a quota does. Like a collection it waits for open add sessions, so a block of an
   * add in progress is never taken, but for at most {@code wait}; it never deletes a block a pin
   * reaches, and deletes nothing when a pinned DAG cannot be followed.
   *
   * @throws IllegalStateException if called from inside an add session
   */
  public Eviction evict(Map<Multihash, Long> candidates, long keepBytes, Duration wait)
      throws IOException, InterruptedException {
    if (lock.getReadHoldCount() > 0) {
      throw new IllegalStateException("evict() called inside an add session");
    }
    if (!lock.writeLock().tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
      LOG.info("Eviction skipped: add sessions stayed open for {} ms", wait.toMillis());
      return new Eviction(Map.of(), Set.of(), false);
    }
    try {
      List<MarkProblem> problems = new ArrayList<>();
      Set<Multihash> marked = mark(problems);
      if (!problems.isEmpty()) {
        LOG.warn("Eviction deleted nothing: {} blocks under pins could not be followed (first: {}"
            + " under pin {}: {})", problems.size(), problems.getFirst().cid(),
            problems.getFirst().pin(), problems.getFirst().reason());
        return new Eviction(Map.of(), Set.of(), false);
      }
      Set<Multihash> pinned = new HashSet<>();
      long unpinned = 0;
      for (Map.Entry<Multihash, Long> candidate : candidates.entrySet()) {
        if (marked.contains(candidate.getKey())) {
          pinned.add(candidate.getKey());
        } else {
          unpinned += candidate.getValue();
        }
      }
      Map<Multihash, Long> evicted = new LinkedHashMap<>();
      for (Map.Entry<Multihash, Long> candidate : candidates.entrySet()) {
        if (unpinned <= keepBytes) {
          break;
        }
        Multihash key = candidate.getKey();
        if (pinned.contains(key)) {
          continue;
        }
        store.delete(key);
        evicted.put(key, candidate.getValue());
        unpinned -= candidate.getValue();
      }
      return new Eviction(evicted, pinned, true);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Whether a collection is waiting for add sessions to close (for tests). */
  boolean hasWaitingCollection() {
    return lock.hasQueuedThreads();
  }

  private Set<Multihash> mark(List<MarkProblem> problems) throws IOException {
    Set<Multihash> marked = new HashSet<>();
    Set<Cid> visited = new HashSet<>();
    for (Pin pin : pins.list(PinType.DIRECT)) {
      Cid cid = pin.cid();
      if (isInline(cid)) {
        continue;
      }
      if (!store.has(cid)) {
        problem(problems, new MarkProblem(cid, cid, "pinned block is missing"));
      }
      marked.add(cid.multihash());
    }
    for (Pin pin : pins.list(PinType.RECURSIVE)) {
      walk(pin.cid(), marked, visited, problems);
    }
    return marked;
  }

  private void walk(Cid root, Set<Multihash> marked, Set<Cid> visited, List<MarkProblem> problems)
      throws IOException {
    Deque<Cid> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Cid cid = stack.pop();
      if (!visited.add(cid)) {
        continue;
      }
      Optional<byte[]> data;
      if (isInline(cid)) {
        data = Optional.of(cid.multihash().digest());
      } else if (cid.codec() == Multicodec.RAW) {
        // Raw blocks have no links: knowing the block is there is enough.
        marked.add(cid.multihash());
        if (!store.has(cid)) {
          problem(problems, new MarkProblem(cid, root, "block is missing"));
        }
        continue;
      } else {
        marked.add(cid.multihash());
        data = store.get(cid);
      }
      if (data.isEmpty()) {
        problem(problems, new MarkProblem(cid, root, "block is missing"));
        continue;
      }
      List<Cid> links;
      try {
        links = decoder.links(cid, data.get());
      } catch (IllegalArgumentException e) {
        problem(problems, new MarkProblem(cid, root, "cannot decode links: " + e.getMessage()));
        continue;
      }
      for (Cid link : links) {
        if (!visited.contains(link)) {
          stack.push(link);
        }
      }
    }
  }

  private GcResult sweep(Set<Multihash> marked, List<MarkProblem> problems) throws IOException {
    long removed = 0;
    long bytes = 0;
    long kept = 0;
    try (Stream<Multihash> keys = store.keys()) {
      Iterator<Multihash> it = keys.iterator();
      while (it.hasNext()) {
        Multihash key = it.next();
        if (marked.contains(key)) {
          kept++;
          continue;
        }
        Cid probe = Cid.v1(Multicodec.RAW, key);
        long size = store.size(probe).orElse(0);
        if (store.delete(key)) {
          removed++;
          bytes += size;
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return new GcResult(removed, bytes, kept, problems, true);
  }

  private static void problem(List<MarkProblem> problems, MarkProblem problem) {
    LOG.warn("Garbage collection: {} under pin {}: {}", problem.cid(), problem.pin(),
        problem.reason());
    problems.add(problem);
  }

  /** Identity-hashed CIDs carry their block in themselves; nothing is stored for them. */
  private static boolean isInline(Cid cid) {
    return cid.multihash().code() == Multicodec.IDENTITY;
  }
}
