package io.mycel.net.yamux;

/**
 * The four Yamux frame types.
 *
 * @see <a href="https://github.com/hashicorp/yamux/blob/master/spec.md#type-field">Yamux spec,
 *     Type Field</a>
 */
public enum YamuxFrameType {
  /** Stream data; the length field counts the payload bytes that follow the header. */
  DATA(0),
  /** Adds the length field to the receiver's send window of a stream. */
  WINDOW_UPDATE(1),
  /** Session keep-alive and round-trip measurement; the length field is an opaque value. */
  PING(2),
  /** Session termination; the length field is an error code. */
  GO_AWAY(3);

  private static final YamuxFrameType[] BY_CODE = values();

  private final int code;

  YamuxFrameType(int code) {
    this.code = code;
  }

  /** The wire value of the type field. */
  public int code() {
    return code;
  }

  /** The type with this wire value, or null for a value this version of Yamux does not define. */
  public static YamuxFrameType fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
