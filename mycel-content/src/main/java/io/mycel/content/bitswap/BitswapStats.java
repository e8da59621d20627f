package io.mycel.content.bitswap;

/**
 * What this node exchanged over Bitswap with all peers together, since it started.
 *
 * @param blocksSent blocks sent to peers
 * @param blocksReceived blocks received from peers (duplicates included)
 * @param blockBytesSent block bytes sent
 * @param blockBytesReceived block bytes received (duplicates included)
 * @param messagesSent messages written to peers
 * @param messagesReceived messages read from peers
 * @param duplicateBlocks blocks received that no session waited for any more
 */
public record BitswapStats(
    long blocksSent,
    long blocksReceived,
    long blockBytesSent,
    long blockBytesReceived,
    long messagesSent,
    long messagesReceived,
    long duplicateBlocks) {}
