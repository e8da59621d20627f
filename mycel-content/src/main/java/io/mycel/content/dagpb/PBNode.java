package io.mycel.content.dagpb;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A dag-pb node: links and optional opaque data (UnixFS puts its metadata there).
 *
 * <p>See the <a href="https://ipld.io/specs/codecs/dag-pb/spec/">dag-pb spec</a>. Absent data
 * and empty data are distinct. Immutable: the data is copied in and out; {@link #dataBuffer()}
 * gives a read-only view without copying.
 */
public final class PBNode {
  private final List<PBLink> links;
  private final byte[] data;

  /** {@code data} may be null (absent); it is copied. */
  public PBNode(List<PBLink> links, byte[] data) {
    this(data == null ? null : data.clone(), List.copyOf(links));
  }

  private PBNode(byte[] data, List<PBLink> links) {
    this.links = Objects.requireNonNull(links, "links");
    this.data = data;
  }

  /** Wraps arrays the caller hands over and will not touch again (the decoder's own). */
  static PBNode owning(List<PBLink> links, byte[] data) {
    return new PBNode(data, List.copyOf(links));
  }

  public List<PBLink> links() {
    return links;
  }

  public boolean hasData() {
    return data != null;
  }

  /** A copy of the data, or empty when absent. */
  public Optional<byte[]> data() {
    return data == null ? Optional.empty() : Optional.of(data.clone());
  }

  /** A read-only view of the data (empty when absent). */
  public ByteBuffer dataBuffer() {
    return data == null ? ByteBuffer.allocate(0).asReadOnlyBuffer()
        : ByteBuffer.wrap(data).asReadOnlyBuffer();
  }

  /** The data's length, or 0 when absent. */
  public int dataLength() {
    return data == null ? 0 : data.length;
  }

  /** The data array itself, for the encoder; null when absent. */
  byte[] rawData() {
    return data;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PBNode n && n.links.equals(links) && Arrays.equals(n.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * links.hashCode() + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "PBNode[" + links.size() + " links, "
        + (data == null ? "no data" : data.length + " data bytes") + "]";
  }
}
