package io.mycel.content.bitswap;

import io.mycel.core.cid.Cid;
import java.util.Objects;

/**
 * One wantlist entry of a Bitswap message (<a
 * href="https://github.com/ipfs/specs/blob/main/src/bitswap-protocol.md#wire-format">spec</a>).
 *
 * @param cid the block wanted or cancelled
 * @param priority higher is served first by peers that honour it
 * @param cancel whether this revokes an earlier want of {@code cid}
 * @param wantType want-block or want-have (ignored on a cancel)
 * @param sendDontHave whether the peer should answer dont-have when it lacks the block
 */
public record WantlistEntry(
    Cid cid, int priority, boolean cancel, WantType wantType, boolean sendDontHave) {

  public static final int DEFAULT_PRIORITY = 1;

  public WantlistEntry {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(wantType, "wantType");
  }

  public static WantlistEntry wantBlock(Cid cid, boolean sendDontHave) {
    return new WantlistEntry(cid, DEFAULT_PRIORITY, false, WantType.BLOCK, sendDontHave);
  }

  public static WantlistEntry wantHave(Cid cid, boolean sendDontHave) {
    return new WantlistEntry(cid, DEFAULT_PRIORITY, false, WantType.HAVE, sendDontHave);
  }

  public static WantlistEntry cancel(Cid cid) {
    return new WantlistEntry(cid, DEFAULT_PRIORITY, true, WantType.BLOCK, false);
  }

  /** This entry with another priority. */
  public WantlistEntry withPriority(int value) {
    return new WantlistEntry(cid, value, cancel, wantType, sendDontHave);
  }
}
