package io.mycel.content.unixfs;

import io.mycel.core.cid.Cid;
import java.util.Objects;

/**
 * The root of an import.
 *
 * @param cid the root CID
 * @param type what the root is: {@link UnixfsType#FILE} (also for a single raw leaf), {@link
 *     UnixfsType#DIRECTORY}, {@link UnixfsType#HAMT_SHARD} or {@link UnixfsType#SYMLINK}
 * @param dagSize the cumulative size of the DAG (the Tsize a parent's link to it carries)
 * @param contentSize the file bytes below the root
 */
public record ImportResult(Cid cid, UnixfsType type, long dagSize, long contentSize) {
  public ImportResult {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(type, "type");
  }
}
