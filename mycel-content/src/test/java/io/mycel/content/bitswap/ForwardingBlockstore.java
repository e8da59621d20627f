package io.mycel.content.bitswap;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import java.io.IOException;
import java.util.Optional;
import java.util.stream.Stream;

/** A block store that passes everything to another; tests override what they change. */
class ForwardingBlockstore implements Blockstore {
  private final Blockstore inner;

  ForwardingBlockstore(Blockstore inner) {
    this.inner = inner;
  }

  @Override
  public void put(Block block) throws IOException {
    inner.put(block);
  }

  @Override
  public Optional<byte[]> get(Cid cid) throws IOException {
    return inner.get(cid);
  }

  @Override
  public boolean has(Cid cid) throws IOException {
    return inner.has(cid);
  }

  @Override
  public Optional<Integer> size(Cid cid) throws IOException {
    return inner.size(cid);
  }

  @Override
  public boolean delete(Multihash hash) throws IOException {
    return inner.delete(hash);
  }

  @Override
  public Stream<Multihash> keys() throws IOException {
    return inner.keys();
  }

  @Override
  public BlockstoreStats stats() throws IOException {
    return inner.stats();
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }
}
