package io.mycel.content.blockstore;

import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Stores blocks on several threads while the caller goes on producing them: a durable store
 * spends most of a put waiting for fsync, and the disk serves several of those at once. At most
 * {@code maxPending} blocks wait in memory. The first failed put fails every later call; a
 * caller must {@link #flush()} and see it succeed before it relies on the blocks (pins them).
 * Reads see pending blocks.
 */
public final class WriteBehindBlockstore implements Blockstore {
  public static final int DEFAULT_THREADS = 4;
  public static final int DEFAULT_MAX_PENDING = 32;

  private final Blockstore target;
  private final ExecutorService writers;
  private final Semaphore slots;
  private final int maxPending;
  private final Map<Multihash, Block> pending = new ConcurrentHashMap<>();
  private final AtomicReference<IOException> failure = new AtomicReference<>();

  public WriteBehindBlockstore(Blockstore target, int threads, int maxPending) {
    if (threads < 1 || maxPending < 1) {
      throw new IllegalArgumentException("threads and maxPending must be at least 1");
    }
    this.target = target;
    this.maxPending = maxPending;
    this.slots = new Semaphore(maxPending);
    this.writers = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "mycel-block-writer");
      t.setDaemon(true);
      return t;
    });
  }

  public WriteBehindBlockstore(Blockstore target) {
    this(target, DEFAULT_THREADS, DEFAULT_MAX_PENDING);
  }

  /** Throws the stored failure as a new exception of the same kind, so each caller gets its own. */
  private void rethrow() throws IOException {
    IOException e = failure.get();
    if (e instanceof BlockstoreFullException) {
      throw new BlockstoreFullException(e.getMessage(), e);
    } else if (e != null) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void put(Block block) throws IOException {
    rethrow();
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to store " + block.cid());
    }
    pending.put(block.cid().multihash(), block);
    writers.execute(() -> {
      try {
        if (failure.get() == null) {
          target.put(block);
        }
      } catch (IOException e) {
        failure.compareAndSet(null, e);
      } catch (RuntimeException e) {
        failure.compareAndSet(null, new IOException("storing " + block.cid() + " failed", e));
      } finally {
        pending.remove(block.cid().multihash());
        slots.release();
      }
    });
  }

  /** Waits until every block handed to {@link #put} is stored; throws the first failure. */
  public void flush() throws IOException {
    try {
      slots.acquire(maxPending);
      slots.release(maxPending);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for blocks to be stored");
    }
    rethrow();
  }

  @Override
  public Optional<byte[]> get(Cid cid) throws IOException {
    Block b = pending.get(cid.multihash());
    return b != null ? Optional.of(b.data()) : target.get(cid);
  }

  @Override
  public boolean has(Cid cid) throws IOException {
    return pending.containsKey(cid.multihash()) || target.has(cid);
  }

  @Override
  public Optional<Integer> size(Cid cid) throws IOException {
    Block b = pending.get(cid.multihash());
    return b != null ? Optional.of(b.size()) : target.size(cid);
  }

  @Override
  public boolean delete(Multihash hash) throws IOException {
    flush();
    return target.delete(hash);
  }

  @Override
  public Stream<Multihash> keys() throws IOException {
    flush();
    return target.keys();
  }

  @Override
  public BlockstoreStats stats() throws IOException {
    return target.stats();
  }

  /** Flushes and stops the writer threads; the target store stays open. */
  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      writers.shutdown();
    }
  }
}
