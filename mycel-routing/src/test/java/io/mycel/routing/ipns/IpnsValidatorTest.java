package io.mycel.routing.ipns;

import static io.mycel.routing.ipns.IpnsTestKeys.CLOCK;
import static io.mycel.routing.ipns.IpnsTestKeys.NOW;
import static io.mycel.routing.ipns.IpnsTestKeys.PATH;
import static io.mycel.routing.ipns.IpnsTestKeys.TTL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.net.ProtocolViolationException;
import io.mycel.routing.ipns.InvalidIpnsRecordException.Reason;
import io.mycel.routing.ipns.pb.IpnsProtos.IpnsEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpnsValidatorTest {

  private final PrivateKey key = IpnsTestKeys.key(1);
  private final IpnsName name = IpnsTestKeys.name(key);
  private final IpnsValidator validator = new IpnsValidator(CLOCK);
  private final Instant eol = NOW.plusSeconds(3600);

  private IpnsEntry.Builder goodEntry() {
    return IpnsTestKeys.record(key, 5, eol).entry().toBuilder();
  }

  private void assertRejected(byte[] record, Reason reason) {
    assertThatThrownBy(() -> validator.validate(name, record))
        .isInstanceOf(ProtocolViolationException.class)
        .isInstanceOfSatisfying(InvalidIpnsRecordException.class,
            e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void acceptsGoodRecord() {
    assertThat(validator.validate(name, goodEntry().build().toByteArray()).sequence())
        .isEqualTo(5);
  }

  @Test
  void rejectsBadSignature() {
    byte[] sig = goodEntry().getSignatureV2().toByteArray();
    sig[0] ^= 1;

    assertRejected(goodEntry().setSignatureV2(ByteString.copyFrom(sig)).build().toByteArray(),
        Reason.BAD_SIGNATURE);
  }

  @Test
  void rejectsTamperedData() {
    IpnsData forged = new IpnsData("/ipfs/evil".getBytes(StandardCharsets.US_ASCII),
        IpnsRecord.formatValidity(eol).getBytes(StandardCharsets.US_ASCII), 0, 5, TTL.toNanos());

    assertRejected(goodEntry().clearValue().setData(ByteString.copyFrom(forged.encode()))
        .build().toByteArray(), Reason.BAD_SIGNATURE);
  }

  @Test
  void rejectsRecordSignedByAnotherKey() {
    byte[] other = IpnsTestKeys.record(IpnsTestKeys.key(2), 5, eol).marshal();

    assertRejected(other, Reason.BAD_SIGNATURE);
  }

  @Test
  void rejectsEmbeddedKeyOfAnotherName() {
    byte[] otherKey = IpnsTestKeys.key(2).publicKey().marshal();

    assertRejected(goodEntry().setPubKey(ByteString.copyFrom(otherKey)).build().toByteArray(),
        Reason.KEY_MISMATCH);
  }

  @Test
  void acceptsEmbeddedKeyOfTheName() {
    byte[] ownKey = key.publicKey().marshal();

    assertThat(validator.validate(name,
        goodEntry().setPubKey(ByteString.copyFrom(ownKey)).build().toByteArray()).publicKey())
        .isPresent();
  }

  @Test
  void rejectsMalformedEmbeddedKey() {
    assertRejected(goodEntry().setPubKey(ByteString.copyFromUtf8("not a key")).build()
        .toByteArray(), Reason.MALFORMED);
  }

  @Test
  void rejectsExpiredRecord() {
    assertRejected(IpnsTestKeys.record(key, 5, NOW.minusSeconds(1)).marshal(), Reason.EXPIRED);
  }

  @Test
  void rejectsRecordExpiringExactlyNow() {
    assertRejected(IpnsTestKeys.record(key, 5, NOW).marshal(), Reason.EXPIRED);
  }

  @Test
  void rejectsV1ValueDifferingFromData() {
    assertRejected(goodEntry().setValue(ByteString.copyFromUtf8("/ipfs/other")).build()
        .toByteArray(), Reason.V1_MISMATCH);
  }

  @Test
  void rejectsV1SequenceDifferingFromData() {
    assertRejected(goodEntry().setSequence(6).build().toByteArray(), Reason.V1_MISMATCH);
  }

  @Test
  void rejectsV1ValidityDifferingFromData() {
    assertRejected(goodEntry().setValidity(ByteString.copyFromUtf8("2999-01-01T00:00:00Z"))
        .build().toByteArray(), Reason.V1_MISMATCH);
  }

  @Test
  void rejectsV1TtlDifferingFromData() {
    assertRejected(goodEntry().setTtl(1).build().toByteArray(), Reason.V1_MISMATCH);
  }

  @Test
  void acceptsV2OnlyRecord() {
    byte[] v2Only = goodEntry().clearValue().clearSignatureV1().clearValidity()
        .clearValidityType().clearSequence().clearTtl().build().toByteArray();

    assertThat(validator.validate(name, v2Only).path()).isEqualTo(PATH);
  }

  @Test
  void rejectsOversizedRecord() {
    byte[] big = IpnsRecord.create(key, new byte[IpnsValidator.MAX_RECORD_SIZE], 5, eol, TTL)
        .marshal();

    assertRejected(big, Reason.TOO_LARGE);
  }

  @Test
  void honoursConfiguredSizeLimit() {
    byte[] record = IpnsTestKeys.record(key, 5, eol).marshal();
    IpnsValidator strict = new IpnsValidator(CLOCK, record.length - 1);

    assertThatThrownBy(() -> strict.validate(name, record))
        .isInstanceOfSatisfying(InvalidIpnsRecordException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    assertThat(new IpnsValidator(CLOCK, record.length).validate(name, record)).isNotNull();
  }

  @Test
  void rejectsGarbageProtobuf() {
    assertRejected(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}, Reason.MALFORMED);
  }

  @Test
  void rejectsEmptyBytes() {
    assertRejected(new byte[0], Reason.MISSING_FIELD);
  }

  @Test
  void rejectsMissingSignatureV2() {
    assertRejected(goodEntry().clearSignatureV2().build().toByteArray(), Reason.MISSING_FIELD);
  }

  @Test
  void rejectsMissingData() {
    assertRejected(goodEntry().clearData().build().toByteArray(), Reason.MISSING_FIELD);
  }

  @Test
  void rejectsDataThatIsNotACborMap() {
    assertRejected(goodEntry().setData(ByteString.copyFrom(new byte[] {(byte) 0x83, 1, 2, 3}))
        .build().toByteArray(), Reason.MALFORMED);
  }

  @Test
  void rejectsDataWithTrailingBytes() {
    byte[] data = goodEntry().getData().toByteArray();
    byte[] longer = IpnsRecord.concat(data, new byte[] {0});

    assertRejected(goodEntry().setData(ByteString.copyFrom(longer)).build().toByteArray(),
        Reason.MALFORMED);
  }

  @Test
  void rejectsDataWithTruncatedLength() {
    byte[] data = goodEntry().getData().toByteArray();
    byte[] cut = Arrays.copyOf(data, data.length - 3);

    assertRejected(goodEntry().setData(ByteString.copyFrom(cut)).build().toByteArray(),
        Reason.MALFORMED);
  }

  @Test
  void rejectsUnparseableValidity() {
    PrivateKey k = key;
    IpnsData data = new IpnsData(PATH.getBytes(StandardCharsets.US_ASCII),
        "tomorrow".getBytes(StandardCharsets.US_ASCII), 0, 5, 1);
    byte[] cbor = data.encode();
    byte[] sig = k.sign(IpnsRecord.concat(
        "ipns-signature:".getBytes(StandardCharsets.US_ASCII), cbor));
    byte[] record = IpnsEntry.newBuilder().setData(ByteString.copyFrom(cbor))
        .setSignatureV2(ByteString.copyFrom(sig)).build().toByteArray();

    assertRejected(record, Reason.MALFORMED);
  }

  @Test
  void rejectsUnknownValidityType() {
    IpnsData data = new IpnsData(PATH.getBytes(StandardCharsets.US_ASCII),
        IpnsRecord.formatValidity(eol).getBytes(StandardCharsets.US_ASCII), 1, 5, 1);
    byte[] cbor = data.encode();
    byte[] sig = key.sign(IpnsRecord.concat(
        "ipns-signature:".getBytes(StandardCharsets.US_ASCII), cbor));
    byte[] record = IpnsEntry.newBuilder().setData(ByteString.copyFrom(cbor))
        .setSignatureV2(ByteString.copyFrom(sig)).build().toByteArray();

    assertRejected(record, Reason.UNSUPPORTED_VALIDITY_TYPE);
  }

  @Test
  void rejectsNonIpnsRoutingKey() {
    byte[] record = IpnsTestKeys.record(key, 5, eol).marshal();

    assertThatThrownBy(() -> validator.validate("/pk/x".getBytes(StandardCharsets.US_ASCII),
        record)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/ipns/");
  }

  @Test
  void selectPrefersHigherSequence() {
    byte[] low = IpnsTestKeys.record(key, 3, eol.plusSeconds(9999)).marshal();
    byte[] high = IpnsTestKeys.record(key, 4, eol).marshal();

    assertThat(validator.select(name, List.of(low, high))).isEqualTo(1);
    assertThat(validator.select(name, List.of(high, low))).isZero();
  }

  @Test
  void selectComparesSequenceUnsigned() {
    byte[] small = IpnsTestKeys.record(key, 1, eol).marshal();
    byte[] huge = IpnsTestKeys.record(key, -1L, eol).marshal();

    assertThat(validator.select(name, List.of(small, huge))).isEqualTo(1);
  }

  @Test
  void selectBreaksSequenceTieByLaterEndOfLife() {
    byte[] early = IpnsTestKeys.record(key, 4, eol).marshal();
    byte[] late = IpnsTestKeys.record(key, 4, eol.plusSeconds(1)).marshal();

    assertThat(validator.select(name, List.of(early, late))).isEqualTo(1);
  }

  @Test
  void selectKeepsFirstOfEqualRecords() {
    byte[] a = IpnsTestKeys.record(key, 4, eol).marshal();

    assertThat(validator.select(name, List.of(a, a.clone()))).isZero();
  }

  @Test
  void selectSkipsInvalidRecords() {
    byte[] forged = IpnsTestKeys.record(IpnsTestKeys.key(2), 99, eol).marshal();
    byte[] good = IpnsTestKeys.record(key, 1, eol).marshal();

    assertThat(validator.select(name, List.of(forged, good))).isEqualTo(1);
  }

  @Test
  void selectFailsWhenNoneIsValid() {
    byte[] forged = IpnsTestKeys.record(IpnsTestKeys.key(2), 99, eol).marshal();

    assertThatThrownBy(() -> validator.select(name, List.of(forged)))
        .isInstanceOfSatisfying(InvalidIpnsRecordException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
  }
}
