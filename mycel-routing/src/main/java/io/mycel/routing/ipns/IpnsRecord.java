package io.mycel.routing.ipns;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.mycel.core.crypto.KeyType;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.routing.ipns.InvalidIpnsRecordException.Reason;
import io.mycel.routing.ipns.pb.IpnsProtos.IpnsEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * An IPNS record: a signed, expiring pointer from an {@link IpnsName} to a content path.
 *
 * <p>Records are created V1+V2 for compatibility: the signed DAG-CBOR {@code data} and
 * {@code signatureV2}, plus the legacy V1 copies of its fields and {@code signatureV1}. The
 * public key is embedded only when it is not inlined in the name (everything but Ed25519).
 *
 * <p>{@link #unmarshal} only decodes; use {@link IpnsValidator} to check a received record.
 *
 * @see <a href="https://specs.ipfs.tech/ipns/ipns-record/">IPNS Record and Protocol</a>
 */
public final class IpnsRecord {

  /** Prefix of the bytes covered by {@code signatureV2}. */
  public static final String SIGNATURE_V2_PREFIX = "ipns-signature:";

  /** {@code ValidityType} EOL: the record is valid until {@link #validity()}. */
  public static final long VALIDITY_TYPE_EOL = 0;

  private static final DateTimeFormatter RFC3339_NANOS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final IpnsEntry entry;
  private final IpnsData data;
  private final byte[] encoded;

  private IpnsRecord(IpnsEntry entry, IpnsData data, byte[] encoded) {
    this.entry = entry;
    this.data = data;
    this.encoded = encoded;
  }

  /**
   * Creates and signs a record.
   *
   * @param key the name's private key
   * @param value the content path bytes, e.g. {@code /ipfs/<cid>}
   * @param sequence the unsigned sequence number, higher than any earlier record of the name
   * @param eol the end of life
   * @param ttl how long resolvers may cache the record
   */
  public static IpnsRecord create(
      PrivateKey key, byte[] value, long sequence, Instant eol, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(eol, "eol");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative: " + ttl);
    }
    byte[] validity = formatValidity(eol).getBytes(StandardCharsets.US_ASCII);
    IpnsData data = new IpnsData(value, validity, VALIDITY_TYPE_EOL, sequence, ttl.toNanos());
    byte[] cbor = data.encode();
    byte[] signatureV2 = key.sign(concat(
        SIGNATURE_V2_PREFIX.getBytes(StandardCharsets.US_ASCII), cbor));
    byte[] signatureV1 = key.sign(concat(concat(value, validity),
        IpnsEntry.ValidityType.EOL.name().getBytes(StandardCharsets.US_ASCII)));
    IpnsEntry.Builder b = IpnsEntry.newBuilder()
        .setValue(ByteString.copyFrom(value))
        .setSignatureV1(ByteString.copyFrom(signatureV1))
        .setValidityType(IpnsEntry.ValidityType.EOL)
        .setValidity(ByteString.copyFrom(validity))
        .setSequence(sequence)
        .setTtl(ttl.toNanos())
        .setSignatureV2(ByteString.copyFrom(signatureV2))
        .setData(ByteString.copyFrom(cbor));
    if (key.type() != KeyType.ED25519) {
      b.setPubKey(ByteString.copyFrom(key.publicKey().marshal()));
    }
    IpnsEntry entry = b.build();
    return new IpnsRecord(entry, data, entry.toByteArray());
  }

  /** Creates and signs a record pointing at a path such as {@code /ipfs/<cid>}. */
  public static IpnsRecord create(
      PrivateKey key, String path, long sequence, Instant eol, Duration ttl) {
    return create(key, path.getBytes(StandardCharsets.UTF_8), sequence, eol, ttl);
  }

  /**
   * Decodes a record's protobuf and its {@code data} map, without checking signatures, key or
   * expiry (see {@link IpnsValidator}).
   *
   * @throws InvalidIpnsRecordException ({@link Reason#MALFORMED} or {@link
   *     Reason#MISSING_FIELD}) when the bytes cannot be decoded
   */
  public static IpnsRecord unmarshal(byte[] bytes) {
    IpnsEntry entry;
    try {
      entry = IpnsEntry.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidIpnsRecordException(Reason.MALFORMED, "not an IpnsEntry protobuf: "
          + e.getMessage(), e);
    }
    if (!entry.hasData() || entry.getData().isEmpty()) {
      throw new InvalidIpnsRecordException(Reason.MISSING_FIELD, "no data (V2) field");
    }
    IpnsData data;
    try {
      data = IpnsData.decode(entry.getData().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new InvalidIpnsRecordException(Reason.MALFORMED, e.getMessage(), e);
    }
    return new IpnsRecord(entry, data, bytes.clone());
  }

  /** The protobuf encoding, as created or as received. */
  public byte[] marshal() {
    return encoded.clone();
  }

  /** The generated protobuf message. */
  public IpnsEntry entry() {
    return entry;
  }

  /** The signed content path bytes. */
  public byte[] value() {
    return data.value();
  }

  /** The signed content path as text, e.g. {@code /ipfs/bafy...}. */
  public String path() {
    return new String(data.value(), StandardCharsets.UTF_8);
  }

  /** The signed unsigned sequence number (compare with {@link Long#compareUnsigned}). */
  public long sequence() {
    return data.sequence();
  }

  /** The signed validity type; {@link #VALIDITY_TYPE_EOL} is the only one defined. */
  public long validityType() {
    return data.validityType();
  }

  /** The signed validity bytes (RFC 3339 text for EOL). */
  public byte[] validityBytes() {
    return data.validity();
  }

  /**
   * The signed end of life.
   *
   * @throws InvalidIpnsRecordException ({@link Reason#MALFORMED}) if it is not RFC 3339
   */
  public Instant validity() {
    return parseValidity(data.validity());
  }

  /** The signed cache lifetime ({@code TTL}, carried in nanoseconds). */
  public Duration ttl() {
    long nanos = data.ttl();
    if (nanos < 0) {
      return Duration.ofNanos(Long.MAX_VALUE);
    }
    return Duration.ofNanos(nanos);
  }

  /** The embedded protobuf-encoded public key, present for keys not inlined in the name. */
  public Optional<byte[]> publicKey() {
    return entry.hasPubKey() ? Optional.of(entry.getPubKey().toByteArray()) : Optional.empty();
  }

  IpnsData data() {
    return data;
  }

  /** Formats an instant as RFC 3339 in UTC with nine fractional digits. */
  static String formatValidity(Instant eol) {
    return RFC3339_NANOS.format(eol);
  }

  static Instant parseValidity(byte[] validity) {
    String text = new String(validity, StandardCharsets.US_ASCII);
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidIpnsRecordException(Reason.MALFORMED,
          "validity '" + text + "' is not an RFC 3339 time", e);
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public String toString() {
    return "IpnsRecord[" + data + "]";
  }
}
