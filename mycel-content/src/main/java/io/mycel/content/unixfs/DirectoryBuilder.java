package io.mycel.content.unixfs;

import com.google.protobuf.CodedOutputStream;
import io.mycel.content.dagpb.PBLink;
import io.mycel.content.unixfs.NodeBuilder.Node;
import io.mycel.core.cid.Cid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Builds a directory node from its entries: flat, or a HAMT when the size estimate exceeds the
 * threshold (see {@link ShardSplitStrategy}).
 *
 * <p>See <a href="https://specs.ipfs.tech/unixfs/#dag-pb-directory">directories</a> and <a
 * href="https://specs.ipfs.tech/unixfs/#dag-pb-hamtdirectory">HAMT directories</a>.
 */
final class DirectoryBuilder {
  /** The Data field of a directory without mode or mtime: {@code 0a 02 08 01}. */
  private static final int PLAIN_DIRECTORY_DATA_FIELD_SIZE = 4;

  private final NodeBuilder nodes;

  DirectoryBuilder(NodeBuilder nodes) {
    this.nodes = nodes;
  }

  /**
   * An entry of a directory being built.
   *
   * @param counted whether the entry counts towards the size estimate (not a directory with
   *     entries of its own)
   */
  record Entry(String name, byte[] nameBytes, Cid cid, long dagSize, boolean counted) {
    static Entry of(String name, Cid cid, long dagSize, boolean counted) {
      return new Entry(name, name.getBytes(StandardCharsets.UTF_8), cid, dagSize, counted);
    }
  }

  private static final Comparator<Entry> BY_NAME_BYTES =
      (a, b) -> Arrays.compareUnsigned(a.nameBytes(), b.nameBytes());

  Node build(List<Entry> entries) throws IOException {
    ImportOptions options = nodes.options();
    if (estimate(entries, options.shardSplitStrategy()) > options.shardSplitThresholdBytes()) {
      return buildShard(entries, options.hamtFanout());
    }
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(BY_NAME_BYTES);
    List<PBLink> links = new ArrayList<>(sorted.size());
    for (Entry e : sorted) {
      links.add(PBLink.of(e.cid(), e.name(), e.dagSize()));
    }
    return nodes.store(links, UnixfsData.directory(), 0);
  }

  static long estimate(List<Entry> entries, ShardSplitStrategy strategy) {
    long size = strategy == ShardSplitStrategy.BLOCK_BYTES ? PLAIN_DIRECTORY_DATA_FIELD_SIZE : 0;
    for (Entry e : entries) {
      if (!e.counted()) {
        continue;
      }
      int cidLength = e.cid().bytes().length;
      int nameLength = e.nameBytes().length;
      if (strategy == ShardSplitStrategy.LINKS_BYTES) {
        size += nameLength + cidLength;
      } else {
        int linkLength = 1 + CodedOutputStream.computeUInt32SizeNoTag(cidLength) + cidLength
            + 1 + CodedOutputStream.computeUInt32SizeNoTag(nameLength) + nameLength
            + 1 + CodedOutputStream.computeUInt64SizeNoTag(e.dagSize());
        size += 1 + CodedOutputStream.computeUInt32SizeNoTag(linkLength) + linkLength;
      }
    }
    return size;
  }

  private Node buildShard(List<Entry> entries, int fanout) throws IOException {
    int bits = Hamt.bitsOf(fanout);
    List<Hashed> hashed = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      hashed.add(new Hashed(e, new Hamt.HashBits(e.nameBytes(), bits)));
    }
    return shard(hashed, fanout, Hamt.padLength(fanout), 0);
  }

  private record Hashed(Entry entry, Hamt.HashBits bits) {}

  private Node shard(List<Hashed> entries, int fanout, int padLength, int depth)
      throws IOException {
    if (depth >= Hamt.MAX_DEPTH) {
      throw new IllegalStateException("HAMT deeper than " + Hamt.MAX_DEPTH + " levels");
    }
    List<List<Hashed>> buckets = new ArrayList<>(Collections.nCopies(fanout, null));
    for (Hashed h : entries) {
      int index = h.bits().next();
      if (buckets.get(index) == null) {
        buckets.set(index, new ArrayList<>(1));
      }
      buckets.get(index).add(h);
    }
    boolean[] occupied = new boolean[fanout];
    List<PBLink> links = new ArrayList<>();
    for (int i = 0; i < fanout; i++) {
      List<Hashed> bucket = buckets.get(i);
      if (bucket == null) {
        continue;
      }
      occupied[i] = true;
      String label = Hamt.label(i, padLength);
      if (bucket.size() == 1) {
        Entry e = bucket.get(0).entry();
        links.add(PBLink.of(e.cid(), label + e.name(), e.dagSize()));
      } else {
        Node child = shard(bucket, fanout, padLength, depth + 1);
        links.add(PBLink.of(child.cid(), label, child.dagSize()));
      }
    }
    return nodes.store(links, UnixfsData.hamtShard(Hamt.bitfield(occupied), fanout), 0);
  }
}
