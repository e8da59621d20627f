package io.mycel.routing.kad;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider records, in memory and optionally written through to a {@link
 * PersistentProviderStore} (<a
 * href="https://github.com/libp2p/specs/blob/master/kad-dht/README.md#content-provider-advertisement-and-discovery">spec</a>),
 * each expiring {@code ttl} after it was last added.
 */
public final class ProviderStore {

  /** One peer providing a key, with the addresses it announced. */
  public record Provider(PeerId peer, List<Multiaddr> addresses) {
    public Provider {
      addresses = List.copyOf(addresses);
    }
  }

  private record Stored(Provider provider, Instant expires) {}

  private final Clock clock;
  private final Duration ttl;
  private final int maxPerKey;
  private final Map<KadKey, LinkedHashMap<PeerId, Stored>> records = new HashMap<>();

  private final PersistentProviderStore persistent;

  public ProviderStore(Clock clock, Duration ttl, int maxPerKey) {
    this(clock, ttl, maxPerKey, null);
  }

  /**
   * A store that writes through to {@code persistent} (null: memory only) and starts with the
   * unexpired records it holds.
   */
  public ProviderStore(
      Clock clock, Duration ttl, int maxPerKey, PersistentProviderStore persistent) {
    this.clock = clock;
    this.ttl = ttl;
    this.maxPerKey = maxPerKey;
    this.persistent = persistent;
    if (persistent != null) {
      load(persistent);
    }
  }

  private void load(PersistentProviderStore persistent) {
    Instant now = clock.instant();
    persistent.load().forEach((key, entries) -> {
      LinkedHashMap<PeerId, Stored> forKey = new LinkedHashMap<>();
      for (PersistentProviderStore.Entry e : entries) {
        if (e.expires().isAfter(now) && forKey.size() < maxPerKey) {
          forKey.put(e.provider().peer(), new Stored(e.provider(), e.expires()));
        }
      }
      if (forKey.isEmpty()) {
        persistent.put(key, List.of());
      } else {
        records.put(KadKey.of(key), forKey);
        if (forKey.size() != entries.size()) {
          persist(key, forKey);
        }
      }
    });
  }

  private void persist(byte[] key, Map<PeerId, Stored> forKey) {
    List<PersistentProviderStore.Entry> entries = new ArrayList<>();
    forKey.values().forEach(s -> entries.add(
        new PersistentProviderStore.Entry(s.provider(), s.expires())));
    persistent.put(key, entries);
  }

  public synchronized void add(byte[] key, Provider provider) {
    LinkedHashMap<PeerId, Stored> forKey =
        records.computeIfAbsent(KadKey.of(key), k -> new LinkedHashMap<>());
    expire(forKey);
    forKey.remove(provider.peer());
    if (forKey.size() >= maxPerKey) {
      PeerId oldest = forKey.keySet().iterator().next();
      forKey.remove(oldest);
    }
    forKey.put(provider.peer(), new Stored(provider, clock.instant().plus(ttl)));
    if (persistent != null) {
      persist(key, forKey);
    }
  }

  /** Unexpired providers of {@code key}, oldest first. */
  public synchronized List<Provider> get(byte[] key) {
    KadKey k = KadKey.of(key);
    LinkedHashMap<PeerId, Stored> forKey = records.get(k);
    if (forKey == null) {
      return List.of();
    }
    expire(forKey);
    if (forKey.isEmpty()) {
      records.remove(k);
      return List.of();
    }
    List<Provider> result = new ArrayList<>();
    forKey.values().forEach(s -> result.add(s.provider()));
    return result;
  }

  private void expire(Map<PeerId, Stored> forKey) {
    Instant now = clock.instant();
    forKey.values().removeIf(s -> !s.expires().isAfter(now));
  }
}
