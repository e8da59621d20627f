package io.mycel.content.bitswap;

import io.mycel.core.cid.Cid;
import java.util.Objects;

/** A have or dont-have answer to a want (Bitswap 1.2.0). */
public record BlockPresence(Cid cid, Type type) {

  /** Whether the sender has the block. */
  public enum Type {
    HAVE,
    DONT_HAVE
  }

  public BlockPresence {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(type, "type");
  }

  public static BlockPresence have(Cid cid) {
    return new BlockPresence(cid, Type.HAVE);
  }

  public static BlockPresence dontHave(Cid cid) {
    return new BlockPresence(cid, Type.DONT_HAVE);
  }
}
