package io.mycel.content.car;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.BlockNotFoundException;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.dag.LinkDecoder;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.varint.Varint;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a <a href="https://ipld.io/specs/transport/car/carv1/">CARv1</a> stream: the header
 * (varint length, then {@link CarHeader} in canonical DAG-CBOR) when constructed, then one
 * section per {@link #write} (varint length of CID and block, the binary CID, the block bytes).
 * The stream is neither buffered nor closed here.
 *
 * <p>{@link #exportDag} writes the DAG under one or more roots: depth first, a block before
 * the blocks it links to, in link order, each CID once, which is the order of a
 * "filecoin-deterministic" CAR.
 */
public final class CarWriter {
  private final OutputStream out;
  private long blocksWritten;

  /**
   * Starts a CAR with these roots, writing the header.
   *
   * @throws IllegalArgumentException without roots (the spec asks for at least one)
   */
  public CarWriter(OutputStream out, List<Cid> roots) throws IOException {
    this.out = Objects.requireNonNull(out, "out");
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("a CAR needs at least one root");
    }
    byte[] header = CarHeader.v1(roots).encode();
    Varint.write(out, header.length);
    out.write(header);
  }

  public CarWriter(OutputStream out, Cid root) throws IOException {
    this(out, List.of(root));
  }

  /** Writes one section. The block is written as given; its bytes are not hashed. */
  public void write(Block block) throws IOException {
    byte[] cid = block.cid().bytes();
    Varint.write(out, (long) cid.length + block.size());
    out.write(cid);
    out.write(block.data());
    blocksWritten++;
  }

  public long blocksWritten() {
    return blocksWritten;
  }

  /** Exports the DAG under {@code root}; returns the number of blocks written. */
  public static long exportDag(Blockstore store, LinkDecoder decoder, Cid root, OutputStream out)
      throws IOException {
    return exportDag(store, decoder, List.of(root), out);
  }

  /**
   * Exports the DAGs under {@code roots}, in order, to {@code out} and flushes it; a block shared
   * by several roots is written once. Identity-hashed CIDs are written with the bytes they
   * carry.
   *
   * @return the number of blocks written
   * @throws BlockNotFoundException if a block of a DAG is not in the store (the CAR written so
   *     far is incomplete)
   * @throws IllegalArgumentException if a block's links cannot be decoded
   */
  public static long exportDag(Blockstore store, LinkDecoder decoder, List<Cid> roots,
      OutputStream out) throws IOException {
    CarWriter writer = new CarWriter(out, roots);
    Set<Cid> written = new HashSet<>();
    for (Cid root : roots) {
      Deque<Cid> stack = new ArrayDeque<>();
      stack.push(root);
      while (!stack.isEmpty()) {
        Cid cid = stack.pop();
        if (!written.add(cid)) {
          continue;
        }
        byte[] data = load(store, cid, root);
        writer.write(new Block(cid, data));
        List<Cid> links = decoder.links(cid, data);
        for (int i = links.size() - 1; i >= 0; i--) {
          if (!written.contains(links.get(i))) {
            stack.push(links.get(i));
          }
        }
      }
    }
    out.flush();
    return writer.blocksWritten();
  }

  private static byte[] load(Blockstore store, Cid cid, Cid root) throws IOException {
    if (cid.multihash().code() == Multicodec.IDENTITY) {
      return cid.multihash().digest();
    }
    Optional<byte[]> data = store.get(cid);
    if (data.isEmpty()) {
      throw new BlockNotFoundException(cid, "cannot export the DAG under " + root + ": block "
          + cid + " is not in the blockstore");
    }
    return data.get();
  }
}
