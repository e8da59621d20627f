package io.mycel.content.blockstore;

import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import java.io.IOException;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a node keeps blocks. Blocks are keyed by multihash, as in Kubo, so the same bytes under a
 * CIDv0 and a CIDv1 (or under raw and dag-pb codecs) are stored once; {@code get(cid)} answers
 * for any CID whose multihash is present.
 *
 * <p>Implementations are thread-safe. A {@code put} is atomic: after a crash a block is either
 * wholly present and correct, or absent.
 */
public interface Blockstore extends AutoCloseable {

  /**
   * Stores {@code block}; a no-op if it is already present.
   *
   * @throws BlockstoreFullException if the store's byte quota would be exceeded (nothing is
   *     written)
   */
  void put(Block block) throws IOException;

  /**
   * The block's bytes, or empty when absent. A block whose stored bytes no longer match its hash
   * is reported, removed, and answered as absent: corrupt data is never served.
   */
  Optional<byte[]> get(Cid cid) throws IOException;

  boolean has(Cid cid) throws IOException;

  /** The stored size in bytes, or empty when absent. */
  Optional<Integer> size(Cid cid) throws IOException;

  /** Removes the block; returns whether it was present. */
  boolean delete(Multihash hash) throws IOException;

  /** Every stored block's multihash, in no particular order; close the stream after use. */
  Stream<Multihash> keys() throws IOException;

  /** Counts and sizes. */
  BlockstoreStats stats() throws IOException;

  @Override
  void close() throws IOException;

  /** What a store holds and may hold. */
  record BlockstoreStats(long blocks, long bytes, long quotaBytes, long corruptBlocksRemoved) {}
}
