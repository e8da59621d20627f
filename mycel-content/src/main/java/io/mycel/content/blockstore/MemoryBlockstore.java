package io.mycel.content.blockstore;

import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A {@link Blockstore} in memory: for tests, and for computing CIDs without keeping the data
 * anywhere ("only hash"). Blocks are copied in and out, so callers cannot change what is stored.
 * Thread-safe; an optional byte quota behaves as in {@link FsBlockstore}.
 */
public final class MemoryBlockstore implements Blockstore {
  private final ConcurrentHashMap<Multihash, byte[]> blocks = new ConcurrentHashMap<>();
  private final long quotaBytes;
  private final Object countLock = new Object();
  private long bytes;
  private volatile boolean closed;

  /** A store without a quota. */
  public MemoryBlockstore() {
    this(0);
  }

  /** A store that holds at most {@code quotaBytes} bytes of blocks; 0 means unlimited. */
  public MemoryBlockstore(long quotaBytes) {
    if (quotaBytes < 0) {
      throw new IllegalArgumentException("quotaBytes must be >= 0 (0 = unlimited): " + quotaBytes);
    }
    this.quotaBytes = quotaBytes;
  }

  @Override
  public void put(Block block) throws BlockstoreFullException {
    ensureOpen();
    Multihash hash = block.cid().multihash();
    if (blocks.containsKey(hash)) {
      return;
    }
    byte[] copy = block.data().clone();
    synchronized (countLock) {
      if (blocks.containsKey(hash)) {
        return;
      }
      if (quotaBytes > 0 && bytes + copy.length > quotaBytes) {
        throw new BlockstoreFullException("storing " + block.cid() + " (" + copy.length
            + " bytes) would exceed the quota of " + quotaBytes + " bytes (" + bytes + " used)");
      }
      blocks.put(hash, copy);
      bytes += copy.length;
    }
  }

  @Override
  public Optional<byte[]> get(Cid cid) {
    ensureOpen();
    byte[] data = blocks.get(cid.multihash());
    return data == null ? Optional.empty() : Optional.of(data.clone());
  }

  @Override
  public boolean has(Cid cid) {
    ensureOpen();
    return blocks.containsKey(cid.multihash());
  }

  @Override
  public Optional<Integer> size(Cid cid) {
    ensureOpen();
    byte[] data = blocks.get(cid.multihash());
    return data == null ? Optional.empty() : Optional.of(data.length);
  }

  @Override
  public boolean delete(Multihash hash) {
    ensureOpen();
    synchronized (countLock) {
      byte[] removed = blocks.remove(hash);
      if (removed == null) {
        return false;
      }
      bytes -= removed.length;
      return true;
    }
  }

  /** A snapshot of the keys at the time of the call. */
  @Override
  public Stream<Multihash> keys() {
    ensureOpen();
    return List.copyOf(blocks.keySet()).stream();
  }

  @Override
  public BlockstoreStats stats() {
    synchronized (countLock) {
      return new BlockstoreStats(blocks.size(), bytes, quotaBytes, 0);
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("blockstore is closed");
    }
  }
}
