package io.mycel.node.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves the name of an {@code /ipns/{name}} request to the content path it points at.
 *
 * @see <a href="https://specs.ipfs.tech/http-gateways/path-gateway/">Path Gateway</a>
 * @see <a href="https://specs.ipfs.tech/ipns/ipns-record/">IPNS Record</a>
 */
@FunctionalInterface
public interface NameResolver {
  /** How long an answer may be cached when the resolver does not say. */
  Duration DEFAULT_TTL = Duration.ofSeconds(60);

  /**
   * The path {@code name} points at, as {@code /ipfs/{cid}[/path]}, or empty when no such name
   * is known.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid name
   * @throws IOException if the name cannot be resolved now
   */
  Optional<String> resolve(String name) throws IOException;

  /** Like {@link #resolve}, with how long the answer may be cached. */
  default Optional<Resolution> resolveWithTtl(String name) throws IOException {
    return resolve(name).map(path -> new Resolution(path, DEFAULT_TTL));
  }

  /**
   * A resolved name.
   *
   * @param path the {@code /ipfs/{cid}[/path]} the name points at
   * @param ttl how long the answer may be cached
   */
  record Resolution(String path, Duration ttl) {
    public Resolution {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("ttl must not be negative: " + ttl);
      }
    }
  }
}
