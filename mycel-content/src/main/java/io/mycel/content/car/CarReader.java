package io.mycel.content.car;

import io.mycel.content.blockstore.Block;
import io.mycel.content.blockstore.BlockHashMismatchException;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.core.cid.Cid;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.varint.Varint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a <a href="https://ipld.io/specs/transport/car/carv1/">CARv1</a> stream block by block,
 * checking everything: the header (version 1, at least one root), every length against
 * {@link CarLimits} before reading, every CID, and every block's bytes against its CID's hash. A
 * stream that ends inside the header or a section is a {@link CarFormatException} saying how far
 * it got ("truncated CAR after N blocks"); one that ends between sections is a complete CAR.
 *
 * <p>{@link #importInto} stores each block as soon as it verifies, so a CAR that fails halfway
 * leaves the blocks before the failure stored (unpinned, for garbage collection to take).
 */
public final class CarReader {
  private final InputStream in;
  private final CarLimits limits;
  private final List<Cid> roots;
  private long blocksRead;
  private boolean finished;

  private CarReader(InputStream in, CarLimits limits, List<Cid> roots) {
    this.in = in;
    this.limits = limits;
    this.roots = roots;
  }

  /** Reads and checks the header with the default limits. */
  public static CarReader open(InputStream in) throws IOException {
    return open(in, CarLimits.DEFAULTS);
  }

  /**
   * Reads and checks the header.
   *
   * @throws CarFormatException if the header is truncated, too large, malformed, of a version
   *     other than 1, or without roots
   */
  public static CarReader open(InputStream in, CarLimits limits) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(limits, "limits");
    long length = readVarint(in, "truncated CAR header");
    if (length < 0) {
      throw new CarFormatException("truncated CAR header: the stream is empty");
    }
    if (length == 0) {
      throw new CarFormatException("CAR header length is 0");
    }
    if (length > limits.maxHeaderBytes()) {
      throw new CarFormatException("CAR header length " + length + " exceeds the limit of "
          + limits.maxHeaderBytes() + " bytes");
    }
    byte[] bytes = in.readNBytes((int) length);
    if (bytes.length < length) {
      throw new CarFormatException("truncated CAR header: " + bytes.length + " of " + length
          + " bytes");
    }
    CarHeader header = CarHeader.decode(bytes);
    if (header.version() != 1) {
      throw new CarFormatException("unsupported CAR version " + header.version()
          + (header.version() == 2 ? " (CARv2); only CARv1 is read" : "; only CARv1 is read"));
    }
    if (header.roots().isEmpty()) {
      throw new CarFormatException("CAR header has no roots");
    }
    return new CarReader(in, limits, header.roots());
  }

  /**
   * Reads {@code in} and stores its blocks in {@code store} with the default limits.
   *
   * @throws CarFormatException if the CAR is malformed, truncated, or holds a block that does
   *     not match its CID
   */
  public static CarImport importInto(InputStream in, Blockstore store) throws IOException {
    return importInto(in, store, CarLimits.DEFAULTS);
  }

  /** Reads {@code in} and stores its blocks in {@code store}, each after it verifies. */
  public static CarImport importInto(InputStream in, Blockstore store, CarLimits limits)
      throws IOException {
    CarReader reader = open(in, limits);
    Optional<Block> block;
    while ((block = reader.next()).isPresent()) {
      store.put(block.get());
    }
    return new CarImport(reader.roots(), reader.blocksRead());
  }

  /** The roots named by the header. */
  public List<Cid> roots() {
    return roots;
  }

  /** How many blocks {@link #next} has returned. */
  public long blocksRead() {
    return blocksRead;
  }

  /**
   * The next block, verified against its CID, or empty at the end of the CAR.
   *
   * @throws CarFormatException if the section is truncated, too large or malformed, or its bytes
   *     do not hash to its CID
   */
  public Optional<Block> next() throws IOException {
    if (finished) {
      return Optional.empty();
    }
    String truncated = "truncated CAR after " + blocksRead + " blocks";
    long length = readVarint(in, truncated);
    if (length < 0) {
      finished = true;
      return Optional.empty();
    }
    long section = blocksRead + 1;
    if (length == 0) {
      throw new CarFormatException("section " + section + " of the CAR is empty (no CID)");
    }
    if (length > limits.maxSectionBytes()) {
      throw new CarFormatException("section " + section + " length " + length
          + " exceeds the limit of " + limits.maxSectionBytes() + " bytes ("
          + limits.maxBlockBytes() + " of block and " + limits.maxCidBytes() + " of CID)");
    }
    byte[] bytes = in.readNBytes((int) length);
    if (bytes.length < length) {
      throw new CarFormatException(truncated + " (section " + section + " declares " + length
          + " bytes, only " + bytes.length + " follow)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    Cid cid;
    try {
      cid = Cid.read(buf);
    } catch (IllegalArgumentException e) {
      throw new CarFormatException("section " + section + " does not start with a valid CID: "
          + e.getMessage(), e);
    }
    int cidLength = buf.position();
    if (cidLength > limits.maxCidBytes()) {
      throw new CarFormatException("section " + section + " CID of " + cidLength
          + " bytes exceeds the limit of " + limits.maxCidBytes());
    }
    if (buf.remaining() > limits.maxBlockBytes()) {
      throw new CarFormatException("block " + cid + " (section " + section + ") of "
          + buf.remaining() + " bytes exceeds the limit of " + limits.maxBlockBytes());
    }
    byte[] data = Arrays.copyOfRange(bytes, cidLength, bytes.length);
    if (!Multihash.isSupported(cid.multihash().code())) {
      throw new CarFormatException("cannot verify block " + cid + " (section " + section
          + "): unsupported hash function 0x" + Long.toHexString(cid.multihash().code()));
    }
    Block block;
    try {
      block = Block.verified(cid, data);
    } catch (BlockHashMismatchException e) {
      throw new CarFormatException("section " + section + ": block bytes do not hash to " + cid,
          e);
    }
    blocksRead++;
    return Optional.of(block);
  }

  /**
   * Reads a varint; -1 if the stream ends before its first byte.
   *
   * @throws CarFormatException if the stream ends inside it or it is malformed
   */
  private static long readVarint(InputStream in, String truncated) throws IOException {
    byte[] bytes = new byte[Varint.MAX_BYTES];
    for (int i = 0; i < Varint.MAX_BYTES; i++) {
      int b = in.read();
      if (b < 0) {
        if (i == 0) {
          return -1;
        }
        throw new CarFormatException(truncated + " (inside a length prefix)");
      }
      bytes[i] = (byte) b;
      if ((b & 0x80) == 0) {
        try {
          return Varint.decodeExact(Arrays.copyOf(bytes, i + 1));
        } catch (IllegalArgumentException e) {
          throw new CarFormatException("malformed CAR length prefix: " + e.getMessage(), e);
        }
      }
    }
    throw new CarFormatException("malformed CAR length prefix: longer than " + Varint.MAX_BYTES
        + " bytes");
  }
}
