package io.mycel.content.unixfs;

import io.mycel.core.cid.Cid;
import java.util.Objects;

/**
 * What a UnixFS root is.
 *
 * @param cid the root
 * @param type its type; a raw block (codec 0x55) is a {@link UnixfsType#FILE}
 * @param size the file size, the symlink target's length, or 0 for a folder
 * @param blockSize the root block's size in bytes
 */
public record UnixfsStat(Cid cid, UnixfsType type, long size, int blockSize) {
  public UnixfsStat {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(type, "type");
  }
}
