package io.mycel.routing.ipns;

import io.mycel.routing.kad.RecordValidator;
import java.time.Clock;
import java.util.List;

/**
 * The DHT's validator for the {@code /ipns/} namespace: a record is stored or accepted only if
 * it is valid for the name in its key (signature, expiry, size), and of several the one with
 * the highest sequence, then the latest expiry, wins — so a lower sequence never replaces a
 * higher one.
 */
public final class IpnsRecordValidator implements RecordValidator {
  /** The key namespace this validator serves. */
  public static final String NAMESPACE = "ipns";

  private final IpnsValidator validator;

  public IpnsRecordValidator(Clock clock) {
    this.validator = new IpnsValidator(clock);
  }

  @Override
  public void validate(byte[] key, byte[] value) {
    try {
      validator.validate(key, value);
    } catch (InvalidIpnsRecordException e) {
      throw new InvalidRecordException("invalid IPNS record: " + e.getMessage());
    }
  }

  @Override
  public int select(byte[] key, List<byte[]> values) {
    try {
      return validator.select(IpnsName.fromRoutingKey(key), values);
    } catch (InvalidIpnsRecordException e) {
      throw new InvalidRecordException("no valid IPNS record: " + e.getMessage());
    }
  }
}
