package io.mycel.routing.kad;

import io.mycel.core.peer.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * A point of the Kademlia key space: the SHA-256 of a key's bytes (<a
 * href="https://github.com/libp2p/specs/blob/master/kad-dht/README.md#distance">spec</a>). Peers
 * sit at the SHA-256 of their multihash bytes; distance is the XOR of two points, compared as
 * unsigned big-endian integers.
 */
public record KadKey(byte[] hash) {

  public static final int LENGTH = 32;

  public KadKey {
    if (hash.length != LENGTH) {
      throw new IllegalArgumentException("kad key must be " + LENGTH + " bytes: " + hash.length);
    }
    hash = hash.clone();
  }

  public static KadKey of(byte[] key) {
    try {
      return new KadKey(MessageDigest.getInstance("SHA-256").digest(key));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KadKey of(PeerId peer) {
    return of(peer.bytes());
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  /** XOR distance to {@code other}. */
  public byte[] distance(KadKey other) {
    byte[] d = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      d[i] = (byte) (hash[i] ^ other.hash[i]);
    }
    return d;
  }

  /** Number of leading bits shared with {@code other}; 256 when equal. */
  public int commonPrefixLength(KadKey other) {
    for (int i = 0; i < LENGTH; i++) {
      int x = (hash[i] ^ other.hash[i]) & 0xff;
      if (x != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
      }
    }
    return LENGTH * 8;
  }

  /** Orders keys by their distance to {@code target}, closest first. */
  public static Comparator<KadKey> byDistanceTo(KadKey target) {
    return (a, b) -> Arrays.compareUnsigned(a.distance(target), b.distance(target));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KadKey other && Arrays.equals(hash, other.hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return "KadKey[" + HexFormat.of().formatHex(hash, 0, 8) + "…]";
  }
}
