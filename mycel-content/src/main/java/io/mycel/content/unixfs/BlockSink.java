package io.mycel.content.unixfs;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.core.cid.Cid;
import java.io.IOException;

/** Where an import's blocks go: a block store, or nowhere when only CIDs are wanted. */
@FunctionalInterface
interface BlockSink {
  BlockSink DISCARD = (cid, data) -> {};

  void put(Cid cid, byte[] data) throws IOException;

  static BlockSink of(Blockstore store) {
    return (cid, data) -> store.put(new Block(cid, data));
  }
}
