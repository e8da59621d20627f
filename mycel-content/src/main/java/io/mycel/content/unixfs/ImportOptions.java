package io.mycel.content.unixfs;

import java.util.Objects;

/**
 * Parameters of a UnixFS import. Start from a profile ({@link #defaults()} is {@link
 * UnixfsProfile#UNIXFS_V1_2025}) and override single knobs with the builder.
 *
 * @param cidVersion 0 or 1; leaves are CIDv1 whenever they are raw
 * @param rawLeaves whether file bytes go into raw blocks (codec 0x55) or dag-pb UnixFS leaves
 * @param chunkSize the fixed chunk size in bytes
 * @param maxLinksPerNode the most links in a file node of the balanced layout
 * @param shardSplitStrategy how directory sizes are estimated
 * @param shardSplitThresholdBytes a directory whose estimate exceeds this becomes a HAMT
 * @param hamtFanout buckets per HAMT node
 * @param hashParallelism threads hashing leaves of one file (1 hashes on the calling thread)
 */
public record ImportOptions(int cidVersion, boolean rawLeaves, int chunkSize,
    int maxLinksPerNode, ShardSplitStrategy shardSplitStrategy, long shardSplitThresholdBytes,
    int hamtFanout, int hashParallelism) {

  /** Kubo's largest chunk: 1 MiB. Blocks above 2 MiB cannot cross Bitswap. */
  public static final int MAX_CHUNK_SIZE = 1_048_576;
  /** Keeps a file node far below the 2 MiB block limit. */
  public static final int MAX_LINKS_PER_NODE = 16_384;
  /** The reference importer's threshold: 256 KiB. */
  public static final long DEFAULT_SHARD_SPLIT_THRESHOLD_BYTES = 262_144;
  public static final int DEFAULT_HASH_PARALLELISM =
      Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));

  public ImportOptions {
    if (cidVersion != 0 && cidVersion != 1) {
      throw new IllegalArgumentException("CID version must be 0 or 1: " + cidVersion);
    }
    if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException("chunk size must be 1.." + MAX_CHUNK_SIZE + ": "
          + chunkSize);
    }
    if (maxLinksPerNode < 2 || maxLinksPerNode > MAX_LINKS_PER_NODE) {
      throw new IllegalArgumentException("max links per node must be 2.." + MAX_LINKS_PER_NODE
          + ": " + maxLinksPerNode);
    }
    Objects.requireNonNull(shardSplitStrategy, "shardSplitStrategy");
    if (shardSplitThresholdBytes < 0) {
      throw new IllegalArgumentException("negative shard split threshold");
    }
    Hamt.bitsOf(hamtFanout);
    if (hashParallelism < 1) {
      throw new IllegalArgumentException("hash parallelism must be at least 1");
    }
  }

  /** The {@link UnixfsProfile#UNIXFS_V1_2025} parameters. */
  public static ImportOptions defaults() {
    return of(UnixfsProfile.UNIXFS_V1_2025);
  }

  public static ImportOptions of(UnixfsProfile profile) {
    return builder(profile).build();
  }

  public static Builder builder() {
    return builder(UnixfsProfile.UNIXFS_V1_2025);
  }

  public static Builder builder(UnixfsProfile profile) {
    return new Builder(profile);
  }

  /** A builder seeded with these options. */
  public Builder toBuilder() {
    Builder b = new Builder(UnixfsProfile.UNIXFS_V1_2025);
    b.cidVersion = cidVersion;
    b.rawLeaves = rawLeaves;
    b.chunkSize = chunkSize;
    b.maxLinksPerNode = maxLinksPerNode;
    b.shardSplitStrategy = shardSplitStrategy;
    b.shardSplitThresholdBytes = shardSplitThresholdBytes;
    b.hamtFanout = hamtFanout;
    b.hashParallelism = hashParallelism;
    return b;
  }

  /**
   * The chunk size of a chunker spec in Kubo's form, {@code size-<bytes>}.
   *
   * @throws IllegalArgumentException for any other chunker (rabin, buzhash) or a bad size
   */
  public static int parseChunker(String spec) {
    if (spec == null || !spec.startsWith("size-")) {
      throw new IllegalArgumentException("unsupported chunker '" + spec
          + "': only fixed-size chunking (size-<bytes>) is supported");
    }
    int size;
    try {
      size = Integer.parseInt(spec.substring("size-".length()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad chunk size in '" + spec + "'");
    }
    if (size < 1 || size > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException("chunk size in '" + spec + "' must be 1.."
          + MAX_CHUNK_SIZE);
    }
    return size;
  }

  /** Builds {@link ImportOptions}; every knob starts at the profile's value. */
  public static final class Builder {
    private int cidVersion;
    private boolean rawLeaves;
    private int chunkSize;
    private int maxLinksPerNode;
    private ShardSplitStrategy shardSplitStrategy;
    private long shardSplitThresholdBytes = DEFAULT_SHARD_SPLIT_THRESHOLD_BYTES;
    private int hamtFanout = Hamt.DEFAULT_FANOUT;
    private int hashParallelism = DEFAULT_HASH_PARALLELISM;

    private Builder(UnixfsProfile profile) {
      profile(profile);
    }

    /** Resets the profile-defined knobs to {@code profile}'s values. */
    public Builder profile(UnixfsProfile profile) {
      cidVersion = profile.cidVersion();
      rawLeaves = profile.rawLeaves();
      chunkSize = profile.chunkSize();
      maxLinksPerNode = profile.maxLinksPerNode();
      shardSplitStrategy = profile.shardSplitStrategy();
      return this;
    }

    public Builder cidVersion(int v) {
      cidVersion = v;
      return this;
    }

    public Builder rawLeaves(boolean v) {
      rawLeaves = v;
      return this;
    }

    public Builder chunkSize(int v) {
      chunkSize = v;
      return this;
    }

    /** The chunk size from a {@code size-<bytes>} spec. */
    public Builder chunker(String spec) {
      chunkSize = parseChunker(spec);
      return this;
    }

    public Builder maxLinksPerNode(int v) {
      maxLinksPerNode = v;
      return this;
    }

    public Builder shardSplitStrategy(ShardSplitStrategy v) {
      shardSplitStrategy = v;
      return this;
    }

    public Builder shardSplitThresholdBytes(long v) {
      shardSplitThresholdBytes = v;
      return this;
    }

    public Builder hamtFanout(int v) {
      hamtFanout = v;
      return this;
    }

    public Builder hashParallelism(int v) {
      hashParallelism = v;
      return this;
    }

    public ImportOptions build() {
      return new ImportOptions(cidVersion, rawLeaves, chunkSize, maxLinksPerNode,
          shardSplitStrategy, shardSplitThresholdBytes, hamtFanout, hashParallelism);
    }
  }
}
