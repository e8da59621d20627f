package io.mycel.core.crypto;

/**
 * Key algorithms of the libp2p key envelope, with their protobuf numbers.
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md#keys">libp2p
 *     peer-ids: keys</a>
 */
public enum KeyType {
  RSA(0),
  ED25519(1),
  SECP256K1(2),
  ECDSA(3);

  private final int number;

  KeyType(int number) {
    this.number = number;
  }

  /** The protobuf enum number. */
  public int number() {
    return number;
  }

  /**
   * The key type with protobuf number {@code number}.
   *
   * @throws UnsupportedKeyTypeException if no key type has that number
   */
  public static KeyType fromNumber(int number) {
    for (KeyType t : values()) {
      if (t.number == number) {
        return t;
      }
    }
    throw new UnsupportedKeyTypeException("unknown key type number " + number);
  }
}
