package io.mycel.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentPathTest {
  private static final Cid CID = Cid.v1(Multicodec.RAW,
      Multihash.sha2_256("x".getBytes(StandardCharsets.UTF_8)));

  private static HttpResponseStatus statusOf(String uri) {
    try {
      ContentPath.parse(uri);
      return HttpResponseStatus.OK;
    } catch (GatewayException e) {
      return e.status();
    }
  }

  @Test
  void splitsDecodedSegmentsAndQuery() throws Exception {
    ContentPath p = ContentPath.parse("/ipfs/" + CID + "/a%20b//c/?format=car&x=%2F");
    assertThat(p.root()).isEqualTo(CID);
    assertThat(p.segments()).containsExactly("a b", "c");
    assertThat(p.trailingSlash()).isTrue();
    assertThat(p.rawQuery()).isEqualTo("format=car&x=%2F");
    assertThat(p.rawPath()).isEqualTo("/ipfs/" + CID + "/a%20b//c/");
  }

  @Test
  void aPlusStaysAPlus() throws Exception {
    assertThat(ContentPath.parse("/ipfs/" + CID + "/a+b").segments()).containsExactly("a+b");
  }

  @Test
  void acceptsTheAbsoluteForm() throws Exception {
    ContentPath p = ContentPath.parse("http://example.com:8080/ipfs/" + CID + "/f");
    assertThat(p.segments()).containsExactly("f");
    assertThat(p.trailingSlash()).isFalse();
  }

  @Test
  void dotDotIsRefused() {
    assertThat(statusOf("/ipfs/" + CID + "/a/../b")).isEqualTo(HttpResponseStatus.BAD_REQUEST);
  }

  @Test
  void encodedDotDotIsRefused() {
    assertThat(statusOf("/ipfs/" + CID + "/%2E%2e/b")).isEqualTo(HttpResponseStatus.BAD_REQUEST);
  }

  @Test
  void singleDotIsRefused() {
    assertThat(statusOf("/ipfs/" + CID + "/./b")).isEqualTo(HttpResponseStatus.BAD_REQUEST);
  }

  @Test
  void encodedSlashIsRefused() {
    assertThat(statusOf("/ipfs/" + CID + "/a%2fb")).isEqualTo(HttpResponseStatus.BAD_REQUEST);
  }

  @Test
  void encodedBackslashIsRefused() {
    assertThat(statusOf("/ipfs/" + CID + "/a%5Cb")).isEqualTo(HttpResponseStatus.BAD_REQUEST);
  }

  @Test
  void encodedNulIsRefused() {
    assertThat(statusOf("/ipfs/" + CID + "/a%00b")).isEqualTo(HttpResponseStatus.BAD_REQUEST);
  }

  @Test
  void malformedPercentEncodingIsRefused() {
    assertThat(statusOf("/ipfs/" + CID + "/a%2")).isEqualTo(HttpResponseStatus.BAD_REQUEST);
  }

  @Test
  void nonUtf8IsRefused() {
    assertThat(statusOf("/ipfs/" + CID + "/%ff")).isEqualTo(HttpResponseStatus.BAD_REQUEST);
  }

  @Test
  void aMissingCidIsRefused() {
    assertThat(statusOf("/ipfs/")).isEqualTo(HttpResponseStatus.BAD_REQUEST);
  }

  @Test
  void anInvalidCidNamesIt() {
    assertThatThrownBy(() -> ContentPath.parse("/ipfs/bafyNOPE"))
        .isInstanceOf(GatewayException.class).hasMessageContaining("invalid CID 'bafyNOPE'");
  }

  @Test
  void otherNamespacesAreNotServed() {
    assertThat(statusOf("/ipns/k51")).isEqualTo(HttpResponseStatus.NOT_IMPLEMENTED);
    assertThat(statusOf("/")).isEqualTo(HttpResponseStatus.NOT_FOUND);
  }

  @Test
  void encodesSegmentsForLinks() {
    assertThat(ContentPath.encodeSegment("a b/ü?.txt")).isEqualTo("a%20b%2F%C3%BC%3F.txt");
  }
}
