package io.mycel.routing.ipns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.crypto.PublicKey;
import io.mycel.routing.ipns.InvalidIpnsRecordException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Records published by Kubo 0.18 / 0.21 (Ed25519 keys, V1+V2, valid for 100 years), taken from
 * the ipfs/kubo gateway test fixtures {@code t0114-gateway-subdomains} and
 * {@code t0116-gateway-cache}.
 */
class IpnsReferenceRecordTest {

  static final String NAME_BASE36 =
      "k51qzi5uqu5dlxdsdu5fpuu7h69wu4ohp32iwm9pdt9nq3y5rpn3ln9j12zfhe";
  static final byte[] RECORD = Base64.getDecoder().decode(
      "CkEvaXBmcy9iYWZ5YmVpYjNmZmwydGVpcWRuY3YzbWt6NHIyM2I1Y3Ryd2t6cnJoY3RkYm5lNmlib2F5eHV4azV1"
      + "aRJAsgY/N8KTlLLz2qbMjwb4RyB2E198ggWstk4C6b0miE/l2qML38c/Tb9Aaq02ySOh4vqQkjbhdWjDlPoiW4Mo"
      + "BxgAIhsyMTIzLTA0LTEyVDE1OjMyOjIyLjY0NjE0NFooADCAgIyjgODg5StCQFpEtLeki5qU9Eob+2kuMcA23QBw"
      + "u2BoosNmHsDyQCHRGPR8pxoKinuNw6BgxGz3Lef5fPF/oQGePT65K07HhwlKlQGlY1RUTBsry4MABGMAAGVWYWx1"
      + "ZVhBL2lwZnMvYmFmeWJlaWIzZmZsMnRlaXFkbmN2M21rejRyMjNiNWN0cndrenJyaGN0ZGJuZTZpYm9heXh1eGs1"
      + "dWloU2VxdWVuY2UAaFZhbGlkaXR5WBsyMTIzLTA0LTEyVDE1OjMyOjIyLjY0NjE0NFpsVmFsaWRpdHlUeXBlAA==");

  static final String OTHER_NAME_BASE58 = "12D3KooWLQzUv2FHWGVPXTXSZpdHs7oHbXub2G5WC8Tx4NQhyd2d";
  static final byte[] OTHER_RECORD = Base64.getDecoder().decode(
      "CkEvaXBmcy9iYWZrcmVpY3lzZzIza2l3djM0ZWcyZDdxd2VpcHh3b3NkbzJweTRsZHY0Mm5iYXVndWx1ZW41djZh"
      + "bRJA2IgQoGd7EPzMCASntVtzQdYbxr272yYucqxVqwZyo2JSStAAaED7huXdEtsSHB34FFc7PXSm/fAboI53lS6K"
      + "CRgAIhsyMTIzLTA0LTEyVDEzOjQ0OjU5LjgwMTcyOFooADCAgIyjgODg5StCQPgfwocL0c3arWf/6b+bJgeel1Z+"
      + "VUPF42Wt4Yclx3dEtTr698RRS9sWwoMkmK/C0xGOc0za62MKsedjg/OFagNKlQGlY1RUTBsry4MABGMAAGVWYWx1"
      + "ZVhBL2lwZnMvYmFma3JlaWN5c2cyM2tpd3YzNGVnMmQ3cXdlaXB4d29zZG8ycHk0bGR2NDJuYmF1Z3VsdWVuNXY2"
      + "YW1oU2VxdWVuY2UAaFZhbGlkaXR5WBsyMTIzLTA0LTEyVDEzOjQ0OjU5LjgwMTcyOFpsVmFsaWRpdHlUeXBlAA==");

  private final IpnsValidator validator = new IpnsValidator(IpnsTestKeys.CLOCK);

  @Test
  void validatesBase36NamedRecord() {
    IpnsRecord record = validator.validate(IpnsName.parse("/ipns/" + NAME_BASE36), RECORD);

    assertThat(record.path())
        .isEqualTo("/ipfs/bafybeib3ffl2teiqdncv3mkz4r23b5ctrwkzrrhctdbne6iboayxuxk5ui");
    assertThat(record.sequence()).isZero();
    assertThat(record.validity()).isEqualTo(Instant.parse("2123-04-12T15:32:22.646144Z"));
    assertThat(record.ttl()).isEqualTo(Duration.ofHours(876_600));
    assertThat(record.publicKey()).isEmpty();
  }

  @Test
  void validatesBase58NamedRecord() {
    IpnsRecord record = validator.validate(IpnsName.parse(OTHER_NAME_BASE58), OTHER_RECORD);

    assertThat(record.path())
        .isEqualTo("/ipfs/bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am");
  }

  @Test
  void reEncodingTheDataReproducesTheSignedBytes() {
    IpnsRecord record = IpnsRecord.unmarshal(RECORD);

    assertThat(record.data().encode()).isEqualTo(record.entry().getData().toByteArray());
  }

  @Test
  void legacySignatureCoversValueValidityAndEolText() {
    IpnsRecord record = IpnsRecord.unmarshal(RECORD);
    PublicKey key = IpnsName.parse(NAME_BASE36).peerId().extractPublicKey().orElseThrow();
    byte[] signed = (record.path()
        + new String(record.validityBytes(), StandardCharsets.US_ASCII) + "EOL")
        .getBytes(StandardCharsets.US_ASCII);

    assertThat(key.verify(signed, record.entry().getSignatureV1().toByteArray())).isTrue();
  }

  @Test
  void rejectsRecordUnderAnotherName() {
    assertThatThrownBy(() -> validator.validate(IpnsName.parse(NAME_BASE36), OTHER_RECORD))
        .isInstanceOf(InvalidIpnsRecordException.class)
        .extracting(e -> ((InvalidIpnsRecordException) e).reason())
        .isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void rejectsRecordAfterItsEndOfLife() {
    Instant endOfLife = Instant.parse("2123-04-12T15:32:22.646144Z");
    IpnsValidator later = new IpnsValidator(Clock.fixed(endOfLife, ZoneOffset.UTC));

    assertThatThrownBy(() -> later.validate(IpnsName.parse(NAME_BASE36), RECORD))
        .isInstanceOf(InvalidIpnsRecordException.class)
        .extracting(e -> ((InvalidIpnsRecordException) e).reason())
        .isEqualTo(Reason.EXPIRED);
  }
}
