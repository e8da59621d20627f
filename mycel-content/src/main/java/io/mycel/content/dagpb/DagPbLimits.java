package io.mycel.content.dagpb;

/**
 * Bounds the decoder enforces before trusting a block.
 *
 * @param maxBlockSize the largest block accepted, in bytes
 * @param maxLinks the most links one node may have
 */
public record DagPbLimits(int maxBlockSize, int maxLinks) {
  /** The largest block IPFS implementations exchange over Bitswap: 2 MiB. */
  public static final int DEFAULT_MAX_BLOCK_SIZE = 2 * 1024 * 1024;
  /**
   * The most links per node: far above what importers write (174 or 1024 per file node, 256 per
   * HAMT shard) and above what large flat directories of the past hold.
   */
  public static final int DEFAULT_MAX_LINKS = 65_536;
  public static final DagPbLimits DEFAULT =
      new DagPbLimits(DEFAULT_MAX_BLOCK_SIZE, DEFAULT_MAX_LINKS);

  public DagPbLimits {
    if (maxBlockSize <= 0) {
      throw new IllegalArgumentException("maxBlockSize must be positive: " + maxBlockSize);
    }
    if (maxLinks < 0) {
      throw new IllegalArgumentException("maxLinks must not be negative: " + maxLinks);
    }
  }
}
