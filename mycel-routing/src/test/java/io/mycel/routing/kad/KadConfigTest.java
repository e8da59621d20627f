package io.mycel.routing.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
