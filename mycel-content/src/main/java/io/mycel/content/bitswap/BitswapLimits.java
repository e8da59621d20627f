package io.mycel.content.bitswap;

/**
 * What one peer may make this node read and remember; enforced while decoding and when
 * applying wantlists.
 *
 * @param maxMessageSize largest message (after its varint length prefix); a larger length
 *     prefix resets the stream before any of the message is read
 * @param maxBlockSize largest block accepted in a message, and served
 * @param maxEntriesPerMessage wantlist entries, and separately block presences, in one message;
 *     decoding stops at the first entry past it
 * @param maxWantlistSizePerPeer wants remembered for one peer; further wants are ignored until
 *     some are served or cancelled
 */
public record BitswapLimits(
    int maxMessageSize, int maxBlockSize, int maxEntriesPerMessage, int maxWantlistSizePerPeer) {

  /** 4 MiB, as go-bitswap (boxo) and js Bitswap. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

  /** 2 MiB: the largest block IPFS implementations exchange. */
  public static final int DEFAULT_MAX_BLOCK_SIZE = 2 * 1024 * 1024;

  public static final int DEFAULT_MAX_ENTRIES_PER_MESSAGE = 1024;

  public static final int DEFAULT_MAX_WANTLIST_SIZE_PER_PEER = 4096;

  public static final BitswapLimits DEFAULT =
      new BitswapLimits(
          DEFAULT_MAX_MESSAGE_SIZE,
          DEFAULT_MAX_BLOCK_SIZE,
          DEFAULT_MAX_ENTRIES_PER_MESSAGE,
          DEFAULT_MAX_WANTLIST_SIZE_PER_PEER);

  public BitswapLimits {
    if (maxMessageSize < 1024) {
      throw new IllegalArgumentException("maxMessageSize must be at least 1024: " + maxMessageSize);
    }
    if (maxBlockSize < 1 || maxBlockSize > maxMessageSize) {
      throw new IllegalArgumentException(
          "maxBlockSize must be between 1 and maxMessageSize: " + maxBlockSize);
    }
    if (maxEntriesPerMessage < 1) {
      throw new IllegalArgumentException(
          "maxEntriesPerMessage must be positive: " + maxEntriesPerMessage);
    }
    if (maxWantlistSizePerPeer < 1) {
      throw new IllegalArgumentException(
          "maxWantlistSizePerPeer must be positive: " + maxWantlistSizePerPeer);
    }
  }

  public BitswapLimits withMaxMessageSize(int value) {
    return new BitswapLimits(value, maxBlockSize, maxEntriesPerMessage, maxWantlistSizePerPeer);
  }

  public BitswapLimits withMaxBlockSize(int value) {
    return new BitswapLimits(maxMessageSize, value, maxEntriesPerMessage, maxWantlistSizePerPeer);
  }

  public BitswapLimits withMaxEntriesPerMessage(int value) {
    return new BitswapLimits(maxMessageSize, maxBlockSize, value, maxWantlistSizePerPeer);
  }

  public BitswapLimits withMaxWantlistSizePerPeer(int value) {
    return new BitswapLimits(maxMessageSize, maxBlockSize, maxEntriesPerMessage, value);
  }
}
