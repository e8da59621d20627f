package io.mycel.content.unixfs;

import io.mycel.content.dagpb.DagPbLimits;
import java.util.Objects;

/**
 * Bounds on what reading a UnixFS DAG may cost, so that a malformed or hostile DAG (a link
 * cycle, sizes that lie, shared sub-trees multiplied) fails with an error instead of hanging or
 * exhausting memory.
 *
 * @param maxDepth the deepest a file DAG or a HAMT may go
 * @param maxFileSize the largest file size accepted from a root node
 * @param maxDirectoryEntries the most links one directory listing may visit
 * @param dagPb the block decoding limits
 */
public record ExportLimits(int maxDepth, long maxFileSize, long maxDirectoryEntries,
    DagPbLimits dagPb) {
  /** Far deeper than balanced (about 5 levels for 1 PiB) or trickle DAGs go. */
  public static final int DEFAULT_MAX_DEPTH = 64;
  /** 2^53-1 bytes (8 PiB): the largest size JavaScript implementations represent. */
  public static final long DEFAULT_MAX_FILE_SIZE = (1L << 53) - 1;
  /** Ten million links: large HAMT directories, but not a multiplied one. */
  public static final long DEFAULT_MAX_DIRECTORY_ENTRIES = 10_000_000;
  public static final ExportLimits DEFAULT = new ExportLimits(DEFAULT_MAX_DEPTH,
      DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_DIRECTORY_ENTRIES, DagPbLimits.DEFAULT);

  public ExportLimits {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be positive");
    }
    if (maxFileSize < 0 || maxDirectoryEntries < 0) {
      throw new IllegalArgumentException("negative limit");
    }
    Objects.requireNonNull(dagPb, "dagPb");
  }
}
