package io.mycel.content.pin;

import java.util.Locale;

/**
 * How a pin protects blocks from garbage collection, as in Kubo: a recursive pin keeps a block
 * and everything it links to, a direct pin only the block itself.
 */
public enum PinType {
  RECURSIVE,
  DIRECT;

  /** The lower-case name Kubo's API uses ({@code recursive}, {@code direct}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The type with the given {@link #wireName()}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static PinType fromWireName(String name) {
    for (PinType type : values()) {
      if (type.wireName().equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown pin type '" + name + "'");
  }
}
