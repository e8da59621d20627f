package io.mycel.net.noise;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the Noise secure channel.
 *
 * @param localStreamMuxers muxer protocol ids announced in the handshake's {@code NoiseExtensions}
 *     (may be empty)
 * @param maxHandshakePayloadBytes largest decrypted handshake payload accepted from the peer
 * @param maxStreamMuxers most muxer ids accepted from the peer
 * @param handshakeTimeout how long the handshake may take; {@link Duration#ZERO} for no limit
 */
public record NoiseConfig(
    List<String> localStreamMuxers,
    int maxHandshakePayloadBytes,
    int maxStreamMuxers,
    Duration handshakeTimeout) {

  /** Room for an RSA-4096 identity key, its signature and a few extensions. */
  public static final int DEFAULT_MAX_HANDSHAKE_PAYLOAD_BYTES = 8 * 1024;

  public static final int DEFAULT_MAX_STREAM_MUXERS = 32;
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);

  public NoiseConfig {
    localStreamMuxers = List.copyOf(localStreamMuxers);
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    int largestPayload = NoiseXXHandshake.MAX_MESSAGE_LENGTH - NoiseXXHandshake.MESSAGE_3_OVERHEAD;
    if (maxHandshakePayloadBytes < 1 || maxHandshakePayloadBytes > largestPayload) {
      throw new IllegalArgumentException(
          "maxHandshakePayloadBytes must be 1 to "
              + largestPayload
              + ": "
              + maxHandshakePayloadBytes);
    }
    if (maxStreamMuxers < 0) {
      throw new IllegalArgumentException(
          "maxStreamMuxers must not be negative: " + maxStreamMuxers);
    }
    if (handshakeTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "handshakeTimeout must not be negative: " + handshakeTimeout);
    }
  }

  public static NoiseConfig defaults() {
    return new NoiseConfig(
        List.of(),
        DEFAULT_MAX_HANDSHAKE_PAYLOAD_BYTES,
        DEFAULT_MAX_STREAM_MUXERS,
        DEFAULT_HANDSHAKE_TIMEOUT);
  }

  public NoiseConfig withLocalStreamMuxers(List<String> muxers) {
    return new NoiseConfig(muxers, maxHandshakePayloadBytes, maxStreamMuxers, handshakeTimeout);
  }

  public NoiseConfig withMaxHandshakePayloadBytes(int bytes) {
    return new NoiseConfig(localStreamMuxers, bytes, maxStreamMuxers, handshakeTimeout);
  }

  public NoiseConfig withHandshakeTimeout(Duration timeout) {
    return new NoiseConfig(localStreamMuxers, maxHandshakePayloadBytes, maxStreamMuxers, timeout);
  }
}
