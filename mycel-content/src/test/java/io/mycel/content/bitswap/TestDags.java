package io.mycel.content.bitswap;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.dagpb.DagPbDecoder;
import io.mycel.content.dagpb.DagPbEncoder;
import io.mycel.content.dagpb.DagPbLimits;
import io.mycel.content.dagpb.PBLink;
import io.mycel.content.dagpb.PBNode;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test DAGs: leaves of random bytes under dag-pb parents, and their reassembly. */
final class TestDags {

  /** A DAG, its blocks (root first) and the bytes its leaves hold in order. */
  record Dag(Cid root, List<Block> blocks, byte[] content) {
    long totalBytes() {
      return blocks.stream().mapToLong(Block::size).sum();
    }
  }

  private TestDags() {}

  /**
   * {@code leaves} leaves of {@code leafSize} random bytes, linked by dag-pb parents of at most
   * {@code fanout} links. Modern: raw CIDv1 leaves, dag-pb CIDv1 parents. Legacy: everything
   * CIDv0 (leaves are dag-pb nodes holding the bytes as data), as Bitswap 1.0.0 peers expect.
   */
  static Dag build(int leaves, int leafSize, int fanout, long seed, boolean legacy) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Block> blocks = new ArrayList<>();
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    List<Cid> level = new ArrayList<>();
    for (int i = 0; i < leaves; i++) {
      byte[] data = new byte[leafSize];
      random.nextBytes(data);
      content.writeBytes(data);
      Block leaf = legacy
          ? dagPb(List.of(), data, true)
          : new Block(Cid.v1(Multicodec.RAW, Multihash.sha2_256(data)), data);
      blocks.add(leaf);
      level.add(leaf.cid());
    }
    while (level.size() > 1) {
      List<Cid> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += fanout) {
        List<PBLink> links = new ArrayList<>();
        for (Cid child : level.subList(i, Math.min(level.size(), i + fanout))) {
          links.add(PBLink.of(child));
        }
        Block parent = dagPb(links, new byte[] {8, 2}, legacy);
        blocks.add(parent);
        next.add(parent.cid());
      }
      level = next;
    }
    List<Block> rootFirst = new ArrayList<>(blocks.reversed());
    return new Dag(level.get(0), rootFirst, content.toByteArray());
  }

  static Block dagPb(List<PBLink> links, byte[] data, boolean v0) {
    byte[] bytes = DagPbEncoder.encode(links, data);
    Multihash hash = Multihash.sha2_256(bytes);
    return new Block(v0 ? Cid.v0(hash) : Cid.v1(Multicodec.DAG_PB, hash), bytes);
  }

  static void store(Blockstore store, Dag dag) throws IOException {
    for (Block block : dag.blocks()) {
      store.put(block);
    }
  }

  /** The leaves' bytes in depth-first order, read from {@code store}. */
  static byte[] reassemble(Blockstore store, Cid root) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    walk(store, root, out);
    return out.toByteArray();
  }

  private static void walk(Blockstore store, Cid cid, ByteArrayOutputStream out)
      throws IOException {
    byte[] data = store.get(cid).orElseThrow(() -> new AssertionError("missing block " + cid));
    if (cid.codec() == Multicodec.RAW) {
      out.writeBytes(data);
      return;
    }
    PBNode node = new DagPbDecoder(DagPbLimits.DEFAULT).decodeNode(data);
    if (node.links().isEmpty()) {
      out.writeBytes(node.data().orElse(new byte[0]));
      return;
    }
    for (PBLink link : node.links()) {
      walk(store, link.hash(), out);
    }
  }
}
