package io.mycel.content.car;

/**
 * What a {@link CarReader} accepts: the largest header, block and section CID, in bytes. Each is
 * checked before the bytes are read, so a hostile length prefix costs nothing.
 *
 * @param maxHeaderBytes largest DAG-CBOR header
 * @param maxBlockBytes largest block (the part of a section after its CID)
 * @param maxCidBytes largest CID at the start of a section
 */
public record CarLimits(int maxHeaderBytes, int maxBlockBytes, int maxCidBytes) {
  /** Headers up to 1 MiB (some twenty thousand roots). */
  public static final int DEFAULT_MAX_HEADER_BYTES = 1 << 20;
  /** Blocks up to 2 MiB, the largest block Bitswap moves. */
  public static final int DEFAULT_MAX_BLOCK_BYTES = 2 << 20;
  /** CIDs up to 256 bytes: room for any common hash, not for large identity CIDs. */
  public static final int DEFAULT_MAX_CID_BYTES = 256;

  public static final CarLimits DEFAULTS =
      new CarLimits(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BLOCK_BYTES, DEFAULT_MAX_CID_BYTES);

  public CarLimits {
    if (maxHeaderBytes <= 0 || maxBlockBytes < 0 || maxCidBytes <= 0) {
      throw new IllegalArgumentException("CAR limits must be positive: " + maxHeaderBytes + ", "
          + maxBlockBytes + ", " + maxCidBytes);
    }
    if ((long) maxBlockBytes + maxCidBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a CAR section must fit in one array: "
          + maxBlockBytes + " + " + maxCidBytes + " bytes is too large");
    }
  }

  /** The longest section: a CID and a block, each at its limit. */
  public long maxSectionBytes() {
    return (long) maxBlockBytes + maxCidBytes;
  }
}
