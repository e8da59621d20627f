package io.mycel.content.car;

import java.io.IOException;

/**
 * A CAR stream that does not follow the
 * <a href="https://ipld.io/specs/transport/car/carv1/">CARv1 spec</a> or breaks a limit: a
 * malformed or unsupported header, a truncated stream, an oversized section, or a block whose
 * bytes do not hash to its CID. The fault is the producer's.
 */
public class CarFormatException extends IOException {
  public CarFormatException(String message) {
    super(message);
  }

  public CarFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
