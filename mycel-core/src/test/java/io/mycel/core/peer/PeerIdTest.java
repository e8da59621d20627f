package io.mycel.core.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.Keys;
import io.mycel.core.crypto.KeysTestVectors;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.crypto.PublicKey;
import io.mycel.core.multibase.Multibase;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Peer ids of the libp2p peer-ids spec and its test vectors. */
class PeerIdTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String ED25519_PUBLIC =
      "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  private static final String ED25519_PEER = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
  /** The spec's RSA example peer id and its CIDv1 form. */
  private static final String RSA_PEER = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
  private static final String RSA_PEER_CID =
      "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe";

  @Test
  void ed25519KeyIsInlined() {
    PublicKey key = Keys.unmarshalPublicKey(HEX.parseHex(ED25519_PUBLIC));
    PeerId id = PeerId.fromPublicKey(key);
    assertThat(id.toBase58()).isEqualTo(ED25519_PEER);
    assertThat(id.toString()).isEqualTo(ED25519_PEER);
    assertThat(id.multihash().code()).isEqualTo(Multicodec.IDENTITY);
    assertThat(id.extractPublicKey()).contains(key);
    assertThat(id.matches(key)).isTrue();
    assertThat(PeerId.parse(ED25519_PEER)).isEqualTo(id);
  }

  @Test
  void rsaPeerIdIsHashedAndRoundTripsThroughCid() {
    PeerId id = PeerId.parse(RSA_PEER);
    assertThat(id.multihash().code()).isEqualTo(Multicodec.SHA2_256);
    assertThat(id.extractPublicKey()).isEmpty();
    assertThat(id.toCid().toString()).isEqualTo(RSA_PEER_CID);
    assertThat(PeerId.parse(RSA_PEER_CID)).isEqualTo(id);
  }

  @Test
  void largeKeyIsHashed() {
    PublicKey rsa = Keys.unmarshalPublicKey(HEX.parseHex(
        KeysTestVectors.RSA_PUBLIC));
    PeerId id = PeerId.fromPublicKey(rsa);
    assertThat(id.multihash()).isEqualTo(Multihash.sha2_256(rsa.marshal()));
    assertThat(id.matches(rsa)).isTrue();
  }

  @Test
  void parsesBase36CidForm() {
    PeerId id = PeerId.parse(ED25519_PEER);
    String base36 = id.toCid().toString(Multibase.BASE36);
    assertThat(base36).startsWith("k51");
    assertThat(PeerId.parse(base36)).isEqualTo(id);
  }

  @Test
  void cidFormUsesLibp2pKeyCodec() {
    Cid cid = PeerId.parse(ED25519_PEER).toCid();
    assertThat(cid.version()).isEqualTo(1);
    assertThat(cid.codec()).isEqualTo(Multicodec.LIBP2P_KEY);
    assertThat(cid.toString()).startsWith("bafzaa");
  }

  @Test
  void generatedKeyMatchesOnlyItsOwnId() {
    PrivateKey a = Ed25519.generate();
    PrivateKey b = Ed25519.generate();
    PeerId id = PeerId.fromPublicKey(a.publicKey());
    assertThat(id.matches(a.publicKey())).isTrue();
    assertThat(id.matches(b.publicKey())).isFalse();
    assertThat(PeerId.fromBytes(id.bytes())).isEqualTo(id).hasSameHashCodeAs(id);
  }

  @Test
  void ordersByBytes() {
    PeerId a = PeerId.parse(RSA_PEER);
    PeerId b = PeerId.parse(ED25519_PEER);
    assertThat(a.compareTo(b)).isPositive();
    assertThat(a.compareTo(a)).isZero();
  }

  @Test
  void rejectsGarbageBytes() {
    assertThatThrownBy(() -> PeerId.fromBytes(new byte[] {1, 2, 3, 4, 5}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsEmptyBytes() {
    assertThatThrownBy(() -> PeerId.fromBytes(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsUnsupportedHashFunction() {
    byte[] sha512 = Multihash.digest(Multicodec.SHA2_512, new byte[] {1}).bytes();
    assertThatThrownBy(() -> PeerId.fromBytes(sha512))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("identity or sha2-256");
  }

  @Test
  void rejectsTruncatedSha256Digest() {
    byte[] truncated = Multihash.of(Multicodec.SHA2_256, new byte[20]).bytes();
    assertThatThrownBy(() -> PeerId.fromBytes(truncated))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsIdentityDigestThatIsNotAKey() {
    byte[] identity = Multihash.identity(new byte[] {1, 2, 3}).bytes();
    assertThatThrownBy(() -> PeerId.fromBytes(identity))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsGarbageText() {
    assertThatThrownBy(() -> PeerId.parse("not-a-peer-id"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsBadBase58Character() {
    assertThatThrownBy(() -> PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx50"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsCidWithOtherCodec() {
    String rawCid = Cid.v1(Multicodec.RAW, PeerId.parse(RSA_PEER).multihash()).toString();
    assertThatThrownBy(() -> PeerId.parse(rawCid))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("libp2p-key");
  }

  @Test
  void rejectsEmptyText() {
    assertThatThrownBy(() -> PeerId.parse("")).isInstanceOf(IllegalArgumentException.class);
  }
}
