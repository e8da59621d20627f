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
import io.mycel.content.car.CarImport;
import io.mycel.content.car.CarReader;
import io.mycel.content.car.CarWriter;
import io.mycel.core.cid.Cid;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
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

  /** Writes the DAG under {@code root} as a CAR v1 file; returns the number of blocks. */
  public long exportCar(Cid root, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".part");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
      long blocksWritten = CarWriter.exportDag(blocks, new DagPbLinkDecoder(), root, out);
      out.flush();
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return blocksWritten;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Imports a CAR v1 file, each block verified before it is stored, and pins its roots
   * recursively once every block is in: a truncated or corrupt CAR pins nothing.
   */
  public CarImport importCar(Path file, boolean pin) throws IOException {
    try (GarbageCollector.AddSession session = gc.beginAdd();
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      CarImport imported = CarReader.importInto(in, blocks);
      if (pin) {
        for (Cid root : imported.roots()) {
          pins.pinRecursive(root);
        }
      }
      return imported;
    }
  }

  @Override
  public void close() throws IOException {
    blocks.close();
  }
}
