package io.mycel.content.unixfs;

/**
 * How a directory's size is estimated when deciding whether to shard it. A directory becomes a
 * HAMT when its estimate exceeds the threshold ({@link ImportOptions#shardSplitThresholdBytes}).
 *
 * <p>Only entries whose links are already known count: files, symbolic links and empty
 * directories. A directory that has entries of its own counts nothing towards its parent's
 * estimate — this is how the reference importer (ipfs-unixfs-importer) estimates, and the CIDs
 * of directories near the threshold depend on it.
 */
public enum ShardSplitStrategy {
  /** The sum, over entries, of the name's UTF-8 length plus the CID's binary length. */
  LINKS_BYTES,
  /** The exact dag-pb size of the flat directory node (its Data field and its links). */
  BLOCK_BYTES
}
