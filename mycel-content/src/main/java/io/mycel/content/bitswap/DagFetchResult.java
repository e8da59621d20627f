package io.mycel.content.bitswap;

import io.mycel.core.cid.Cid;
import java.time.Duration;
import java.util.Objects;

/**
 * A whole DAG now in the block store.
 *
 * @param blocks distinct blocks of the DAG, the root included
 * @param bytes their total size
 * @param fetched blocks that came from the network (the rest were already stored)
 */
public record DagFetchResult(Cid root, long blocks, long bytes, long fetched, Duration elapsed) {
  public DagFetchResult {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(elapsed, "elapsed");
  }
}
