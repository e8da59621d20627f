package io.mycel.content.bitswap;

import io.mycel.content.blockstore.Block;
import java.util.List;

/**
 * One Bitswap message (<a
 * href="https://github.com/ipfs/specs/blob/main/src/bitswap-protocol.md#wire-format">spec</a>):
 * wantlist changes (or a full wantlist), blocks, block presences and the sender's pending bytes.
 * Blocks received from the network carry the CID computed from their prefix and bytes.
 */
public record BitswapMessage(
    List<WantlistEntry> wantlist,
    boolean fullWantlist,
    List<Block> blocks,
    List<BlockPresence> presences,
    int pendingBytes) {

  public static final BitswapMessage EMPTY =
      new BitswapMessage(List.of(), false, List.of(), List.of(), 0);

  public BitswapMessage {
    wantlist = List.copyOf(wantlist);
    blocks = List.copyOf(blocks);
    presences = List.copyOf(presences);
    if (pendingBytes < 0) {
      throw new IllegalArgumentException("pendingBytes must not be negative: " + pendingBytes);
    }
  }

  /** A message with only wantlist changes. */
  public static BitswapMessage wants(List<WantlistEntry> entries) {
    return new BitswapMessage(entries, false, List.of(), List.of(), 0);
  }

  /** A message with only blocks and presences. */
  public static BitswapMessage response(List<Block> blocks, List<BlockPresence> presences) {
    return new BitswapMessage(List.of(), false, blocks, presences, 0);
  }

  /** Whether there is nothing to send (a full, empty wantlist still says something). */
  public boolean isEmpty() {
    return wantlist.isEmpty() && !fullWantlist && blocks.isEmpty() && presences.isEmpty();
  }

  /** The bytes of block data the message carries. */
  public long blockBytes() {
    long total = 0;
    for (Block b : blocks) {
      total += b.size();
    }
    return total;
  }
}
