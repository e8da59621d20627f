package io.mycel.routing.kad;

import java.util.List;

/**
 * Checks and orders the value records of one key namespace (the first path segment of a key
 * such as {@code /pk/...} or {@code /ipns/...}), as in the <a
 * href="https://github.com/libp2p/specs/blob/master/kad-dht/README.md#value-retrieval">spec</a>.
 */
public interface RecordValidator {

  /**
   * @throws InvalidRecordException when {@code value} is not a valid record for {@code key}
   */
  void validate(byte[] key, byte[] value);

  /** Index of the best of {@code values}, all valid for {@code key}; never empty. */
  int select(byte[] key, List<byte[]> values);

  /** A value record failed its namespace's validation. */
  final class InvalidRecordException extends RuntimeException {
    public InvalidRecordException(String message) {
      super(message);
    }
  }
}
