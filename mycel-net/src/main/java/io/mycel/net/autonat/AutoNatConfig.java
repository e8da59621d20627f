package io.mycel.net.autonat;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of AutoNAT, both sides.
 *
 * @param serve whether this node answers dial-back requests
 * @param allowPrivateAddresses whether the server dials back private, loopback and link-local
 *     addresses (tests and private networks; public nodes leave it off so that they cannot be
 *     used to probe a requester's local network)
 * @param dialTimeout how long the server waits for one dial-back to connect and authenticate
 * @param maxDialsPerRequest addresses the server tries for one request
 * @param maxRequestsPerPeer requests one peer may make per {@code rateWindow}; more are refused
 * @param maxRequestsTotal requests all peers together may make per {@code rateWindow}
 * @param rateWindow the window of the two request limits
 * @param requestTimeout how long the client waits for an answer (the server's dials included)
 * @param peersPerProbe peers the client asks in one probe round
 * @param maxConfidence answers in agreement needed before one contrary answer no longer flips
 *     the status
 * @param bootDelay from start to the first probe round
 * @param retryInterval between probe rounds while the status is unknown or not yet confident
 * @param refreshInterval between probe rounds once confident
 */
public record AutoNatConfig(
    boolean serve,
    boolean allowPrivateAddresses,
    Duration dialTimeout,
    int maxDialsPerRequest,
    int maxRequestsPerPeer,
    int maxRequestsTotal,
    Duration rateWindow,
    Duration requestTimeout,
    int peersPerProbe,
    int maxConfidence,
    Duration bootDelay,
    Duration retryInterval,
    Duration refreshInterval) {

  public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(15);
  public static final int DEFAULT_MAX_DIALS_PER_REQUEST = 4;
  /** go-libp2p allows a peer 3 requests and everyone 30 per minute. */
  public static final int DEFAULT_MAX_REQUESTS_PER_PEER = 3;
  public static final int DEFAULT_MAX_REQUESTS_TOTAL = 30;
  public static final Duration DEFAULT_RATE_WINDOW = Duration.ofMinutes(1);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_PEERS_PER_PROBE = 3;
  public static final int DEFAULT_MAX_CONFIDENCE = 3;
  public static final Duration DEFAULT_BOOT_DELAY = Duration.ofSeconds(15);
  public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(90);
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(15);

  public static final AutoNatConfig DEFAULT = new AutoNatConfig(
      true, false, DEFAULT_DIAL_TIMEOUT, DEFAULT_MAX_DIALS_PER_REQUEST,
      DEFAULT_MAX_REQUESTS_PER_PEER, DEFAULT_MAX_REQUESTS_TOTAL, DEFAULT_RATE_WINDOW,
      DEFAULT_REQUEST_TIMEOUT, DEFAULT_PEERS_PER_PROBE, DEFAULT_MAX_CONFIDENCE,
      DEFAULT_BOOT_DELAY, DEFAULT_RETRY_INTERVAL, DEFAULT_REFRESH_INTERVAL);

  public AutoNatConfig {
    requirePositive(dialTimeout, "dialTimeout");
    requirePositive(rateWindow, "rateWindow");
    requirePositive(requestTimeout, "requestTimeout");
    requirePositive(bootDelay, "bootDelay");
    requirePositive(retryInterval, "retryInterval");
    requirePositive(refreshInterval, "refreshInterval");
    if (maxDialsPerRequest < 1 || maxRequestsPerPeer < 1 || maxRequestsTotal < 1
        || peersPerProbe < 1 || maxConfidence < 1) {
      throw new IllegalArgumentException(
          "AutoNAT limits (dials per request, requests per peer and in total, peers per probe,"
              + " confidence) must be at least 1");
    }
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("AutoNAT " + name + " must be positive: " + d);
    }
  }

  /** These settings, dialing back private addresses too (loopback tests, private networks). */
  public AutoNatConfig withPrivateAddresses(boolean allow) {
    return new AutoNatConfig(serve, allow, dialTimeout, maxDialsPerRequest, maxRequestsPerPeer,
        maxRequestsTotal, rateWindow, requestTimeout, peersPerProbe, maxConfidence, bootDelay,
        retryInterval, refreshInterval);
  }

  public AutoNatConfig withServe(boolean on) {
    return new AutoNatConfig(on, allowPrivateAddresses, dialTimeout, maxDialsPerRequest,
        maxRequestsPerPeer, maxRequestsTotal, rateWindow, requestTimeout, peersPerProbe,
        maxConfidence, bootDelay, retryInterval, refreshInterval);
  }

  public AutoNatConfig withRateLimits(int perPeer, int total, Duration window) {
    return new AutoNatConfig(serve, allowPrivateAddresses, dialTimeout, maxDialsPerRequest,
        perPeer, total, window, requestTimeout, peersPerProbe, maxConfidence, bootDelay,
        retryInterval, refreshInterval);
  }

  public AutoNatConfig withTimeouts(Duration dial, Duration request) {
    return new AutoNatConfig(serve, allowPrivateAddresses, dial, maxDialsPerRequest,
        maxRequestsPerPeer, maxRequestsTotal, rateWindow, request, peersPerProbe, maxConfidence,
        bootDelay, retryInterval, refreshInterval);
  }

  public AutoNatConfig withSchedule(Duration boot, Duration retry, Duration refresh) {
    return new AutoNatConfig(serve, allowPrivateAddresses, dialTimeout, maxDialsPerRequest,
        maxRequestsPerPeer, maxRequestsTotal, rateWindow, requestTimeout, peersPerProbe,
        maxConfidence, boot, retry, refresh);
  }
}
