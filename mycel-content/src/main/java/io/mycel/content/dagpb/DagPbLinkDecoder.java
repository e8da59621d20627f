package io.mycel.content.dagpb;

import io.mycel.content.dag.LinkDecoder;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import java.util.List;
import java.util.Objects;

/**
 * The links a DAG walk follows for the codecs UnixFS uses: a raw block (0x55) has none, a dag-pb
 * block (0x70) links to each of its links' CIDs in order, and a block of any other codec is
 * treated as having none.
 */
public final class DagPbLinkDecoder implements LinkDecoder {
  private final DagPbDecoder decoder;

  public DagPbLinkDecoder() {
    this(new DagPbDecoder(DagPbLimits.DEFAULT));
  }

  public DagPbLinkDecoder(DagPbDecoder decoder) {
    this.decoder = Objects.requireNonNull(decoder, "decoder");
  }

  /**
   * @throws DagPbFormatException if a dag-pb block is malformed
   */
  @Override
  public List<Cid> links(Cid cid, byte[] data) {
    if (cid.codec() != Multicodec.DAG_PB) {
      return List.of();
    }
    return decoder.decodeNode(data).links().stream().map(PBLink::hash).toList();
  }
}
