package io.mycel.content.unixfs;

/**
 * Named sets of import parameters that fix the CIDs of imported data.
 *
 * <p>See <a href="https://specs.ipfs.tech/ipips/ipip-0499/">IPIP-499: UnixFS CID profiles</a>.
 */
public enum UnixfsProfile {
  /** CIDv1, raw leaves, 1 MiB chunks, 1024 links per node, shard when the node passes 256 KiB. */
  UNIXFS_V1_2025("unixfs-v1-2025", 1, true, 1_048_576, 1_024, ShardSplitStrategy.BLOCK_BYTES),
  /** CIDv0, dag-pb leaves, 256 KiB chunks, 174 links per node, legacy size estimate. */
  UNIXFS_V0_2015("unixfs-v0-2015", 0, false, 262_144, 174, ShardSplitStrategy.LINKS_BYTES);

  private final String id;
  private final int cidVersion;
  private final boolean rawLeaves;
  private final int chunkSize;
  private final int maxLinksPerNode;
  private final ShardSplitStrategy shardSplitStrategy;

  UnixfsProfile(String id, int cidVersion, boolean rawLeaves, int chunkSize,
      int maxLinksPerNode, ShardSplitStrategy shardSplitStrategy) {
    this.id = id;
    this.cidVersion = cidVersion;
    this.rawLeaves = rawLeaves;
    this.chunkSize = chunkSize;
    this.maxLinksPerNode = maxLinksPerNode;
    this.shardSplitStrategy = shardSplitStrategy;
  }

  /** The profile's name in IPIP-499, e.g. {@code unixfs-v1-2025}. */
  public String id() {
    return id;
  }

  public int cidVersion() {
    return cidVersion;
  }

  public boolean rawLeaves() {
    return rawLeaves;
  }

  public int chunkSize() {
    return chunkSize;
  }

  public int maxLinksPerNode() {
    return maxLinksPerNode;
  }

  public ShardSplitStrategy shardSplitStrategy() {
    return shardSplitStrategy;
  }

  /**
   * The profile named {@code id}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static UnixfsProfile fromId(String id) {
    for (UnixfsProfile p : values()) {
      if (p.id.equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown UnixFS profile '" + id
        + "' (known: unixfs-v1-2025, unixfs-v0-2015)");
  }
}
