package io.mycel.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** multipart/form-data bodies read part by part, however the bytes arrive. */
class MultipartReaderTest {
  /** Hands out one byte per read, so that every boundary is split across reads. */
  private static InputStream trickle(byte[] data) {
    ByteArrayInputStream in = new ByteArrayInputStream(data);
    return new InputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return in.read(b, off, Math.min(len, 1));
      }
    };
  }

  @Test
  void partsAreReadEvenWhenBytesTrickleIn() throws Exception {
    byte[] big = new byte[200_000];
    new Random(2).nextBytes(big);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--XyZ\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b\\\"in.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(big);
    body.write("\r\n--XyZ--\r\nepilogue".getBytes(StandardCharsets.UTF_8));
    MultipartReader reader = MultipartReader.of("multipart/form-data; boundary=XyZ",
        trickle(body.toByteArray()));

    MultipartReader.Part field = reader.next();
    assertThat(field.name()).isEqualTo("field");
    assertThat(field.filename()).isNull();
    assertThat(new String(field.content().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("value");
    MultipartReader.Part file = reader.next();
    assertThat(file.filename()).isEqualTo("b\"in.bin");
    assertThat(file.contentType()).isEqualTo("application/octet-stream");
    assertThat(file.content().readAllBytes()).isEqualTo(big);
    assertThat(reader.next()).isNull();
  }

  @Test
  void anUnreadPartIsSkipped() throws Exception {
    String body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nAAAA\r\n"
        + "--b\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\nC\r\n--b--\r\n";
    MultipartReader reader = MultipartReader.of("multipart/form-data; boundary=b",
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    assertThat(reader.next().name()).isEqualTo("a");
    MultipartReader.Part c = reader.next();
    assertThat(c.name()).isEqualTo("c");
    assertThat(c.content().readAllBytes()).containsExactly('C');
    assertThat(reader.next()).isNull();
  }

  @Test
  void aBodyWithoutItsClosingBoundaryIsRefused() throws Exception {
    String body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncut short";
    MultipartReader reader = MultipartReader.of("multipart/form-data; boundary=b",
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    MultipartReader.Part a = reader.next();
    assertThatThrownBy(() -> a.content().readAllBytes()).isInstanceOf(EOFException.class);
  }

  @Test
  void aContentTypeWithoutBoundaryIsRefused() {
    assertThatThrownBy(() -> MultipartReader.of("multipart/form-data",
        new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(ApiException.class).hasMessageContaining("boundary");
  }
}
