package io.mycel.content.dagpb;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The canonical dag-pb encoding: every link (field 2) before the data (field 1), link fields in
 * field-number order, links sorted by name bytes.
 *
 * <p>See the <a href="https://ipld.io/specs/codecs/dag-pb/spec/#serial-format">dag-pb serial
 * format</a>. Generated protobuf code would write Data first (field-number order), which gives
 * different bytes and so a different CID; hence this hand-written encoder.
 */
public final class DagPbEncoder {
  private static final int HASH_FIELD = 1;
  private static final int NAME_FIELD = 2;
  private static final int TSIZE_FIELD = 3;
  private static final int DATA_FIELD = 1;
  private static final int LINKS_FIELD = 2;

  private DagPbEncoder() {}

  /**
   * Encodes {@code node}.
   *
   * @throws DagPbFormatException if the links are not sorted by name bytes
   */
  public static byte[] encode(PBNode node) {
    return encode(node.links(), node.rawData());
  }

  /**
   * Encodes a node from its parts without copying {@code data} first (null: absent).
   *
   * @throws DagPbFormatException if the links are not sorted by name bytes
   */
  public static byte[] encode(List<PBLink> links, byte[] data) {
    int n = links.size();
    byte[][] cids = new byte[n][];
    byte[][] names = new byte[n][];
    int[] linkSizes = new int[n];
    long total = 0;
    byte[] previousName = null;
    for (int i = 0; i < n; i++) {
      PBLink link = links.get(i);
      cids[i] = link.hash().bytes();
      names[i] = link.name().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
      byte[] sortKey = names[i] == null ? new byte[0] : names[i];
      if (previousName != null && Arrays.compareUnsigned(previousName, sortKey) > 0) {
        throw new DagPbFormatException("links must be sorted by name bytes: link " + i + " ("
            + link.nameOrEmpty() + ") sorts before link " + (i - 1));
      }
      previousName = sortKey;
      int size = CodedOutputStream.computeByteArraySize(HASH_FIELD, cids[i]);
      if (names[i] != null) {
        size += CodedOutputStream.computeByteArraySize(NAME_FIELD, names[i]);
      }
      if (link.tsize().isPresent()) {
        size += CodedOutputStream.computeUInt64Size(TSIZE_FIELD, link.tsize().getAsLong());
      }
      linkSizes[i] = size;
      total += CodedOutputStream.computeTagSize(LINKS_FIELD)
          + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }
    if (data != null) {
      total += CodedOutputStream.computeByteArraySize(DATA_FIELD, data);
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new DagPbFormatException("node too large to encode: " + total + " bytes");
    }
    byte[] out = new byte[(int) total];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      for (int i = 0; i < n; i++) {
        PBLink link = links.get(i);
        cos.writeTag(LINKS_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        cos.writeUInt32NoTag(linkSizes[i]);
        cos.writeByteArray(HASH_FIELD, cids[i]);
        if (names[i] != null) {
          cos.writeByteArray(NAME_FIELD, names[i]);
        }
        if (link.tsize().isPresent()) {
          cos.writeUInt64(TSIZE_FIELD, link.tsize().getAsLong());
        }
      }
      if (data != null) {
        cos.writeByteArray(DATA_FIELD, data);
      }
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into an exactly sized array", e);
    }
    return out;
  }
}
