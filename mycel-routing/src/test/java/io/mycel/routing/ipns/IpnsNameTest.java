package io.mycel.routing.ipns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IpnsNameTest {

  // The same Ed25519 key in both text forms (Kubo t0114 gateway fixtures).
  static final String BASE58 = "12D3KooWLQzUv2FHWGVPXTXSZpdHs7oHbXub2G5WC8Tx4NQhyd2d";

  @Test
  void parsesBase58AndBase36ToTheSameName() {
    IpnsName fromBase58 = IpnsName.parse("/ipns/" + BASE58);
    String base36 = fromBase58.toBase36();

    assertThat(base36).startsWith("k51");
    assertThat(IpnsName.parse(base36)).isEqualTo(fromBase58);
    assertThat(IpnsName.parse("/ipns/" + base36).toBase58()).isEqualTo(BASE58);
    assertThat(fromBase58.toString()).isEqualTo("/ipns/" + base36);
  }

  @Test
  void parsesKuboBase36Name() {
    IpnsName name = IpnsName.parse(IpnsReferenceRecordTest.NAME_BASE36);

    assertThat(name.toBase36()).isEqualTo(IpnsReferenceRecordTest.NAME_BASE36);
    assertThat(name.toBase58()).startsWith("12D3Koo");
  }

  @Test
  void routingKeyIsPrefixAndMultihash() {
    IpnsName name = IpnsName.parse(BASE58);
    byte[] key = name.routingKey();

    assertThat(new String(key, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("/ipns/");
    assertThat(Arrays.copyOfRange(key, 6, key.length)).isEqualTo(name.multihash().bytes());
    assertThat(IpnsName.fromRoutingKey(key)).isEqualTo(name);
  }

  @Test
  void rejectsEmptyName() {
    assertThatThrownBy(() -> IpnsName.parse("/ipns/"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/ipns/");
  }

  @Test
  void rejectsNameWithPath() {
    assertThatThrownBy(() -> IpnsName.parse("/ipns/" + BASE58 + "/index.html"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index.html");
  }

  @Test
  void rejectsGarbageName() {
    assertThatThrownBy(() -> IpnsName.parse("/ipns/not-a-peer"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-a-peer");
  }

  @Test
  void rejectsCidOfAnotherCodec() {
    String dagPb = "bafybeib3ffl2teiqdncv3mkz4r23b5ctrwkzrrhctdbne6iboayxuxk5ui";

    assertThatThrownBy(() -> IpnsName.parse(dagPb)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsRoutingKeyWithoutPrefix() {
    byte[] key = "/pk/abc".getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> IpnsName.fromRoutingKey(key))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/ipns/");
  }
}
