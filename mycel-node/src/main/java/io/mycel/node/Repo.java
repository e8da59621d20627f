package io.mycel.node;

import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.blockstore.FsBlockstore;
import io.mycel.content.blockstore.WriteBehindBlockstore;
import io.mycel.content.dagpb.DagPbLinkDecoder;
import io.mycel.content.pin.GarbageCollector;
import io.mycel.content.pin.PinStore;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.ImportProgress;
import io.mycel.content.unixfs.ImportResult;
import io.mycel.content.unixfs.DirectoryEntry;
import io.mycel.content.unixfs.UnixfsExporter;
import io.mycel.content.unixfs.UnixfsImporter;
import io.mycel.content.unixfs.UnixfsStat;
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
import java.nio.file.LinkOption;
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

  /** The store on disk itself, for what needs its files (the gateway's cache). */
  FsBlockstore fsBlocks() {
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
    try (GarbageCollector.AddSession session = gc.beginAdd();
        WriteBehindBlockstore writer = new WriteBehindBlockstore(blocks)) {
      ImportResult result = new UnixfsImporter(writer, options).importPath(path, progress);
      writer.flush();
      if (pin) {
        pins.pinRecursive(result.cid());
      }
      return result;
    }
  }

  /**
   * Imports the bytes of {@code in} (read to its end, not closed) as one UnixFS file, as
   * {@link #add(Path, ImportOptions, boolean, boolean, ImportProgress)} does for a file.
   */
  public ImportResult add(InputStream in, ImportOptions options, boolean onlyHash, boolean pin,
      ImportProgress progress) throws IOException {
    if (onlyHash) {
      return UnixfsImporter.onlyHash(options).importFile(in, progress);
    }
    try (GarbageCollector.AddSession session = gc.beginAdd();
        WriteBehindBlockstore writer = new WriteBehindBlockstore(blocks)) {
      ImportResult result = new UnixfsImporter(writer, options).importFile(in, progress);
      writer.flush();
      if (pin) {
        pins.pinRecursive(result.cid());
      }
      return result;
    }
  }

  /**
   * Imports a CAR v1 stream as {@link #importCar(Path, boolean)} does a file.
   */
  public CarImport importCar(InputStream in, boolean pin) throws IOException {
    try (GarbageCollector.AddSession session = gc.beginAdd()) {
      CarImport imported = CarReader.importInto(in, blocks);
      if (pin) {
        for (Cid root : imported.roots()) {
          pins.pinRecursive(root);
        }
      }
      return imported;
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

  /** Reads UnixFS content from this repository. */
  public UnixfsExporter exporter() {
    return new UnixfsExporter(blocks);
  }

  /**
   * Writes the file, folder or symlink under {@code root} to {@code target} (which must not
   * exist). Entry names from the DAG that could leave {@code target} ({@code ..}, separators) are
   * refused, so content cannot write outside the chosen folder.
   *
   * @return the number of content bytes written
   */
  public long export(Cid root, Path target) throws IOException {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(target + " already exists; choose another output path");
    }
    return exportEntry(exporter(), root, target);
  }

  private long exportEntry(UnixfsExporter exporter, Cid cid, Path target) throws IOException {
    UnixfsStat stat = exporter.stat(cid);
    switch (stat.type()) {
      case DIRECTORY, HAMT_SHARD -> {
        Files.createDirectories(target);
        long written = 0;
        for (DirectoryEntry entry : exporter.list(cid)) {
          written += exportEntry(exporter, entry.cid(), target.resolve(safeName(entry.name())));
        }
        return written;
      }
      case SYMLINK -> {
        Files.createSymbolicLink(target, Path.of(exporter.readSymlink(cid)));
        return 0;
      }
      default -> {
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        try (InputStream in = exporter.open(cid)) {
          long n = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
          return n;
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
    }
  }

  private static String safeName(String name) throws IOException {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
        || name.contains("\\") || name.indexOf('\0') >= 0) {
      throw new IOException("refusing to write a folder entry named '" + name
          + "': it could point outside the output folder");
    }
    return name;
  }

  @Override
  public void close() throws IOException {
    blocks.close();
  }
}
