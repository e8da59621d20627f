package io.mycel.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {

  @TempDir Path dir;

  @BeforeEach
  void requirePosix() throws IOException {
    assumeThat(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class))
        .isTrue();
  }

  @Test
  void writesOwnerOnlyFileThatReadsBack() throws IOException {
    PrivateKey key = Ed25519.generate();
    Path file = dir.resolve("identity.key");
    KeyFiles.write(file, key);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readAllBytes(file)).isEqualTo(key.marshal());
    assertThat(KeyFiles.read(file)).isEqualTo(key);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void replacesExistingFile() throws IOException {
    Path file = dir.resolve("identity.key");
    KeyFiles.write(file, Ed25519.generate());
    PrivateKey second = Ed25519.generate();
    KeyFiles.write(file, second);
    assertThat(KeyFiles.read(file)).isEqualTo(second);
  }

  @Test
  void readsSpecVectorFile() throws IOException {
    Path file = dir.resolve("vector.key");
    Files.write(file, HexFormat.of().parseHex(KeysTest.ED25519_PRIVATE));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    assertThat(KeyFiles.read(file).publicKey().marshal())
        .isEqualTo(HexFormat.of().parseHex(KeysTest.ED25519_PUBLIC));
  }

  @Test
  void refusesGroupReadableFile() throws IOException {
    Path file = dir.resolve("identity.key");
    KeyFiles.write(file, Ed25519.generate());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> KeyFiles.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("rw-r-----")
        .hasMessageContaining("chmod 600");
  }

  @Test
  void refusesWorldReadableFile() throws IOException {
    Path file = dir.resolve("identity.key");
    KeyFiles.write(file, Ed25519.generate());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw----r--"));
    assertThatThrownBy(() -> KeyFiles.read(file)).isInstanceOf(IOException.class);
  }

  @Test
  void refusesGarbageFile() throws IOException {
    Path file = dir.resolve("garbage.key");
    Files.write(file, new byte[] {1, 2, 3});
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> KeyFiles.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no valid private key");
  }

  @Test
  void refusesOversizedFile() throws IOException {
    Path file = dir.resolve("big.key");
    Files.write(file, new byte[Keys.MAX_ENCODED_KEY_LENGTH + 1]);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> KeyFiles.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void missingFileIsIoError() {
    assertThatThrownBy(() -> KeyFiles.read(dir.resolve("absent.key")))
        .isInstanceOf(IOException.class);
  }
}
