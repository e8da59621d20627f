package io.mycel.routing.ipns;

import io.mycel.core.crypto.Keys;
import io.mycel.core.crypto.PublicKey;
import io.mycel.routing.ipns.InvalidIpnsRecordException.Reason;
import io.mycel.routing.ipns.pb.IpnsProtos.IpnsEntry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates received IPNS records and selects the best of several.
 *
 * <p>A record is valid for a name when it is at most {@link #MAX_RECORD_SIZE} bytes, carries
 * {@code signatureV2} and {@code data}, its {@code signatureV2} verifies against the key inlined
 * in the name (or against the embedded {@code pubKey}, which must belong to the name), every
 * legacy V1 field present equals its copy in {@code data}, its validity type is EOL and its end
 * of life is after the clock's now. {@code signatureV1} is never trusted.
 *
 * @see <a href="https://specs.ipfs.tech/ipns/ipns-record/#record-validation">IPNS record
 *     validation</a>
 */
public final class IpnsValidator {

  /** Largest record accepted, as the spec requires: 10 KiB. */
  public static final int MAX_RECORD_SIZE = 10 * 1024;

  private static final Logger log = LoggerFactory.getLogger(IpnsValidator.class);

  private final Clock clock;
  private final int maxRecordSize;

  public IpnsValidator(Clock clock) {
    this(clock, MAX_RECORD_SIZE);
  }

  public IpnsValidator(Clock clock, int maxRecordSize) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxRecordSize <= 0) {
      throw new IllegalArgumentException("maxRecordSize must be positive: " + maxRecordSize);
    }
    this.maxRecordSize = maxRecordSize;
  }

  /**
   * Validates a record received under a DHT routing key ({@code /ipns/} + multihash).
   *
   * @throws IllegalArgumentException if the key is not an IPNS routing key
   * @throws InvalidIpnsRecordException if the record is invalid
   */
  public IpnsRecord validate(byte[] routingKey, byte[] record) {
    return validate(IpnsName.fromRoutingKey(routingKey), record);
  }

  /**
   * Validates a record for {@code name}.
   *
   * @return the decoded record
   * @throws InvalidIpnsRecordException naming the broken rule
   */
  public IpnsRecord validate(IpnsName name, byte[] record) {
    Objects.requireNonNull(name, "name");
    if (record.length > maxRecordSize) {
      throw new InvalidIpnsRecordException(Reason.TOO_LARGE, "record for " + name + " is "
          + record.length + " bytes, limit " + maxRecordSize);
    }
    IpnsRecord parsed = IpnsRecord.unmarshal(record);
    IpnsEntry entry = parsed.entry();
    if (!entry.hasSignatureV2() || entry.getSignatureV2().isEmpty()) {
      throw new InvalidIpnsRecordException(Reason.MISSING_FIELD,
          "record for " + name + " has no signatureV2");
    }
    PublicKey key = signingKey(name, entry);
    byte[] signed = IpnsRecord.concat(
        IpnsRecord.SIGNATURE_V2_PREFIX.getBytes(StandardCharsets.US_ASCII),
        entry.getData().toByteArray());
    if (!key.verify(signed, entry.getSignatureV2().toByteArray())) {
      throw new InvalidIpnsRecordException(Reason.BAD_SIGNATURE,
          "signatureV2 does not verify against the key of " + name);
    }
    checkV1MatchesData(entry, parsed.data());
    if (parsed.validityType() != IpnsRecord.VALIDITY_TYPE_EOL) {
      throw new InvalidIpnsRecordException(Reason.UNSUPPORTED_VALIDITY_TYPE,
          "validity type " + parsed.validityType());
    }
    Instant eol = parsed.validity();
    Instant now = clock.instant();
    if (!eol.isAfter(now)) {
      throw new InvalidIpnsRecordException(Reason.EXPIRED,
          "record for " + name + " expired at " + eol + " (now " + now + ")");
    }
    return parsed;
  }

  /**
   * Picks the best record for {@code name}: the highest sequence, then the latest end of life,
   * then the earliest in the list. Invalid records are skipped.
   *
   * @return the index of the best record in {@code records}
   * @throws InvalidIpnsRecordException if none is valid (the last failure)
   */
  public int select(IpnsName name, List<byte[]> records) {
    int best = -1;
    IpnsRecord bestRecord = null;
    InvalidIpnsRecordException lastFailure = null;
    for (int i = 0; i < records.size(); i++) {
      IpnsRecord candidate;
      try {
        candidate = validate(name, records.get(i));
      } catch (InvalidIpnsRecordException e) {
        log.debug("skipping record {} for {}: {}", i, name, e.getMessage());
        lastFailure = e;
        continue;
      }
      if (bestRecord == null || compare(candidate, bestRecord) > 0) {
        best = i;
        bestRecord = candidate;
      }
    }
    if (best < 0) {
      throw lastFailure != null ? lastFailure
          : new InvalidIpnsRecordException(Reason.MISSING_FIELD, "no records for " + name);
    }
    return best;
  }

  /**
   * Orders two records by preference: positive when {@code a} is better (higher unsigned
   * sequence, then later end of life), zero when equally good.
   */
  public static int compare(IpnsRecord a, IpnsRecord b) {
    int bySequence = Long.compareUnsigned(a.sequence(), b.sequence());
    if (bySequence != 0) {
      return bySequence;
    }
    return a.validity().compareTo(b.validity());
  }

  private static PublicKey signingKey(IpnsName name, IpnsEntry entry) {
    if (entry.hasPubKey()) {
      PublicKey embedded;
      try {
        embedded = Keys.unmarshalPublicKey(entry.getPubKey().toByteArray());
      } catch (IllegalArgumentException e) {
        throw new InvalidIpnsRecordException(Reason.MALFORMED,
            "embedded pubKey is not a libp2p public key: " + e.getMessage(), e);
      }
      if (!name.peerId().matches(embedded)) {
        throw new InvalidIpnsRecordException(Reason.KEY_MISMATCH,
            "embedded pubKey does not belong to " + name);
      }
      return embedded;
    }
    return name.peerId().extractPublicKey().orElseThrow(() -> new InvalidIpnsRecordException(
        Reason.NO_PUBLIC_KEY, name + " does not inline its key and the record embeds none"));
  }

  private static void checkV1MatchesData(IpnsEntry entry, IpnsData data) {
    if (entry.hasValue() && !Arrays.equals(entry.getValue().toByteArray(), data.value())) {
      throw v1Mismatch("value");
    }
    if (entry.hasValidity()
        && !Arrays.equals(entry.getValidity().toByteArray(), data.validity())) {
      throw v1Mismatch("validity");
    }
    if (entry.hasValidityType() && entry.getValidityType().getNumber() != data.validityType()) {
      throw v1Mismatch("validityType");
    }
    if (entry.hasSequence() && entry.getSequence() != data.sequence()) {
      throw v1Mismatch("sequence");
    }
    if (entry.hasTtl() && entry.getTtl() != data.ttl()) {
      throw v1Mismatch("ttl");
    }
  }

  private static InvalidIpnsRecordException v1Mismatch(String field) {
    return new InvalidIpnsRecordException(Reason.V1_MISMATCH,
        "V1 field " + field + " differs from data");
  }
}
