package io.mycel.net.multistream;

/**
 * Limits enforced while negotiating with multistream-select; input beyond them is a protocol
 * violation of the remote peer.
 *
 * @param maxMessageLength the largest message accepted, in bytes after the length prefix and
 *     counting the trailing newline; go-libp2p and js-libp2p both use 1024
 * @param maxLsResponseLength the largest {@code ls} answer a dialer accepts, in bytes after the
 *     outer length prefix
 * @param maxNegotiationRounds how many messages a listener answers ({@code na}, {@code ls},
 *     repeated headers) before it gives up on a dialer that never proposes a supported protocol
 */
public record MultistreamLimits(
    int maxMessageLength, int maxLsResponseLength, int maxNegotiationRounds) {

  /** A protocol id line, newline included, may not be longer than this. */
  public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1024;

  public static final int DEFAULT_MAX_LS_RESPONSE_LENGTH = 64 * 1024;

  public static final int DEFAULT_MAX_NEGOTIATION_ROUNDS = 64;

  public static final MultistreamLimits DEFAULT =
      new MultistreamLimits(
          DEFAULT_MAX_MESSAGE_LENGTH,
          DEFAULT_MAX_LS_RESPONSE_LENGTH,
          DEFAULT_MAX_NEGOTIATION_ROUNDS);

  public MultistreamLimits {
    // The header itself is 19 bytes; a smaller limit could never negotiate anything.
    if (maxMessageLength < MultistreamMessages.PROTOCOL_ID.length() + 1) {
      throw new IllegalArgumentException("maxMessageLength too small: " + maxMessageLength);
    }
    if (maxLsResponseLength < maxMessageLength) {
      throw new IllegalArgumentException(
          "maxLsResponseLength must be at least maxMessageLength: " + maxLsResponseLength);
    }
    if (maxNegotiationRounds < 1) {
      throw new IllegalArgumentException(
          "maxNegotiationRounds must be positive: " + maxNegotiationRounds);
    }
  }
}
