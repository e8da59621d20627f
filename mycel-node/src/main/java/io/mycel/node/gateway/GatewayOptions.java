package io.mycel.node.gateway;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Limits of the HTTP gateway.
 *
 * @param maxUrlBytes longest request target accepted; longer ones are answered 414
 * @param maxHeaderBytes largest request header block accepted; larger ones are answered 431
 * @param idleTimeout a connection that reads and writes nothing this long is closed
 * @param chunkBytes size of each body chunk written while streaming
 * @param maxListingEntries most entries shown in a generated folder listing
 * @param eventLoopThreads threads of the gateway's own event loop group (unused when one is
 *     passed in)
 * @param subdomainHost the host name of the subdomain gateway ({@code localhost} serves
 *     {@code {cid}.ipfs.localhost} and {@code {name}.ipns.localhost}, and redirects path requests
 *     made to {@code localhost} there); empty turns the subdomain gateway off
 * @see <a href="https://specs.ipfs.tech/http-gateways/subdomain-gateway/">Subdomain Gateway</a>
 */
public record GatewayOptions(int maxUrlBytes, int maxHeaderBytes, Duration idleTimeout,
    int chunkBytes, int maxListingEntries, int eventLoopThreads, String subdomainHost) {
  public static final int DEFAULT_MAX_URL_BYTES = 8 * 1024;
  public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_CHUNK_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_LISTING_ENTRIES = 10_000;
  public static final int DEFAULT_EVENT_LOOP_THREADS = 2;
  public static final String DEFAULT_SUBDOMAIN_HOST = "localhost";

  public GatewayOptions {
    if (maxUrlBytes < 64) {
      throw new IllegalArgumentException("maxUrlBytes must be at least 64: " + maxUrlBytes);
    }
    if (maxHeaderBytes < 1024) {
      throw new IllegalArgumentException("maxHeaderBytes must be at least 1024: " + maxHeaderBytes);
    }
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
    }
    if (chunkBytes < 512) {
      throw new IllegalArgumentException("chunkBytes must be at least 512: " + chunkBytes);
    }
    if (maxListingEntries < 1) {
      throw new IllegalArgumentException("maxListingEntries must be positive: " + maxListingEntries);
    }
    if (eventLoopThreads < 1) {
      throw new IllegalArgumentException("eventLoopThreads must be positive: " + eventLoopThreads);
    }
    Objects.requireNonNull(subdomainHost, "subdomainHost");
    subdomainHost = subdomainHost.toLowerCase(Locale.ROOT);
    if (!subdomainHost.matches("([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.|$))*")) {
      throw new IllegalArgumentException("subdomainHost must be a host name: '" + subdomainHost
          + "'");
    }
  }

  /** Options with the {@link #DEFAULT_SUBDOMAIN_HOST default subdomain host}. */
  public GatewayOptions(int maxUrlBytes, int maxHeaderBytes, Duration idleTimeout,
      int chunkBytes, int maxListingEntries, int eventLoopThreads) {
    this(maxUrlBytes, maxHeaderBytes, idleTimeout, chunkBytes, maxListingEntries,
        eventLoopThreads, DEFAULT_SUBDOMAIN_HOST);
  }

  /** These options with another subdomain host ({@code ""} turns the subdomain gateway off). */
  public GatewayOptions withSubdomainHost(String host) {
    return new GatewayOptions(maxUrlBytes, maxHeaderBytes, idleTimeout, chunkBytes,
        maxListingEntries, eventLoopThreads, host);
  }

  public static GatewayOptions defaults() {
    return new GatewayOptions(DEFAULT_MAX_URL_BYTES, DEFAULT_MAX_HEADER_BYTES,
        DEFAULT_IDLE_TIMEOUT, DEFAULT_CHUNK_BYTES, DEFAULT_MAX_LISTING_ENTRIES,
        DEFAULT_EVENT_LOOP_THREADS, DEFAULT_SUBDOMAIN_HOST);
  }
}
