package io.mycel.content.unixfs;

import com.google.protobuf.CodedOutputStream;
import io.mycel.content.dagpb.DagPbEncoder;
import io.mycel.content.dagpb.PBLink;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Encodes, names and stores the nodes of an import. */
final class NodeBuilder {
  private final ImportOptions options;
  private final BlockSink sink;

  NodeBuilder(ImportOptions options, BlockSink sink) {
    this.options = options;
    this.sink = sink;
  }

  ImportOptions options() {
    return options;
  }

  /** A finished node: its CID, the block (until stored), and the sizes a parent needs. */
  record Node(Cid cid, byte[] block, long dagSize, long contentSize, UnixfsType type) {
    ImportResult result() {
      return new ImportResult(cid, type, dagSize, contentSize);
    }
  }

  /** Hashes a chunk into a leaf; thread-safe, does not store. */
  Node leaf(byte[] chunk) {
    if (options.rawLeaves()) {
      Cid cid = Cid.v1(Multicodec.RAW, Multihash.sha2_256(chunk));
      return new Node(cid, chunk, chunk.length, chunk.length, UnixfsType.FILE);
    }
    byte[] block = fileLeafBlock(chunk);
    return new Node(dagPbCid(block), block, block.length, chunk.length, UnixfsType.FILE);
  }

  /** A dag-pb node with the UnixFS data {type: file, data: chunk, filesize}. */
  static byte[] fileLeafBlock(byte[] chunk) {
    int dataFieldSize = chunk.length == 0 ? 0 : CodedOutputStream.computeByteArraySize(2, chunk);
    int unixfsSize = CodedOutputStream.computeEnumSize(1, UnixfsType.FILE.number())
        + dataFieldSize + CodedOutputStream.computeUInt64Size(3, chunk.length);
    int total = CodedOutputStream.computeTagSize(1)
        + CodedOutputStream.computeUInt32SizeNoTag(unixfsSize) + unixfsSize;
    byte[] out = new byte[total];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      cos.writeTag(1, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
      cos.writeUInt32NoTag(unixfsSize);
      cos.writeEnum(1, UnixfsType.FILE.number());
      if (chunk.length > 0) {
        cos.writeByteArray(2, chunk);
      }
      cos.writeUInt64(3, chunk.length);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  Cid dagPbCid(byte[] block) {
    Multihash mh = Multihash.sha2_256(block);
    return options.cidVersion() == 0 ? Cid.v0(mh) : Cid.v1(Multicodec.DAG_PB, mh);
  }

  /** Encodes, hashes and stores a dag-pb node. */
  Node store(List<PBLink> links, UnixfsData data, long contentSize) throws IOException {
    byte[] block = DagPbEncoder.encode(links, data.encode());
    long dagSize = block.length;
    for (PBLink link : links) {
      dagSize += link.tsize().orElse(0);
    }
    Node node = new Node(dagPbCid(block), block, dagSize, contentSize, data.type());
    sink.put(node.cid(), block);
    return node;
  }

  void put(Node node) throws IOException {
    sink.put(node.cid(), node.block());
  }
}
