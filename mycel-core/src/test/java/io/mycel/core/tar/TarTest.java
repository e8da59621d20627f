package io.mycel.core.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tar streams written and read back, and extraction that stays inside its folder. */
class TarTest {
  @TempDir Path dir;

  private interface Writing {
    void to(TarWriter tar) throws IOException;
  }

  private static byte[] tar(Writing writing) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarWriter tar = new TarWriter(out);
    writing.to(tar);
    tar.finish();
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aTreeRoundTripsWithLongAndUnicodeNamesAndLinks() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    String longName = "ü-" + "n".repeat(150) + ".txt";
    Files.createDirectories(src.resolve("a").resolve("b"));
    Files.writeString(src.resolve("a").resolve("b").resolve(longName), "long");
    byte[] big = new byte[100_000];
    new Random(5).nextBytes(big);
    Files.write(src.resolve("big.bin"), big);
    Files.createDirectories(src.resolve("empty"));
    Files.createSymbolicLink(src.resolve("link"), Path.of("a/b/" + longName));
    byte[] stream = tar(tar -> tar.writeTree(src));
    assertThat(stream.length % 512).isZero();

    Path out = dir.resolve("out");
    long bytes = new TarReader(new ByteArrayInputStream(stream)).extractTo(out);
    assertThat(bytes).isEqualTo(big.length + 4);
    assertThat(out.resolve("a").resolve("b").resolve(longName)).hasContent("long");
    assertThat(Files.readAllBytes(out.resolve("big.bin"))).isEqualTo(big);
    assertThat(out.resolve("empty")).isEmptyDirectory();
    assertThat(Files.readSymbolicLink(out.resolve("link"))).isEqualTo(Path.of("a/b/" + longName));
  }

  @Test
  void entriesComeInNameOrder() throws Exception {
    byte[] stream = tar(tar -> {
      tar.directory("d");
      tar.file("d/x", 1, new ByteArrayInputStream(new byte[] {7}));
      tar.symlink("d/l", "x");
    });
    TarReader reader = new TarReader(new ByteArrayInputStream(stream));
    List<TarEntry> entries = new ArrayList<>();
    for (TarEntry e; (e = reader.next()) != null; ) {
      entries.add(e);
    }
    assertThat(entries).containsExactly(
        new TarEntry(TarEntry.Type.DIRECTORY, "d", 0, ""),
        new TarEntry(TarEntry.Type.FILE, "d/x", 1, ""),
        new TarEntry(TarEntry.Type.SYMLINK, "d/l", 0, "x"));
  }

  @Test
  void aParentPathIsRefused() throws Exception {
    byte[] stream = tar(tar -> tar.file("../evil", 1, new ByteArrayInputStream(new byte[] {1})));
    assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(stream))
        .extractTo(dir.resolve("out")))
        .isInstanceOf(IOException.class).hasMessageContaining("../evil");
    assertThat(dir.resolve("evil")).doesNotExist();
  }

  @Test
  void anAbsolutePathIsRefused() throws Exception {
    byte[] stream = tar(tar -> tar.file("/tmp/evil", 1, new ByteArrayInputStream(new byte[] {1})));
    assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(stream))
        .extractTo(dir.resolve("out")))
        .isInstanceOf(IOException.class).hasMessageContaining("/tmp/evil");
  }

  @Test
  void writingThroughALinkIsRefused() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    byte[] stream = tar(tar -> {
      tar.symlink("link", outside.toString());
      tar.file("link/planted", 1, new ByteArrayInputStream(new byte[] {1}));
    });
    assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(stream))
        .extractTo(dir.resolve("out")))
        .isInstanceOf(IOException.class).hasMessageContaining("symbolic link");
    assertThat(outside.resolve("planted")).doesNotExist();
  }

  @Test
  void aDamagedHeaderIsRefused() throws Exception {
    byte[] stream = tar(tar -> tar.directory("d"));
    stream[10] ^= 1;
    assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(stream)).next())
        .isInstanceOf(IOException.class).hasMessageContaining("checksum");
  }

  @Test
  void aTruncatedFileIsRefused() throws Exception {
    byte[] stream = tar(tar -> tar.file("f", 2000, new ByteArrayInputStream(new byte[2000])));
    byte[] cut = java.util.Arrays.copyOf(stream, 512 + 700);
    assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(cut))
        .extractTo(dir.resolve("out")))
        .isInstanceOf(IOException.class).hasMessageContaining("short");
  }

  @Test
  void aFileShorterThanAnnouncedIsRefusedWhenWriting() {
    assertThatThrownBy(() -> tar(tar -> tar.file("f", 10, new ByteArrayInputStream(utf8("abc")))))
        .isInstanceOf(IOException.class).hasMessageContaining("short");
  }
}
