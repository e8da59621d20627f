package io.mycel.content.unixfs;

import io.mycel.content.dagpb.DagPbDecoder;
import io.mycel.content.dagpb.DagPbFormatException;
import io.mycel.content.dagpb.PBLink;
import io.mycel.content.dagpb.PBNode;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import java.util.List;

/**
 * One decoded block of a UnixFS DAG: a raw leaf, or a dag-pb node with its UnixFS data.
 *
 * @param raw the bytes of a raw block (codec 0x55), else null
 * @param data the UnixFS data of a dag-pb node, else null
 */
record UnixfsNode(Cid cid, int blockSize, byte[] raw, UnixfsData data, List<PBLink> links) {

  static UnixfsNode decode(Cid cid, byte[] block, DagPbDecoder decoder) {
    if (cid.codec() == Multicodec.RAW) {
      return new UnixfsNode(cid, block.length, block, null, List.of());
    }
    if (cid.codec() != Multicodec.DAG_PB) {
      throw new UnixfsFormatException(cid + " is not UnixFS: codec 0x"
          + Long.toHexString(cid.codec()) + " is neither dag-pb nor raw");
    }
    PBNode node;
    try {
      node = decoder.decodeNode(block);
    } catch (DagPbFormatException e) {
      throw new UnixfsFormatException("block " + cid + ": " + e.getMessage(), e);
    }
    if (!node.hasData()) {
      throw new UnixfsFormatException("block " + cid + " is dag-pb without UnixFS data");
    }
    UnixfsData data;
    try {
      data = UnixfsData.decode(node.data().orElseThrow());
    } catch (UnixfsFormatException e) {
      throw new UnixfsFormatException("block " + cid + ": " + e.getMessage(), e);
    }
    return new UnixfsNode(cid, block.length, null, data, node.links());
  }

  UnixfsType type() {
    return raw != null ? UnixfsType.FILE : data.type();
  }

  boolean isFileLike() {
    return raw != null || data.type().isFileLike();
  }

  /** The node's own bytes: a raw block, or the data of a file node. */
  byte[] inlineBytes() {
    if (raw != null) {
      return raw;
    }
    return data.data() == null ? new byte[0] : data.data();
  }

  /**
   * The file size below this node, checked: links and block sizes pair up, and a declared file
   * size equals the inline bytes plus the block sizes.
   */
  long fileSize(ExportLimits limits) {
    if (raw != null) {
      return raw.length;
    }
    if (!data.type().isFileLike()) {
      throw new UnixfsFormatException(cid + " is a " + data.type() + ", not a file");
    }
    long[] blockSizes = data.blockSizes();
    if (blockSizes.length != links.size()) {
      throw new UnixfsFormatException("file node " + cid + " has " + links.size()
          + " links but " + blockSizes.length + " block sizes");
    }
    long sum = data.dataLength();
    for (long size : blockSizes) {
      if (size > limits.maxFileSize() - sum) {
        throw new UnixfsFormatException("file node " + cid + ": block sizes add up to more than "
            + limits.maxFileSize() + " bytes");
      }
      sum += size;
    }
    if (data.fileSize().isPresent() && data.fileSize().getAsLong() != sum) {
      throw new UnixfsFormatException("file node " + cid + " declares a file size of "
          + data.fileSize().getAsLong() + " bytes but its data and block sizes add up to " + sum);
    }
    return sum;
  }
}
