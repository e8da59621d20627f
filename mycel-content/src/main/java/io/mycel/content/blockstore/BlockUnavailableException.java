package io.mycel.content.blockstore;

import io.mycel.core.cid.Cid;

/**
 * A block that is neither stored here nor obtainable from the network in time: no provider was
 * found, or none delivered it. A gateway answers it with 504 rather than 404.
 */
public class BlockUnavailableException extends BlockNotFoundException {
  public BlockUnavailableException(Cid cid, String message) {
    super(cid, message);
  }
}
