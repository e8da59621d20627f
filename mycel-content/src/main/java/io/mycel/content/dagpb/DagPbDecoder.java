package io.mycel.content.dagpb;

import io.mycel.core.cid.Cid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A strict dag-pb decoder.
 *
 * <p>Follows the <a href="https://ipld.io/specs/codecs/dag-pb/spec/#protobuf-strictness">
 * protobuf strictness</a> rules: only the schema's fields with their wire types, no duplicates,
 * link fields in field-number order, a Hash that is a valid CID in every link. The node's two
 * sections may come in either order (data exists in both), but the links must be one contiguous
 * run: links on both sides of the data are rejected. Sizes are checked against {@link
 * DagPbLimits} before anything is allocated.
 */
public final class DagPbDecoder {
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_LEN = 2;

  private static final DagPbDecoder DEFAULT = new DagPbDecoder(DagPbLimits.DEFAULT);

  private final DagPbLimits limits;

  public DagPbDecoder(DagPbLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** Decodes with the default limits. */
  public static PBNode decode(byte[] block) {
    return DEFAULT.decodeNode(block);
  }

  public DagPbLimits limits() {
    return limits;
  }

  /**
   * Decodes one block.
   *
   * @throws DagPbFormatException if the bytes are not a valid dag-pb node within the limits
   */
  public PBNode decodeNode(byte[] block) {
    if (block.length > limits.maxBlockSize()) {
      throw new DagPbFormatException("dag-pb block of " + block.length
          + " bytes exceeds the limit of " + limits.maxBlockSize());
    }
    Reader r = new Reader(block, 0, block.length);
    List<PBLink> links = new ArrayList<>();
    byte[] data = null;
    boolean linksDone = false;
    while (r.hasMore()) {
      long tag = r.varint("PBNode field tag");
      long field = tag >>> 3;
      int wire = (int) (tag & 7);
      if (field == 1 && wire == WIRE_LEN) {
        if (data != null) {
          throw r.fail("duplicate Data section");
        }
        data = r.bytes("Data");
        if (!links.isEmpty()) {
          linksDone = true;
        }
      } else if (field == 2 && wire == WIRE_LEN) {
        if (linksDone) {
          throw r.fail("duplicate Links section: links found on both sides of Data");
        }
        if (links.size() >= limits.maxLinks()) {
          throw r.fail("more than " + limits.maxLinks() + " links");
        }
        int length = r.length("PBLink");
        links.add(decodeLink(r.sub(length), links.size()));
      } else {
        throw r.fail("unexpected field " + field + " with wire type " + wire
            + " in PBNode" + (field == 1 || field == 2 ? " (wrong wire type)" : ""));
      }
    }
    return PBNode.owning(links, data);
  }

  private static PBLink decodeLink(Reader r, int index) {
    Cid hash = null;
    String name = null;
    Long tsize = null;
    int lastField = 0;
    while (r.hasMore()) {
      long tag = r.varint("PBLink field tag");
      long field = tag >>> 3;
      int wire = (int) (tag & 7);
      if (field < 1 || field > 3) {
        throw r.fail("unexpected field " + field + " in link " + index);
      }
      if (field <= lastField) {
        throw r.fail(field == lastField ? "duplicate field " + field + " in link " + index
            : "field " + field + " after field " + lastField + " in link " + index
                + " (fields must be in order Hash, Name, Tsize)");
      }
      lastField = (int) field;
      if (field == 1) {
        expectWire(r, wire, WIRE_LEN, "Hash", index);
        byte[] cidBytes = r.bytes("link Hash");
        try {
          hash = Cid.fromBytes(cidBytes);
        } catch (IllegalArgumentException e) {
          throw r.fail("invalid Hash in link " + index + ", expected a CID: " + e.getMessage());
        }
      } else if (field == 2) {
        expectWire(r, wire, WIRE_LEN, "Name", index);
        name = new String(r.bytes("link Name"), StandardCharsets.UTF_8);
      } else {
        expectWire(r, wire, WIRE_VARINT, "Tsize", index);
        long value = r.varint("link Tsize");
        if (value < 0) {
          throw r.fail("Tsize of link " + index + " exceeds 2^63-1");
        }
        tsize = value;
      }
    }
    if (hash == null) {
      throw r.fail("link " + index + " has no Hash, expected a CID");
    }
    return new PBLink(hash, Optional.ofNullable(name),
        tsize == null ? OptionalLong.empty() : OptionalLong.of(tsize));
  }

  private static void expectWire(Reader r, int wire, int expected, String what, int index) {
    if (wire != expected) {
      throw r.fail("wrong wire type " + wire + " for " + what + " in link " + index);
    }
  }

  /** A bounds-checked cursor over a slice of the block. */
  private static final class Reader {
    private final byte[] buf;
    private int pos;
    private final int end;

    Reader(byte[] buf, int pos, int end) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
    }

    boolean hasMore() {
      return pos < end;
    }

    DagPbFormatException fail(String message) {
      return new DagPbFormatException("invalid dag-pb block at byte " + pos + ": " + message);
    }

    long varint(String what) {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw fail("truncated varint in " + what);
        }
        byte b = buf[pos++];
        if (shift == 63 && (b & 0xfe) != 0) {
          throw fail("varint overflows 64 bits in " + what);
        }
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw fail("varint overflows 64 bits in " + what);
    }

    int length(String what) {
      long length = varint(what + " length");
      if (length > end - pos) {
        throw fail(what + " declares " + length + " bytes but only " + (end - pos) + " remain");
      }
      return (int) length;
    }

    byte[] bytes(String what) {
      int length = length(what);
      byte[] out = new byte[length];
      System.arraycopy(buf, pos, out, 0, length);
      pos += length;
      return out;
    }

    Reader sub(int length) {
      Reader sub = new Reader(buf, pos, pos + length);
      pos += length;
      return sub;
    }
  }
}
