package io.mycel.routing.ipns;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.peer.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

final class IpnsTestKeys {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Duration TTL = Duration.ofMinutes(5);
  static final String PATH = "/ipfs/bafkreidfdrlkeq4m4xnxuyx6iae76fdm4wgl5d4xzsb77ixhyqwumhz244";

  private IpnsTestKeys() {}

  static PrivateKey key(int seed) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) seed);
    return Ed25519.fromSeed(s);
  }

  static IpnsName name(PrivateKey key) {
    return new IpnsName(PeerId.fromPublicKey(key.publicKey()));
  }

  static IpnsRecord record(PrivateKey key, long sequence, Instant eol) {
    return IpnsRecord.create(key, PATH, sequence, eol, TTL);
  }
}
