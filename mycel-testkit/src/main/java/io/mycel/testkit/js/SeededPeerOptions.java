package io.mycel.testkit.js;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How to start a driven Node.js peer whose identity comes from an Ed25519 seed (the Helia and
 * Kademlia peers).
 *
 * @param listen listen multiaddrs; empty means {@code /ip4/127.0.0.1/tcp/0}
 * @param seed a 32-byte Ed25519 seed of the identity, or null for a fresh one
 * @param env extra environment of the Node.js process (e.g. {@code DEBUG=libp2p:*})
 */
public record SeededPeerOptions(
    List<String> listen,
    byte[] seed,
    Map<String, String> env,
    Duration startTimeout,
    Duration callTimeout,
    Duration stopTimeout) implements JsonLinesProcess.Settings {

  public SeededPeerOptions {
    if (seed != null && seed.length != 32) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, got " + seed.length);
    }
    seed = seed == null ? null : seed.clone();
    listen = List.copyOf(listen);
    env = Map.copyOf(env);
    for (Duration d : List.of(startTimeout, callTimeout, stopTimeout)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive: " + d);
      }
    }
  }

  /** No listen addresses given, a fresh identity, no extra environment, these timeouts. */
  public static SeededPeerOptions of(Duration startTimeout, Duration callTimeout, Duration stopTimeout) {
    return new SeededPeerOptions(List.of(), null, Map.of(), startTimeout, callTimeout, stopTimeout);
  }

  public SeededPeerOptions withSeed(byte[] value) {
    return new SeededPeerOptions(listen, value, env, startTimeout, callTimeout, stopTimeout);
  }

  public SeededPeerOptions withEnv(String name, String value) {
    Map<String, String> more = new HashMap<>(env);
    more.put(name, value);
    return new SeededPeerOptions(listen, seed, more, startTimeout, callTimeout, stopTimeout);
  }

  public SeededPeerOptions withCallTimeout(Duration value) {
    return new SeededPeerOptions(listen, seed, env, startTimeout, value, stopTimeout);
  }
}
