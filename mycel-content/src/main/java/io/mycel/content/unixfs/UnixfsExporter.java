package io.mycel.content.unixfs;

import io.mycel.content.blockstore.BlockNotFoundException;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.dagpb.DagPbDecoder;
import io.mycel.content.dagpb.PBLink;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads UnixFS DAGs: file bytes (whole or a range), directory listings (flat or HAMT-sharded),
 * path resolution and symlink targets.
 *
 * <p>See the <a href="https://specs.ipfs.tech/unixfs/">UnixFS spec</a>. Blocks come from a
 * {@link BlockGetter} that returns only verified bytes (a {@link Blockstore} does); identity
 * CIDs are read from the CID itself. Every node is checked as it is read (sizes that add up,
 * links that pair with block sizes, known types), and {@link ExportLimits} bound depth, file size
 * and listing length, so a malformed DAG fails with a {@link UnixfsFormatException} naming the
 * culprit block. Thread-safe; the streams it returns are not.
 */
public final class UnixfsExporter {
  private final BlockGetter blocks;
  private final ExportLimits limits;
  private final DagPbDecoder decoder;

  public UnixfsExporter(Blockstore store) {
    this(store::get, ExportLimits.DEFAULT);
  }

  public UnixfsExporter(BlockGetter blocks, ExportLimits limits) {
    this.blocks = Objects.requireNonNull(blocks, "blocks");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.decoder = new DagPbDecoder(limits.dagPb());
  }

  /** Loads and decodes one block. */
  UnixfsNode load(Cid cid) throws IOException {
    byte[] block;
    if (cid.multihash().code() == Multicodec.IDENTITY) {
      block = cid.multihash().digest();
    } else {
      block = blocks.get(cid).orElseThrow(() -> new BlockNotFoundException(cid));
    }
    return UnixfsNode.decode(cid, block, decoder);
  }

  /** The root's type and size. */
  public UnixfsStat stat(Cid cid) throws IOException {
    UnixfsNode node = load(cid);
    return new UnixfsStat(cid, node.type(), sizeOf(node), node.blockSize());
  }

  private long sizeOf(UnixfsNode node) {
    if (node.isFileLike()) {
      return node.fileSize(limits);
    }
    if (node.type() == UnixfsType.SYMLINK) {
      return node.data().dataLength();
    }
    return 0;
  }

  /** The whole file. */
  public InputStream open(Cid file) throws IOException {
    return open(file, 0, Long.MAX_VALUE);
  }

  /**
   * The bytes from {@code offset}, at most {@code length} of them (fewer when the file ends
   * first). Only the blocks that hold those bytes, and the nodes above them, are read.
   *
   * @throws InvalidRangeException if {@code offset} is beyond the end of the file, or either
   *     argument is negative
   * @throws UnixfsFormatException if the root is not a file or is malformed
   */
  public InputStream open(Cid file, long offset, long length) throws IOException {
    if (offset < 0 || length < 0) {
      throw new InvalidRangeException("negative offset or length: " + offset + ", " + length);
    }
    UnixfsNode root = load(file);
    if (!root.isFileLike()) {
      throw new UnixfsFormatException(file + " is a " + root.type() + ", not a file");
    }
    long size = root.fileSize(limits);
    if (offset > size) {
      throw new InvalidRangeException("offset " + offset + " is beyond the end of " + file
          + " (" + size + " bytes)");
    }
    long end = offset + Math.min(length, size - offset);
    return new FileStream(this, limits, root, offset, end);
  }

  /** The target of a symbolic link. */
  public String readSymlink(Cid symlink) throws IOException {
    UnixfsNode node = load(symlink);
    if (node.type() != UnixfsType.SYMLINK) {
      throw new UnixfsFormatException(symlink + " is a " + node.type() + ", not a symlink");
    }
    byte[] target = node.data().data();
    return target == null ? "" : new String(target, StandardCharsets.UTF_8);
  }

  /**
   * The entries of a directory, in the order of its DAG (by name for a flat directory, by hash
   * for a HAMT), with names, CIDs and link sizes; types and sizes are not loaded.
   */
  public List<DirectoryEntry> list(Cid directory) throws IOException {
    List<DirectoryEntry> out = new ArrayList<>();
    forEachEntry(directory, out::add);
    return out;
  }

  /** Like {@link #list}, and loads each entry's root for its type and size. */
  public List<DirectoryEntry> listDetailed(Cid directory) throws IOException {
    List<DirectoryEntry> out = new ArrayList<>();
    for (DirectoryEntry e : list(directory)) {
      UnixfsNode node = load(e.cid());
      out.add(new DirectoryEntry(e.name(), e.cid(), e.dagSize(), node.type(), sizeOf(node)));
    }
    return out;
  }

