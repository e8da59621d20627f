package io.mycel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.blockstore.BlockstoreFullException;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.ImportProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adds that cannot finish leave no pin behind. */
class RepoTest {
  @TempDir Path dir;

  private static Path randomFile(Path dir, String name, int size) throws Exception {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  @Test
  void anAddPastTheQuotaFailsAndPinsNothing() throws Exception {
    NodeHome home = new NodeHome(dir.resolve("home"));
    NodeConfig config = NodeConfig.defaults();
    config = new NodeConfig(config.swarm(), config.limits(), new NodeConfig.Storage(2 << 20, true),
        null, List.of());
    home.init(config);
    Path small = randomFile(dir, "small", 500_000);
    Path big = randomFile(dir, "big", 5 << 20);
    try (Repo repo = Repo.open(home, home.loadConfig())) {
      repo.add(small, ImportOptions.defaults(), false, true, ImportProgress.NONE);
      assertThatThrownBy(() -> repo.add(big, ImportOptions.defaults(), false, true, ImportProgress.NONE))
          .isInstanceOf(BlockstoreFullException.class);
      assertThat(repo.pins().list()).hasSize(1);
      assertThat(repo.blocks().stats().bytes()).isLessThanOrEqualTo(2 << 20);
      // The half-added blocks are unpinned: garbage collection takes them back.
      repo.gc().collect();
      assertThat(repo.blocks().stats().bytes()).isBetween(500_000L, 600_000L);
    }
  }

  @Test
  void exportRefusesAFolderEntryThatWouldEscapeTheOutputFolder() throws Exception {
    NodeHome home = new NodeHome(dir.resolve("home"));
    home.init(NodeConfig.defaults());
    try (Repo repo = Repo.open(home, home.loadConfig())) {
      byte[] content = "owned".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      io.mycel.core.cid.Cid leaf = io.mycel.core.cid.Cid.v1(io.mycel.core.multicodec.Multicodec.RAW,
          io.mycel.core.multihash.Multihash.sha2_256(content));
      repo.blocks().put(new io.mycel.content.blockstore.Block(leaf, content));
      byte[] dirNode = io.mycel.content.dagpb.DagPbEncoder.encode(
          List.of(io.mycel.content.dagpb.PBLink.of(leaf, "..", content.length)),
          io.mycel.content.unixfs.UnixfsData.directory().encode());
      io.mycel.core.cid.Cid evil = io.mycel.core.cid.Cid.v1(io.mycel.core.multicodec.Multicodec.DAG_PB,
          io.mycel.core.multihash.Multihash.sha2_256(dirNode));
      repo.blocks().put(new io.mycel.content.blockstore.Block(evil, dirNode));

      Path out = dir.resolve("out/inner");
      assertThatThrownBy(() -> repo.export(evil, out)).hasMessageContaining("refusing to write a folder entry named '..'");
      assertThat(dir.resolve("out").resolve("..").resolve("..").toFile().list()).doesNotContain("owned");
    }
  }

  @Test
  void aDiskThatFillsDuringAnAddFailsCleanly() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "needs root to mount a small tmpfs");
    Path mount = Files.createDirectories(dir.resolve("small-disk"));
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    Assumptions.assumeTrue(p.waitFor() == 0, "cannot mount a tmpfs here");
    try {
      NodeHome home = new NodeHome(mount.resolve("home"));
      NodeConfig config = NodeConfig.defaults();
      home.init(new NodeConfig(config.swarm(), config.limits(), new NodeConfig.Storage(0, true), null, List.of()));
      Path big = randomFile(dir, "big", 8 << 20);
      try (Repo repo = Repo.open(home, home.loadConfig())) {
        assertThatThrownBy(() -> repo.add(big, ImportOptions.defaults(), false, true, ImportProgress.NONE))
            .isInstanceOf(BlockstoreFullException.class);
        assertThat(repo.pins().list()).isEmpty();
      }
      try (Repo reopened = Repo.open(home, home.loadConfig())) {
        assertThat(reopened.pins().list()).isEmpty();
        try (var keys = reopened.blocks().keys()) {
          for (var key : keys.toList()) {
            assertThat(Files.size(((io.mycel.content.blockstore.FsBlockstore) reopened.blocks()).pathOf(key)))
                .isPositive();
          }
        }
      }
    } finally {
      new ProcessBuilder("umount", mount.toString()).start().waitFor();
    }
  }
}
