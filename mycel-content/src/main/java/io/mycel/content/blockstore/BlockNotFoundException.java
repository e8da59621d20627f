package io.mycel.content.blockstore;

import io.mycel.core.cid.Cid;
import java.io.IOException;

/** A block that an operation needs (a DAG walk, an export) is not in the store. */
public class BlockNotFoundException extends IOException {
  private final transient Cid cid;

  public BlockNotFoundException(Cid cid, String message) {
    super(message);
    this.cid = cid;
  }

  public BlockNotFoundException(Cid cid) {
    this(cid, "block " + cid + " is not in the blockstore");
  }

  public Cid cid() {
    return cid;
  }
}
