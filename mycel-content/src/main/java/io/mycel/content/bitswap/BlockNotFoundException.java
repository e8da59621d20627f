package io.mycel.content.bitswap;

import io.mycel.core.cid.Cid;

/** No peer of a session delivered a block within the session timeout. */
public class BlockNotFoundException extends RuntimeException {
  private final transient Cid cid;

  public BlockNotFoundException(Cid cid, String message) {
    super(message);
    this.cid = cid;
  }

  public Cid cid() {
    return cid;
  }
}
