package io.mycel.content.unixfs;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** A block store in memory that counts reads, for the importer and exporter tests. */
final class CountingBlockstore implements Blockstore {
  private final Map<Multihash, byte[]> blocks = new ConcurrentHashMap<>();
  final AtomicLong gets = new AtomicLong();

  @Override
  public void put(Block block) {
    blocks.putIfAbsent(block.cid().multihash(), block.data());
  }

  /** Stores bytes under a CID without checking them: for malformed-DAG tests. */
  void putUnchecked(Cid cid, byte[] data) {
    blocks.put(cid.multihash(), data);
  }

  @Override
  public Optional<byte[]> get(Cid cid) {
    gets.incrementAndGet();
    byte[] data = blocks.get(cid.multihash());
    return data == null ? Optional.empty() : Optional.of(Block.verified(cid, data).data());
  }

  @Override
  public boolean has(Cid cid) {
    return blocks.containsKey(cid.multihash());
  }

  @Override
  public Optional<Integer> size(Cid cid) {
    return Optional.ofNullable(blocks.get(cid.multihash())).map(b -> b.length);
  }

  @Override
  public boolean delete(Multihash hash) {
    return blocks.remove(hash) != null;
  }

  @Override
  public Stream<Multihash> keys() {
    return blocks.keySet().stream();
  }

  @Override
  public BlockstoreStats stats() {
    return new BlockstoreStats(blocks.size(),
        blocks.values().stream().mapToLong(b -> b.length).sum(), Long.MAX_VALUE, 0);
  }

  @Override
  public void close() {}

  int count() {
    return blocks.size();
  }
}