  /** Streams the entries of a directory to {@code consumer} as {@link #list} orders them. */
  public void forEachEntry(Cid directory, Consumer<DirectoryEntry> consumer) throws IOException {
    UnixfsNode node = load(directory);
    if (node.type() == UnixfsType.DIRECTORY) {
      checkEntryCount(node.links().size(), directory);
      for (PBLink link : node.links()) {
        consumer.accept(new DirectoryEntry(link.nameOrEmpty(), link.hash(),
            link.tsize().orElse(0), null, -1));
      }
    } else if (node.type() == UnixfsType.HAMT_SHARD) {
      long[] visited = {0};
      walkShard(node, directory, 0, visited, consumer);
    } else {
      throw new UnixfsFormatException(directory + " is a " + node.type() + ", not a directory");
    }
  }

  private void checkEntryCount(long count, Cid directory) {
    if (count > limits.maxDirectoryEntries()) {
      throw new UnixfsFormatException("directory " + directory + " has more than "
          + limits.maxDirectoryEntries() + " entries");
    }
  }

  private void walkShard(UnixfsNode shard, Cid root, int depth, long[] visited,
      Consumer<DirectoryEntry> consumer) throws IOException {
    int padLength = checkShard(shard, depth);
    for (PBLink link : shard.links()) {
      visited[0]++;
      checkEntryCount(visited[0], root);
      String name = link.nameOrEmpty();
      if (name.length() < padLength) {
        throw new UnixfsFormatException("HAMT node " + shard.cid() + " has a link named '"
            + name + "', shorter than its " + padLength + "-character bucket label");
      }
      if (name.length() == padLength) {
        walkShard(load(link.hash()), root, depth + 1, visited, consumer);
      } else {
        consumer.accept(new DirectoryEntry(name.substring(padLength), link.hash(),
            link.tsize().orElse(0), null, -1));
      }
    }
  }

  /** Checks a HAMT node's parameters; returns its label width. */
  private int checkShard(UnixfsNode shard, int depth) {
    if (shard.type() != UnixfsType.HAMT_SHARD) {
      throw new UnixfsFormatException("HAMT sub-shard " + shard.cid() + " is a " + shard.type());
    }
    if (depth >= Math.min(limits.maxDepth(), Hamt.MAX_DEPTH)) {
      throw new UnixfsFormatException("HAMT under " + shard.cid() + " is deeper than "
          + Math.min(limits.maxDepth(), Hamt.MAX_DEPTH) + " levels (a link cycle?)");
    }
    UnixfsData data = shard.data();
    if (data.hashType().orElse(-1) != Hamt.HASH_MURMUR3_X64_64) {
      throw new UnixfsFormatException("HAMT node " + shard.cid() + " uses hash function 0x"
          + Long.toHexString(data.hashType().orElse(-1)) + "; only murmur3-x64-64 (0x22) is known");
    }
    if (data.fanout().isEmpty()) {
      throw new UnixfsFormatException("HAMT node " + shard.cid() + " has no fanout");
    }
    Hamt.bitsOf(data.fanout().getAsLong());
    return Hamt.padLength(data.fanout().getAsLong());
  }

  /**
   * The CID at {@code path} (segments separated by {@code /}; empty segments ignored) under
   * {@code root}.
   *
   * @throws PathNotFoundException if a segment names nothing, or something that is not a
   *     directory has to be traversed
   */
  public Cid resolve(Cid root, String path) throws IOException {
    Cid current = root;
    StringBuilder walked = new StringBuilder(root.toString());
    for (String segment : path.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      UnixfsNode node = load(current);
      Cid next;
      if (node.type() == UnixfsType.DIRECTORY) {
        next = null;
        for (PBLink link : node.links()) {
          if (link.nameOrEmpty().equals(segment)) {
            next = link.hash();
            break;
          }
        }
      } else if (node.type() == UnixfsType.HAMT_SHARD) {
        next = lookupInShard(node, segment);
      } else {
        throw new PathNotFoundException(walked + " is a " + node.type()
            + ", not a directory: cannot resolve '" + segment + "'");
      }
      if (next == null) {
        throw new PathNotFoundException("no entry '" + segment + "' in " + walked);
      }
      walked.append('/').append(segment);
      current = next;
    }
    return current;
  }

  private Cid lookupInShard(UnixfsNode shard, String name) throws IOException {
    Hamt.HashBits bits = null;
    for (int depth = 0; ; depth++) {
      int padLength = checkShard(shard, depth);
      if (bits == null) {
        bits = new Hamt.HashBits(name, Hamt.bitsOf(shard.data().fanout().getAsLong()));
      }
      String label = Hamt.label(bits.next(), padLength);
      PBLink found = null;
      for (PBLink link : shard.links()) {
        String linkName = link.nameOrEmpty();
        if (linkName.equals(label) || linkName.equals(label + name)) {
          found = link;
          break;
        }
      }
      if (found == null) {
        return null;
      }
      if (found.nameOrEmpty().length() > padLength) {
        return found.hash();
      }
      shard = load(found.hash());
    }
  }
}
