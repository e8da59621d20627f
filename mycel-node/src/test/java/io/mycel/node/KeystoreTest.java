package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.crypto.KeyFiles;
import io.mycel.core.peer.PeerId;
import io.mycel.routing.ipns.IpnsName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeystoreTest {
  @TempDir Path dir;
  private NodeHome home;
  private Keystore keys;

  @BeforeEach
  void setUp() throws IOException {
    home = new NodeHome(dir.resolve("home"));
    home.init(NodeConfig.defaults());
    keys = new Keystore(home);
  }

  @Test
  void genWritesAnOwnerOnlyKeyWhoseNameItReturns() throws Exception {
    IpnsName name = keys.gen("site");
    Path file = home.dir().resolve("keys/site.key");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(name.peerId()).isEqualTo(PeerId.fromPublicKey(KeyFiles.read(file).publicKey()));
    assertThat(keys.load("site").publicKey()).isEqualTo(KeyFiles.read(file).publicKey());
    assertThat(name.toBase36()).startsWith("k51");
  }

  @Test
  void listShowsSelfFirstThenTheKeysByName() throws Exception {
    IpnsName blog = keys.gen("blog");
    IpnsName archive = keys.gen("archive.v2_x-1");
    IpnsName self = Keystore.ipnsName(home.loadKey());
    assertThat(keys.list()).containsExactly(
        new Keystore.Entry("self", self),
        new Keystore.Entry("archive.v2_x-1", archive),
        new Keystore.Entry("blog", blog));
  }

  @Test
  void loadSelfIsTheNodeIdentity() throws Exception {
    assertThat(keys.load("self").publicKey()).isEqualTo(home.loadKey().publicKey());
  }

  @Test
  void selfCannotBeGenerated() {
    assertThatThrownBy(() -> keys.gen("self"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    assertThat(Files.exists(home.dir().resolve("keys/self.key"))).isFalse();
  }

  @Test
  void selfCannotBeRemoved() {
    assertThatThrownBy(() -> keys.remove("self"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    assertThat(Files.exists(home.keyFile())).isTrue();
  }

  @Test
  void aNameWithASlashIsRefused() {
    assertThatThrownBy(() -> keys.gen("../evil"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../evil'");
  }

  @Test
  void anEmptyNameIsRefused() {
    assertThatThrownBy(() -> keys.gen("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNameOfSpacesIsRefused() {
    assertThatThrownBy(() -> keys.gen("my key")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNameLongerThan64IsRefused() throws Exception {
    assertThat(keys.gen("a".repeat(64))).isNotNull();
    assertThatThrownBy(() -> keys.gen("a".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64");
  }

  @Test
  void dotDotIsRefused() {
    assertThatThrownBy(() -> keys.gen("..")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anExistingKeyIsNotReplaced() throws Exception {
    IpnsName first = keys.gen("site");
    assertThatThrownBy(() -> keys.gen("site")).isInstanceOf(IOException.class)
        .hasMessageContaining("already exists");
    assertThat(Keystore.ipnsName(keys.load("site"))).isEqualTo(first);
  }

  @Test
  void removeDeletesTheKey() throws Exception {
    keys.gen("site");
    keys.remove("site");
    assertThat(Files.exists(home.dir().resolve("keys/site.key"))).isFalse();
    assertThat(keys.list()).extracting(Keystore.Entry::name).isEqualTo(List.of("self"));
    assertThatThrownBy(() -> keys.load("site")).isInstanceOf(IOException.class)
        .hasMessageContaining("no key named 'site'");
  }

  @Test
  void removingAMissingKeyFails() {
    assertThatThrownBy(() -> keys.remove("nothing")).isInstanceOf(IOException.class)
        .hasMessageContaining("no key named 'nothing'");
  }

  @Test
  void aKeyReadableByOthersIsRefused() throws Exception {
    keys.gen("site");
    Path file = home.dir().resolve("keys/site.key");
    Files.setPosixFilePermissions(file, Set.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OTHERS_READ));
    assertThatThrownBy(() -> keys.load("site")).isInstanceOf(IOException.class)
        .hasMessageContaining("chmod 600");
  }
}
