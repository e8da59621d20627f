package io.mycel.node;

import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.blockstore.FsBlockstore;
import io.mycel.content.dagpb.DagPbLinkDecoder;
import io.mycel.content.pin.GarbageCollector;
import io.mycel.content.pin.PinStore;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.ImportProgress;
import io.mycel.content.unixfs.ImportResult;
import io.mycel.content.unixfs.UnixfsImporter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A node's content repository in its home: blocks under {@code blocks/}, pins in
 * {@code pins.json}, and the garbage collector that keeps only what pins reach.
 */
public final class Repo implements AutoCloseable {
  public static final String BLOCKS_DIR = "blocks";
  public static final String PINS_FILE = "pins.json";

  private final FsBlockstore blocks;
  private final PinStore pins;
  private final GarbageCollector gc;

  private Repo(FsBlockstore blocks, PinStore pins) {
    this.blocks = blocks;
    this.pins = pins;
    this.gc = new GarbageCollector(blocks, pins, new DagPbLinkDecoder());
  }

  /** Opens (creating if needed) the repository of {@code home} with the config's storage limits. */
  public static Repo open(NodeHome home, NodeConfig config) throws IOException {
    Path dir = home.dir();
    FsBlockstore blocks = FsBlockstore.open(dir.resolve(BLOCKS_DIR), new FsBlockstore.Options(
        config.storage().quotaBytes(), config.storage().verifyOnRead()));
    try {
      return new Repo(blocks, PinStore.open(dir.resolve(PINS_FILE)));
    } catch (IOException | RuntimeException e) {
      blocks.close();
      throw e;
    }
  }

  public Blockstore blocks() {
    return blocks;
  }

  public PinStore pins() {
    return pins;
  }

  public GarbageCollector gc() {
    return gc;
  }

  /**
   * Imports a file or folder as UnixFS and, unless {@code onlyHash}, stores its blocks and pins the
   * root recursively in one add session, so a concurrent collection cannot take half an add and
   * a failed add leaves no pin.
   */
  public ImportResult add(Path path, ImportOptions options, boolean onlyHash, boolean pin,
      ImportProgress progress) throws IOException {
    if (onlyHash) {
      return UnixfsImporter.onlyHash(options).importPath(path, progress);
    }
    try (GarbageCollector.AddSession session = gc.beginAdd()) {
      ImportResult result = new UnixfsImporter(blocks, options).importPath(path, progress);
      if (pin) {
        pins.pinRecursive(result.cid());
      }
      return result;
    }
  }

  @Override
  public void close() throws IOException {
    blocks.close();
  }
}
