package io.mycel.content.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.blockstore.TestBlocks;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinStoreTest {
  @TempDir Path dir;

  private final Cid a = TestBlocks.raw("a").cid();
  private final Cid b = TestBlocks.raw("b").cid();
  private final Cid c = TestBlocks.raw("c").cid();

  @Test
  void pinsAreAddedListedAndRemoved() throws IOException {
    PinStore pins = PinStore.open(dir.resolve("pins"));
    pins.pinRecursive(a);
    pins.pinDirect(b, "bee");
    assertThat(pins.isPinned(a)).isTrue();
    assertThat(pins.isPinned(b)).isTrue();
    assertThat(pins.isPinned(c)).isFalse();
    assertThat(pins.list()).containsExactly(
        new Pin(a, PinType.RECURSIVE), new Pin(b, PinType.DIRECT, Optional.of("bee")));
    assertThat(pins.list(PinType.DIRECT)).extracting(Pin::cid).containsExactly(b);
    assertThat(pins.unpin(a)).isTrue();
    assertThat(pins.unpin(a)).isFalse();
    assertThat(pins.isPinned(a)).isFalse();
    assertThat(pins.get(b)).hasValueSatisfying(p -> assertThat(p.name()).contains("bee"));
  }

  @Test
  void pinsSurviveReopenWithTheirNames() throws IOException {
    Path file = dir.resolve("pins");
    PinStore pins = PinStore.open(file);
    pins.pinRecursive(a, "my file: ünïcode & spaces + 100%");
    pins.pinDirect(b);
    pins.pinRecursive(c);
    pins.unpin(c);
    PinStore reopened = PinStore.open(file);
    assertThat(reopened.list()).isEqualTo(pins.list());
    assertThat(reopened.get(a).orElseThrow().name()).contains("my file: ünïcode & spaces + 100%");
  }

  @Test
  void fileIsReadableText() throws IOException {
    Path file = dir.resolve("pins");
    PinStore pins = PinStore.open(file);
    pins.pinRecursive(a, "x y");
    assertThat(Files.readAllLines(file))
        .containsExactly(PinStore.HEADER, "recursive " + a + " x+y");
  }

  @Test
  void recursivePinUpgradesADirectPin() throws IOException {
    PinStore pins = PinStore.open(dir.resolve("pins"));
    pins.pinDirect(a, "name");
    pins.pinRecursive(a);
    assertThat(pins.list()).containsExactly(new Pin(a, PinType.RECURSIVE, Optional.of("name")));
  }

  @Test
  void directPinOfARecursivelyPinnedCidIsRefused() throws IOException {
    PinStore pins = PinStore.open(dir.resolve("pins"));
    pins.pinRecursive(a);
    assertThatThrownBy(() -> pins.pinDirect(a))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(a.toString())
        .hasMessageContaining("recursively");
  }

  @Test
  void pinningAgainRenames() throws IOException {
    PinStore pins = PinStore.open(dir.resolve("pins"));
    pins.pinRecursive(a, "old");
    pins.pinRecursive(a, "new");
    pins.pinRecursive(a);
    assertThat(pins.list()).containsExactly(new Pin(a, PinType.RECURSIVE, Optional.of("new")));
  }

  @Test
  void cidV0AndV1NameTheSamePin() throws IOException {
    PinStore pins = PinStore.open(dir.resolve("pins"));
    Multihash hash = Multihash.sha2_256(new byte[] {1, 2, 3});
    Cid v0 = Cid.v0(hash);
    Cid v1 = Cid.v1(Multicodec.DAG_PB, hash);
    pins.pinRecursive(v0);
    assertThat(pins.isPinned(v1)).isTrue();
    assertThat(pins.unpin(v1)).isTrue();
    assertThat(pins.list()).isEmpty();
  }

  @Test
  void nullNameMeansNoName() throws IOException {
    PinStore pins = PinStore.open(dir.resolve("pins"));
    pins.pinRecursive(a, null);
    pins.pinDirect(b, null);
    assertThat(pins.list()).containsExactly(new Pin(a, PinType.RECURSIVE), new Pin(b, PinType.DIRECT));
  }

  @Test
  void tooLongNameIsRefused() throws IOException {
    PinStore pins = PinStore.open(dir.resolve("pins"));
    assertThatThrownBy(() -> pins.pinRecursive(a, "x".repeat(Pin.MAX_NAME_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than 255");
    assertThat(pins.list()).isEmpty();
  }

  @Test
  void nameWithALineBreakIsRefused() throws IOException {
    PinStore pins = PinStore.open(dir.resolve("pins"));
    assertThatThrownBy(() -> pins.pinRecursive(a, "two\nlines"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character");
  }

  @Test
  void malformedFileIsReportedWithItsLine() throws IOException {
    Path file = dir.resolve("pins");
    Files.write(file, List.of(PinStore.HEADER, "recursive " + a, "sideways " + b));
    assertThatThrownBy(() -> PinStore.open(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("sideways");
  }

  @Test
  void fileWithoutHeaderIsRefused() throws IOException {
    Path file = dir.resolve("pins");
    Files.writeString(file, "{}\n");
    assertThatThrownBy(() -> PinStore.open(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a pin file");
  }

  @Test
  void temporaryFilesOfAnInterruptedRewriteAreRemovedAtOpen() throws IOException {
    Path file = dir.resolve("pins");
    PinStore.open(file).pinRecursive(a);
    Files.writeString(dir.resolve(".pins.tmp-0011223344556677"), "half written");
    PinStore reopened = PinStore.open(file);
    assertThat(reopened.list()).extracting(Pin::cid).containsExactly(a);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("pins");
    }
  }

  @Test
  void failedWriteLeavesThePinsAsTheyWere() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("sub"));
    PinStore pins = PinStore.open(folder.resolve("pins"));
    pins.pinRecursive(a);
    // Replace the folder by a file so the next rewrite cannot create its temporary file.
    try (Stream<Path> files = Files.list(folder)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(folder);
    Files.writeString(folder, "in the way");
    assertThatThrownBy(() -> pins.pinRecursive(b)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> pins.unpin(a)).isInstanceOf(IOException.class);
    assertThat(pins.list()).extracting(Pin::cid).containsExactly(a);
  }

  @Test
  void inMemoryStoreKeepsNoFile() throws IOException {
    PinStore pins = PinStore.inMemory();
    pins.pinRecursive(a);
    assertThat(pins.file()).isEmpty();
    assertThat(pins.isPinned(a)).isTrue();
  }
}
