package io.mycel.node;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.blockstore.FsBlockstore;
import io.mycel.content.pin.GarbageCollector;
import io.mycel.core.cid.Cid;
import io.mycel.core.multibase.Multibase;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocks a gateway keeps as a cache: every block of the repository that no pin reaches, held
 * within a quota ({@code gateway.cacheQuotaBytes}). Each read and each write through
 * {@link #blockstore()} marks the block as used; when the cache holds more than the quota, the
 * least recently used unpinned blocks are deleted in the background until it holds
 * {@link #LOW_WATER} of it. Pinned blocks are never evicted, nor blocks of an add in progress:
 * eviction goes through {@link GarbageCollector#evict}, which marks what pins reach and waits for
 * add sessions.
 *
 * <p><b>Use order across restarts.</b> The order of use is kept in memory and written to an
 * index file ({@value #INDEX_FILE} in the home, one block key a line, least recently used first)
 * after each eviction and at close. At open, blocks named in the index take its order; blocks it
 * does not name are placed by their file's modification time, before the index's blocks when
 * older than the index, after them when newer.
 *
 * <p><b>Roots.</b> The gateway reports the root of each request it served ({@link #served});
 * a root whose block is here is announced in the DHT at once (through the announcer set with
 * {@link #announceThrough}) and listed by {@link #roots()} for the reprovider while its block
 * stays; once evicted it is no longer announced (records others hold expire after 48 h).
 *
 * <p>The {@link #HOT_BYTES} most recently read blocks are also kept in memory (verified when
 * read from disk), so a hot file is served without reading or hashing its blocks again.
 *
 * <p>Blocks found pinned at an eviction leave the accounting: they are not cache, and reading
 * them does not count them again (a block unpinned later is left to the garbage collector, and
 * counted again from the next start).
 */
public final class BlockCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlockCache.class);

  /** The file in the home that keeps the order of use across restarts. */
  public static final String INDEX_FILE = "cache-lru";
  /** Share of the quota that an eviction brings the cache down to, so it runs in batches. */
  public static final double LOW_WATER = 0.95;
  /** How long an eviction waits for open add sessions before it gives up until the next one. */
  static final Duration ADD_SESSION_WAIT = Duration.ofSeconds(10);
  /** Bytes of recently read blocks kept in memory, so hot content is served without disk reads. */
  public static final long HOT_BYTES = 32L * 1024 * 1024;
  /** Largest block kept in memory. */
  static final int MAX_HOT_BLOCK = 2 * 1024 * 1024;
  /** Passes an eviction makes when blocks found pinned change the sums. */
  private static final int MAX_PASSES = 3;

  private final FsBlockstore store;
  private final GarbageCollector gc;
  private final long quotaBytes;
  private final Path indexFile;
  private final Object lock = new Object();
  /** Held while the index file is written. */
  private final Object indexWrite = new Object();
  /** Block to size, least recently used first. */
  private final LinkedHashMap<Multihash, Long> lru = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;
  private final Map<Multihash, Cid> roots = new ConcurrentHashMap<>();
  /** Blocks an eviction found pinned: reading them does not count them as cache again. */
  private final Set<Multihash> pinned = ConcurrentHashMap.newKeySet();
  private final AtomicLong evictedBlocks = new AtomicLong();
  private final AtomicLong evictedBytes = new AtomicLong();
  private final AtomicBoolean evictionDue = new AtomicBoolean();
  private final ExecutorService evictor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "mycel-cache-evictor");
    t.setDaemon(true);
    return t;
  });
  private final Tracking tracking = new Tracking();
  /** Recently read blocks, verified when read from disk; least recently read first. */
  private final LinkedHashMap<Multihash, byte[]> hot = new LinkedHashMap<>(64, 0.75f, true);
  private long hotBytes;
  private volatile Consumer<List<Cid>> announcer = roots -> {};
  private volatile boolean closed;

  private BlockCache(FsBlockstore store, GarbageCollector gc, long quotaBytes, Path indexFile) {
    this.store = store;
    this.gc = gc;
    this.quotaBytes = quotaBytes;
    this.indexFile = indexFile;
  }

  /**
   * Opens the cache of {@code store} with {@code quotaBytes} (0: no limit), its order of use read
   * from {@code indexFile} and the blocks' modification times; evicts at once when over quota.
   */
  public static BlockCache open(FsBlockstore store, GarbageCollector gc, long quotaBytes,
      Path indexFile) throws IOException {
    if (quotaBytes < 0) {
      throw new IllegalArgumentException("the cache quota must be 0 (no limit) or more, was "
          + quotaBytes);
    }
    BlockCache cache = new BlockCache(store, gc, quotaBytes, indexFile);
    cache.load();
    cache.evictIfOver();
    return cache;
  }

  /**
   * The repository's store with each read and write counted as a use; what the node serves
   * Bitswap from and the gateway reads through.
   */
  public Blockstore blockstore() {
    return tracking;
  }

  /** Sets where newly cached roots are announced (the node's DHT). */
  public void announceThrough(Consumer<List<Cid>> announce) {
    this.announcer = announce;
  }

  /** The quota in bytes; 0 for none. */
  public long quotaBytes() {
    return quotaBytes;
  }

  /** Bytes of blocks counted as cache now (unpinned as of the last eviction). */
  public long bytes() {
    synchronized (lock) {
      return bytes;
    }
  }

  /** Blocks counted as cache now. */
  public int blocks() {
    synchronized (lock) {
      return lru.size();
    }
  }

  /** Whether {@code cid}'s block is counted as cache. */
  public boolean contains(Cid cid) {
    synchronized (lock) {
      return lru.containsKey(cid.multihash());
    }
  }

  /** Blocks evicted since open. */
  public long evictedBlocks() {
    return evictedBlocks.get();
  }

  /** Bytes evicted since open. */
  public long evictedBytes() {
    return evictedBytes.get();
  }

  /**
   * A gateway request for {@code root} was answered: announce the root while its block is here.
   */
  public void served(Cid root) {
    if (closed || roots.containsKey(root.multihash())
        || root.multihash().code() == Multicodec.IDENTITY) {
      return;
    }
    try {
      if (!store.has(root)) {
        return;
      }
    } catch (IOException | IllegalStateException e) {
      return;
    }
    if (roots.putIfAbsent(root.multihash(), root) == null) {
      LOG.debug("announcing cached root {}", root);
      announcer.accept(List.of(root));
    }
  }

  /** The served roots whose blocks are still here: what the reprovider announces again. */
  public List<Cid> roots() {
    return List.copyOf(roots.values());
  }

  /**
   * Evicts until the cache is within its low-water mark, if it is over its quota; on the calling
   * thread. Returns the blocks evicted.
   */
  public long evictIfOver() throws IOException {
    if (quotaBytes == 0) {
      return 0;
    }
    long total = 0;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      Map<Multihash, Long> candidates;
      synchronized (lock) {
        if (bytes <= quotaBytes) {
          break;
        }
        candidates = new LinkedHashMap<>(lru);
      }
      GarbageCollector.Eviction eviction;
      try {
        eviction = gc.evict(candidates, (long) (quotaBytes * LOW_WATER), ADD_SESSION_WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      synchronized (lock) {
        for (Multihash key : eviction.evicted().keySet()) {
          forget(key);
          unhot(key);
        }
        for (Multihash key : eviction.pinned()) {
          forget(key);
          pinned.add(key);
        }
      }
      for (Multihash key : eviction.evicted().keySet()) {
        Cid root = roots.remove(key);
        if (root != null) {
          LOG.debug("root {} left the cache; it is no longer announced", root);
        }
      }
      evictedBlocks.addAndGet(eviction.evicted().size());
      evictedBytes.addAndGet(eviction.bytes());
      total += eviction.evicted().size();
      if (!eviction.evicted().isEmpty()) {
        LOG.info("cache evicted {} blocks ({} bytes) to stay within {} bytes",
            eviction.evicted().size(), eviction.bytes(), quotaBytes);
      }
      if (!eviction.swept() || eviction.pinned().isEmpty()) {
        break;
      }
    }
    writeIndex();
    return total;
  }

  private byte[] hotGet(Multihash key) {
    synchronized (lock) {
      return hot.get(key);
    }
  }

  private void hotPut(Multihash key, byte[] data) {
    if (data.length > MAX_HOT_BLOCK) {
      return;
    }
    synchronized (lock) {
      if (hot.put(key, data) == null) {
        hotBytes += data.length;
      }
      var it = hot.entrySet().iterator();
      while (hotBytes > HOT_BYTES && it.hasNext()) {
        hotBytes -= it.next().getValue().length;
        it.remove();
      }
    }
  }

  /** Under the lock. */
  private void unhot(Multihash key) {
    byte[] data = hot.remove(key);
    if (data != null) {
      hotBytes -= data.length;
    }
  }

  private void forget(Multihash key) {
    Long size = lru.remove(key);
    if (size != null) {
      bytes -= size;
    }
  }

  /**
   * Writes the order of use to the index file, atomically. Writers take turns (the evictor and
   * a caller may write at once): each uses the one temporary file, and the later snapshot lands
   * last.
   */
  public void writeIndex() throws IOException {
    synchronized (indexWrite) {
      List<Multihash> order;
      synchronized (lock) {
        order = new ArrayList<>(lru.keySet());
      }
      StringBuilder text = new StringBuilder(order.size() * 60);
      for (Multihash key : order) {
        text.append(Multibase.BASE32_UPPER.encodeBare(key.bytes())).append('\n');
      }
      Path tmp = indexFile.resolveSibling(indexFile.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, indexFile, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private void used(Multihash key, long size) {
    if (pinned.contains(key)) {
      return;
    }
    boolean over;
    synchronized (lock) {
      Long before = lru.put(key, size);
      bytes += size - (before == null ? 0 : before);
      over = quotaBytes > 0 && bytes > quotaBytes;
    }
    if (over && !closed && evictionDue.compareAndSet(false, true)) {
      evictor.execute(() -> {
        evictionDue.set(false);
        try {
          evictIfOver();
        } catch (IOException | RuntimeException e) {
          LOG.warn("cache eviction failed: {}", e.toString());
        }
      });
    }
  }

  private void removed(Multihash key) {
    synchronized (lock) {
      forget(key);
      unhot(key);
    }
    pinned.remove(key);
    roots.remove(key);
  }

  /** Builds the order of use from the index file and the block files' modification times. */
  private void load() throws IOException {
    Map<Multihash, long[]> found = new HashMap<>();
    try (Stream<Multihash> keys = store.keys()) {
      keys.forEach(key -> {
        Path file = store.pathOf(key);
        try {
          found.put(key, new long[] {Files.size(file), Files.getLastModifiedTime(file).toMillis()});
        } catch (NoSuchFileException gone) {
          // deleted meanwhile
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<Multihash> indexed = new ArrayList<>();
    long indexTime = Long.MIN_VALUE;
    if (Files.isRegularFile(indexFile)) {
      indexTime = Files.getLastModifiedTime(indexFile).toMillis();
      Set<Multihash> seen = new HashSet<>();
      for (String line : Files.readAllLines(indexFile, StandardCharsets.US_ASCII)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          Multihash key = Multihash.fromBytes(Multibase.BASE32_UPPER.decodeBare(line.strip()));
          if (found.containsKey(key) && seen.add(key)) {
            indexed.add(key);
          }
        } catch (IllegalArgumentException e) {
          LOG.warn("{}: skipping a line that names no block: {}", indexFile, e.getMessage());
        }
      }
    }
    Set<Multihash> inIndex = new HashSet<>(indexed);
    long cutoff = indexTime;
    Comparator<Multihash> byTime = Comparator.comparingLong(k -> found.get(k)[1]);
    List<Multihash> older = found.keySet().stream()
        .filter(k -> !inIndex.contains(k) && found.get(k)[1] <= cutoff).sorted(byTime).toList();
    List<Multihash> newer = found.keySet().stream()
        .filter(k -> !inIndex.contains(k) && found.get(k)[1] > cutoff).sorted(byTime).toList();
    synchronized (lock) {
      for (List<Multihash> part : List.of(older, indexed, newer)) {
        for (Multihash key : part) {
          long size = found.get(key)[0];
          lru.put(key, size);
          bytes += size;
        }
      }
    }
    LOG.debug("cache of {}: {} blocks, {} bytes, quota {} bytes", store.root(), found.size(),
        bytes, quotaBytes);
  }

  /** Stops evicting and writes the order of use. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    evictor.shutdown();
    try {
      if (!evictor.awaitTermination(ADD_SESSION_WAIT.toSeconds() + 5, TimeUnit.SECONDS)) {
        LOG.warn("a cache eviction was still running at close");
      }
      writeIndex();
    } catch (IOException e) {
      LOG.warn("writing the cache index {} failed: {}", indexFile, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The store with uses counted. */
  private final class Tracking implements Blockstore {
    @Override
    public void put(Block block) throws IOException {
      store.put(block);
      used(block.cid().multihash(), block.size());
    }

    /** Blocks read recently come from memory; the array returned must not be changed. */
    @Override
    public Optional<byte[]> get(Cid cid) throws IOException {
      Multihash key = cid.multihash();
      byte[] inMemory = hotGet(key);
      if (inMemory != null) {
        used(key, inMemory.length);
        return Optional.of(inMemory);
      }
      Optional<byte[]> data = store.get(cid);
      if (data.isPresent()) {
        hotPut(key, data.get());
        used(key, data.get().length);
      }
      return data;
    }

    @Override
    public boolean has(Cid cid) throws IOException {
      return store.has(cid);
    }

    @Override
    public Optional<Integer> size(Cid cid) throws IOException {
      return store.size(cid);
    }

    @Override
    public boolean delete(Multihash hash) throws IOException {
      boolean deleted = store.delete(hash);
      removed(hash);
      return deleted;
    }

    @Override
    public Stream<Multihash> keys() throws IOException {
      return store.keys();
    }

    @Override
    public BlockstoreStats stats() throws IOException {
      return store.stats();
    }

    /** The store belongs to the repository. */
    @Override
    public void close() {}

    @Override
    public String toString() {
      return "cache over " + store;
    }
  }
}
