package io.mycel.routing.ipns;

import static io.mycel.routing.ipns.IpnsTestKeys.CLOCK;
import static io.mycel.routing.ipns.IpnsTestKeys.NOW;
import static io.mycel.routing.ipns.IpnsTestKeys.PATH;
import static io.mycel.routing.ipns.IpnsTestKeys.TTL;
import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.PrivateKey;
import io.mycel.routing.ipns.pb.IpnsProtos.IpnsEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IpnsRecordTest {

  private final PrivateKey key = IpnsTestKeys.key(7);
  private final IpnsName name = IpnsTestKeys.name(key);
  private final IpnsValidator validator = new IpnsValidator(CLOCK);

  @Test
  void roundTripsThroughBytesAndValidates() {
    Instant eol = NOW.plus(Duration.ofHours(24)).plusNanos(123_456_789);
    IpnsRecord created = IpnsRecord.create(key, PATH, 42, eol, TTL);

    IpnsRecord received = validator.validate(name, created.marshal());

    assertThat(received.path()).isEqualTo(PATH);
    assertThat(received.sequence()).isEqualTo(42);
    assertThat(received.validity()).isEqualTo(eol);
    assertThat(received.ttl()).isEqualTo(TTL);
    assertThat(received.publicKey()).isEmpty();
    assertThat(received.marshal()).isEqualTo(created.marshal());
  }

  @Test
  void validatesUnderTheRoutingKey() {
    IpnsRecord created = IpnsTestKeys.record(key, 1, NOW.plusSeconds(60));

    assertThat(validator.validate(name.routingKey(), created.marshal()).sequence()).isEqualTo(1);
  }

  @Test
  void writesValidityAsRfc3339WithNanoseconds() {
    IpnsRecord created = IpnsRecord.create(
        key, PATH, 0, Instant.parse("1970-01-01T00:00:00.000000001Z"), TTL);

    assertThat(new String(created.validityBytes(), StandardCharsets.US_ASCII))
        .isEqualTo("1970-01-01T00:00:00.000000001Z");
  }

  @Test
  void setsLegacyV1FieldsEqualToData() {
    IpnsRecord created = IpnsTestKeys.record(key, 9, NOW.plusSeconds(60));
    IpnsEntry e = created.entry();

    assertThat(e.getValue().toStringUtf8()).isEqualTo(PATH);
    assertThat(e.getValidity().toByteArray()).isEqualTo(created.validityBytes());
    assertThat(e.getValidityType()).isEqualTo(IpnsEntry.ValidityType.EOL);
    assertThat(e.getSequence()).isEqualTo(9);
    assertThat(e.getTtl()).isEqualTo(TTL.toNanos());
    assertThat(e.hasPubKey()).isFalse();
    byte[] v1Signed = (PATH + new String(created.validityBytes(), StandardCharsets.US_ASCII)
        + "EOL").getBytes(StandardCharsets.US_ASCII);
    assertThat(key.publicKey().verify(v1Signed, e.getSignatureV1().toByteArray())).isTrue();
  }

  @Test
  void signsTheDataWithTheV2Prefix() {
    IpnsRecord created = IpnsTestKeys.record(key, 1, NOW.plusSeconds(60));
    byte[] data = created.entry().getData().toByteArray();
    byte[] signed = IpnsRecord.concat("ipns-signature:".getBytes(StandardCharsets.US_ASCII), data);

    assertThat(key.publicKey().verify(signed, created.entry().getSignatureV2().toByteArray()))
        .isTrue();
  }

  @Test
  void encodesDataAsCanonicalDagCbor() {
    byte[] validity = "2030-01-01T00:00:00.000000000Z".getBytes(StandardCharsets.US_ASCII);
    IpnsData data = new IpnsData("/ipfs/x".getBytes(StandardCharsets.US_ASCII), validity, 0, 300,
        1_000);

    String hex = HexFormat.of().formatHex(data.encode());

    // a5 map(5); keys by length then bytes: TTL, Value, Sequence, Validity, ValidityType.
    assertThat(hex).isEqualTo("a5"
        + "63" + "54544c" + "1903e8"
        + "65" + "56616c7565" + "47" + "2f697066732f78"
        + "68" + "53657175656e6365" + "19012c"
        + "68" + "56616c6964697479" + "581e"
        + HexFormat.of().formatHex(validity)
        + "6c" + "56616c696469747954797065" + "00");
    assertThat(IpnsData.decode(data.encode())).isEqualTo(data);
  }

  @Test
  void encodesLargeUnsignedSequenceInEightBytes() {
    IpnsData data = new IpnsData(new byte[0], new byte[0], 0, -1L, 24);

    IpnsData decoded = IpnsData.decode(data.encode());

    assertThat(decoded.sequence()).isEqualTo(-1L);
    assertThat(HexFormat.of().formatHex(data.encode())).contains("1bffffffffffffffff")
        .startsWith("a5635454" + "4c1818");
  }
}
