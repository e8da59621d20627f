package io.mycel.routing.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KadConfigTest {

  @Test
  void withAlphaChangesOnlyAlpha() {
    KadConfig c = KadConfig.DEFAULT.withAlpha(4);
    assertEquals(4, c.alpha());
    assertEquals(KadConfig.DEFAULT, c.withAlpha(KadConfig.DEFAULT.alpha()));
  }

  @Test
  void zeroAlphaIsRefusedByName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KadConfig.DEFAULT.withAlpha(0));
    assertTrue(e.getMessage().contains("alpha"), e.getMessage());
  }

  @Test
  void withLookupPeerTimeoutChangesOnlyThatTimeout() {
    KadConfig c = KadConfig.DEFAULT.withLookupPeerTimeout(Duration.ofMillis(500));
    assertEquals(Duration.ofMillis(500), c.lookupPeerTimeout());
    assertEquals(KadConfig.DEFAULT,
        c.withLookupPeerTimeout(KadConfig.DEFAULT_LOOKUP_PEER_TIMEOUT));
  }

  @Test
  void zeroLookupPeerTimeoutIsRefusedByName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> KadConfig.DEFAULT.withLookupPeerTimeout(Duration.ZERO));
    assertTrue(e.getMessage().contains("lookupPeerTimeout"), e.getMessage());
  }
}
