package io.mycel.content.blockstore;

import java.io.IOException;

/** A write refused because the store's byte quota or the disk is full. */
public class BlockstoreFullException extends IOException {
  public BlockstoreFullException(String message) {
    super(message);
  }

  public BlockstoreFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
