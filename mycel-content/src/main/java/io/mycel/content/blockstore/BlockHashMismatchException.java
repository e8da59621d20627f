package io.mycel.content.blockstore;

import io.mycel.core.cid.Cid;

/** Bytes that do not hash to the CID they were given under. */
public class BlockHashMismatchException extends IllegalArgumentException {
  private final transient Cid cid;

  public BlockHashMismatchException(Cid cid) {
    super("block bytes do not hash to " + cid);
    this.cid = cid;
  }

  public Cid cid() {
    return cid;
  }
}
