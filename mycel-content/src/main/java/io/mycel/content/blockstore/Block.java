package io.mycel.content.blockstore;

import io.mycel.core.cid.Cid;
import java.util.Objects;

/**
 * A content-addressed block: bytes and the CID that names them. Construction does not hash;
 * {@link #verified} does, and is what every block received from the network goes through.
 */
public record Block(Cid cid, byte[] data) {
  public Block {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(data, "data");
  }

  /** A block whose bytes are checked against the CID's multihash. */
  public static Block verified(Cid cid, byte[] data) {
    if (!cid.multihash().matches(data)) {
      throw new BlockHashMismatchException(cid);
    }
    return new Block(cid, data);
  }

  public int size() {
    return data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Block b && b.cid.equals(cid) && java.util.Arrays.equals(b.data, data);
  }

  @Override
  public int hashCode() {
    return cid.hashCode();
  }

  @Override
  public String toString() {
    return "Block[" + cid + ", " + data.length + " bytes]";
  }
}
