package io.mycel.content.pin;

import io.mycel.core.cid.Cid;
import java.util.Objects;
import java.util.Optional;

/** A pinned CID, how it is pinned, and the name the user gave it, if any. */
public record Pin(Cid cid, PinType type, Optional<String> name) {
  /** Longest name accepted, in characters (Kubo allows 255 bytes). */
  public static final int MAX_NAME_LENGTH = 255;

  public Pin {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    name.ifPresent(Pin::checkName);
  }

  public Pin(Cid cid, PinType type) {
    this(cid, type, Optional.empty());
  }

  /**
   * Checks a pin name.
   *
   * @throws IllegalArgumentException if it is longer than {@link #MAX_NAME_LENGTH} characters or
   *     holds a control character
   */
  public static String checkName(String name) {
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("pin name of " + name.length()
          + " characters is longer than " + MAX_NAME_LENGTH);
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new IllegalArgumentException("pin name holds a control character at " + i);
      }
    }
    return name;
  }
}
