package io.mycel.content.unixfs;

import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.unixfs.DirectoryBuilder.Entry;
import io.mycel.content.unixfs.NodeBuilder.Node;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns files and folders into UnixFS DAGs, with the CIDs the reference importer
 * (ipfs-unixfs-importer, and Kubo under the same profile) gives the same input.
 *
 * <p>See the <a href="https://specs.ipfs.tech/unixfs/">UnixFS spec</a> and <a
 * href="https://specs.ipfs.tech/ipips/ipip-0499/">IPIP-499</a> for the profiles. Files are
 * streamed: memory holds a few chunks whatever the file size. Folders are imported recursively;
 * symbolic links inside a folder become UnixFS symlinks (not followed); other special files are
 * skipped. Thread-safe: each call is independent.
 */
public final class UnixfsImporter {
  private static final Logger LOG = LoggerFactory.getLogger(UnixfsImporter.class);

  private final ImportOptions options;
  private final BlockSink sink;

  /** An importer that writes every block into {@code store}. */
  public UnixfsImporter(Blockstore store, ImportOptions options) {
    this(BlockSink.of(Objects.requireNonNull(store, "store")), options);
  }

  private UnixfsImporter(BlockSink sink, ImportOptions options) {
    this.sink = sink;
    this.options = Objects.requireNonNull(options, "options");
  }

  /** An importer that only computes CIDs and stores nothing. */
  public static UnixfsImporter onlyHash(ImportOptions options) {
    return new UnixfsImporter(BlockSink.DISCARD, options);
  }

  public ImportOptions options() {
    return options;
  }

  /** Imports the stream's bytes as one file (the stream is read to its end, not closed). */
  public ImportResult importFile(InputStream in, ImportProgress progress) throws IOException {
    return FileImport.run(in, new NodeBuilder(options, sink), progress, 0).result();
  }

  public ImportResult importFile(InputStream in) throws IOException {
    return importFile(in, ImportProgress.NONE);
  }

  public ImportResult importBytes(byte[] bytes) throws IOException {
    return importFile(new ByteArrayInputStream(bytes));
  }

  /**
   * Imports a file, or a folder with everything below it. A symbolic link given as {@code path}
   * is followed.
   */
  public ImportResult importPath(Path path, ImportProgress progress) throws IOException {
    NodeBuilder nodes = new NodeBuilder(options, sink);
    if (Files.isDirectory(path)) {
      Walk walk = new Walk(nodes, progress);
      String name = path.getFileName() == null ? "" : path.getFileName().toString();
      ImportResult result = walk.directory(path, name).node().result();
      progress.entryImported(name, result);
      return result;
    }
    try (InputStream in = Files.newInputStream(path)) {
      return FileImport.run(in, nodes, progress, 0).result();
    }
  }

  public ImportResult importPath(Path path) throws IOException {
    return importPath(path, ImportProgress.NONE);
  }

  /** A recursive folder import, carrying the byte count across files. */
  private static final class Walk {
    private final NodeBuilder nodes;
    private final DirectoryBuilder directories;
    private final ImportProgress progress;
    private long bytes;

    Walk(NodeBuilder nodes, ImportProgress progress) {
      this.nodes = nodes;
      this.directories = new DirectoryBuilder(nodes);
      this.progress = progress;
    }

    record Built(Node node, boolean empty) {}

    Built directory(Path dir, String relative) throws IOException {
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
        stream.forEach(children::add);
      }
      children.sort((a, b) -> Arrays.compareUnsigned(nameBytes(a), nameBytes(b)));
      List<Entry> entries = new ArrayList<>(children.size());
      for (Path child : children) {
        String name = child.getFileName().toString();
        String childRelative = relative.isEmpty() ? name : relative + "/" + name;
        BasicFileAttributes attrs =
            Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Node node;
        boolean counted = true;
        if (attrs.isDirectory()) {
          Built built = directory(child, childRelative);
          node = built.node();
          counted = built.empty();
        } else if (attrs.isRegularFile()) {
          try (InputStream in = Files.newInputStream(child, LinkOption.NOFOLLOW_LINKS)) {
            node = FileImport.run(in, nodes, progress, bytes);
          }
          bytes += node.contentSize();
        } else if (attrs.isSymbolicLink()) {
          node = symlink(Files.readSymbolicLink(child).toString());
        } else {
          LOG.debug("skipping {}: not a regular file, folder or symbolic link", child);
          continue;
        }
        entries.add(Entry.of(name, node.cid(), node.dagSize(), counted));
        progress.entryImported(childRelative, node.result());
      }
      return new Built(directories.build(entries), entries.isEmpty());
    }

    private Node symlink(String target) throws IOException {
      UnixfsData data = UnixfsData.symlink(target.getBytes(StandardCharsets.UTF_8));
      return nodes.store(List.of(), data, 0);
    }

    private static byte[] nameBytes(Path p) {
      return p.getFileName().toString().getBytes(StandardCharsets.UTF_8);
    }
  }
}
