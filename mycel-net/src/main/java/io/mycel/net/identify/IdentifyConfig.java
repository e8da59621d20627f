package io.mycel.net.identify;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link IdentifyService}.
 *
 * @param maxMessageSize the largest Identify message read, in bytes after the length prefix;
 *     a peer announcing more gets its stream reset
 * @param timeout how long an identify exchange (stream opening included) or a push may take
 * @param protocolVersion the {@code protocolVersion} announced
 */
public record IdentifyConfig(int maxMessageSize, Duration timeout, String protocolVersion) {

  /** go-libp2p and js-libp2p send a few KiB at most; signed peer records fit well within. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  /** What go-libp2p, js-libp2p and Kubo announce. */
  public static final String DEFAULT_PROTOCOL_VERSION = "ipfs/0.1.0";

  public static final IdentifyConfig DEFAULT =
      new IdentifyConfig(DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_TIMEOUT, DEFAULT_PROTOCOL_VERSION);

  public IdentifyConfig {
    if (maxMessageSize < 1) {
      throw new IllegalArgumentException("maxMessageSize must be positive: " + maxMessageSize);
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    Objects.requireNonNull(protocolVersion, "protocolVersion");
  }
}
