package io.mycel.content.unixfs;

import io.mycel.core.cid.Cid;
import java.io.IOException;

/** A block of the DAG being read is not available. */
public class BlockNotFoundException extends IOException {
  private final transient Cid cid;

  public BlockNotFoundException(Cid cid) {
    super("block " + cid + " not found");
    this.cid = cid;
  }

  public Cid cid() {
    return cid;
  }
}
