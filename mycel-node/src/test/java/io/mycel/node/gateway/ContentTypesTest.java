package io.mycel.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentTypesTest {
  @Test
  void byExtensionIgnoresCase() {
    assertThat(ContentTypes.byName("A.PNG")).contains("image/png");
    assertThat(ContentTypes.byName("app.wasm")).contains("application/wasm");
    assertThat(ContentTypes.byName("noext")).isEmpty();
    assertThat(ContentTypes.byName("trailing.")).isEmpty();
    assertThat(ContentTypes.byName("x.unknownext")).isEmpty();
  }

  @Test
  void sniffsMagicNumbers() {
    assertThat(ContentTypes.sniff(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0}))
        .isEqualTo("image/jpeg");
    assertThat(ContentTypes.sniff("GIF89a...".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("image/gif");
    assertThat(ContentTypes.sniff("%PDF-1.7".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("application/pdf");
    assertThat(ContentTypes.sniff("\n <!DOCTYPE HTML>".getBytes(StandardCharsets.US_ASCII)))
        .startsWith("text/html");
    assertThat(ContentTypes.sniff(new byte[] {1, 2})).isEqualTo("application/octet-stream");
    assertThat(ContentTypes.sniff(new byte[0])).isEqualTo("application/octet-stream");
  }

  @Test
  void htmlEscapesEveryMarkupCharacter() {
    assertThat(HtmlPages.escape("<a href=\"x\">'&'</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  }
}
