package io.mycel.node.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging a folder sent file by file: paths stay inside, limits hold, the stage is deleted. */
class SiteUploadTest {
  @TempDir Path home;

  private static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void filesLandAtTheirPathsAndCloseDeletesTheStage() throws Exception {
    Path staged;
    try (SiteUpload upload = SiteUpload.begin(home)) {
      upload.add("index.html", text("<h1>hi</h1>"));
      upload.add("css/site.css", text("h1 {}"));
      staged = upload.folder();
      assertThat(staged).startsWith(home.resolve(SiteUpload.STAGING_DIR));
      assertThat(Files.readString(staged.resolve("css/site.css"))).isEqualTo("h1 {}");
      assertThat(upload.files()).isEqualTo(2);
    }
    assertThat(staged).doesNotExist();
  }

  @Test
  void aPathWithDotDotIsRefused() throws Exception {
    try (SiteUpload upload = SiteUpload.begin(home)) {
      assertThatThrownBy(() -> upload.add("css/../../escape.txt", text("x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'css/../../escape.txt'");
    }
    assertThat(home.resolve("escape.txt")).doesNotExist();
  }

  @Test
  void anAbsolutePathIsRefused() throws Exception {
    try (SiteUpload upload = SiteUpload.begin(home)) {
      assertThatThrownBy(() -> upload.add("/etc/passwd", text("x")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'/etc/passwd'");
    }
  }

  @Test
  void aBackslashPathIsRefused() throws Exception {
    try (SiteUpload upload = SiteUpload.begin(home)) {
      assertThatThrownBy(() -> upload.add("..\\x", text("x")))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theSameFileTwiceIsRefused() throws Exception {
    try (SiteUpload upload = SiteUpload.begin(home)) {
      upload.add("index.html", text("a"));
      assertThatThrownBy(() -> upload.add("index.html", text("b")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }
  }

  @Test
  void tooManyFilesAreRefused() throws Exception {
    try (SiteUpload upload = SiteUpload.begin(home, 1, 1000)) {
      upload.add("a", text("a"));
      assertThatThrownBy(() -> upload.add("b", text("b")))
          .isInstanceOf(SiteUpload.TooLargeException.class).hasMessageContaining("more than 1 files");
    }
  }

  @Test
  void tooManyBytesAreRefused() throws Exception {
    try (SiteUpload upload = SiteUpload.begin(home, 10, 4)) {
      assertThatThrownBy(() -> upload.add("a", text("12345")))
          .isInstanceOf(SiteUpload.TooLargeException.class).hasMessageContaining("larger than 4 bytes");
    }
  }
}
