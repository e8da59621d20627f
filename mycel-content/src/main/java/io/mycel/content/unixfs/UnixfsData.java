package io.mycel.content.unixfs;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.mycel.content.unixfs.pb.UnixfsProtos;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The UnixFS message in a dag-pb node's Data field.
 *
 * <p>See the <a href="https://specs.ipfs.tech/unixfs/#dag-pb-node">UnixFS spec</a>. Encoding
 * writes the fields in field-number order and omits what the reference importer omits (empty
 * data, the default mode); decoding rejects unknown fields, a missing or unknown type and sizes
 * beyond 2^63-1.
 *
 * @param type the node type
 * @param data inline bytes (file bytes, a symlink target, a HAMT bitfield), or null when absent
 * @param fileSize the file size, for files and raw nodes
 * @param blockSizes the byte count below each link of a file node, in link order
 * @param hashType the HAMT hash function (0x22, murmur3-x64-64)
 * @param fanout the HAMT fanout
 * @param mode the POSIX mode bits, when present
 */
public record UnixfsData(UnixfsType type, byte[] data, OptionalLong fileSize, long[] blockSizes,
    OptionalLong hashType, OptionalLong fanout, OptionalInt mode) {

  public UnixfsData {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(fileSize, "fileSize");
    Objects.requireNonNull(blockSizes, "blockSizes");
    Objects.requireNonNull(hashType, "hashType");
    Objects.requireNonNull(fanout, "fanout");
    Objects.requireNonNull(mode, "mode");
    for (long size : blockSizes) {
      if (size < 0) {
        throw new IllegalArgumentException("negative block size " + size);
      }
    }
    if (fileSize.isPresent() && fileSize.getAsLong() < 0) {
      throw new IllegalArgumentException("negative file size " + fileSize.getAsLong());
    }
  }

  /** A file node's data: inline bytes (null for none) and the sizes below its links. */
  public static UnixfsData file(byte[] data, long[] blockSizes) {
    long size = data == null ? 0 : data.length;
    for (long b : blockSizes) {
      try {
        size = Math.addExact(size, b);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("file size exceeds 2^63-1", e);
      }
    }
    return new UnixfsData(UnixfsType.FILE, data, OptionalLong.of(size), blockSizes,
        OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty());
  }

  public static UnixfsData directory() {
    return new UnixfsData(UnixfsType.DIRECTORY, null, OptionalLong.empty(), new long[0],
        OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty());
  }

  public static UnixfsData symlink(byte[] target) {
    return new UnixfsData(UnixfsType.SYMLINK, target, OptionalLong.empty(), new long[0],
        OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty());
  }

  public static UnixfsData hamtShard(byte[] bitfield, long fanout) {
    return new UnixfsData(UnixfsType.HAMT_SHARD, bitfield, OptionalLong.empty(), new long[0],
        OptionalLong.of(Hamt.HASH_MURMUR3_X64_64), OptionalLong.of(fanout), OptionalInt.empty());
  }

  /** The inline data's length, 0 when absent. */
  public int dataLength() {
    return data == null ? 0 : data.length;
  }

  /** The protobuf bytes. */
  public byte[] encode() {
    UnixfsProtos.Data.Builder b = UnixfsProtos.Data.newBuilder()
        .setType(UnixfsProtos.Data.DataType.forNumber(type.number()));
    if (data != null && data.length > 0) {
      b.setData(ByteString.copyFrom(data));
    }
    fileSize.ifPresent(b::setFilesize);
    for (long size : blockSizes) {
      b.addBlocksizes(size);
    }
    hashType.ifPresent(b::setHashType);
    fanout.ifPresent(b::setFanout);
    mode.ifPresent(b::setMode);
    return b.build().toByteArray();
  }

  /**
   * Decodes a UnixFS message strictly.
   *
   * @throws UnixfsFormatException if the bytes are not a valid UnixFS message
   */
  public static UnixfsData decode(byte[] bytes) {
    UnixfsProtos.Data pb;
    try {
      pb = UnixfsProtos.Data.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new UnixfsFormatException("UnixFS data is not a valid protobuf message: "
          + e.getMessage(), e);
    }
    if (!pb.getUnknownFields().asMap().isEmpty()) {
      throw new UnixfsFormatException("UnixFS data has unknown fields or an unknown type "
          + pb.getUnknownFields().asMap().keySet());
    }
    if (!pb.hasType()) {
      throw new UnixfsFormatException("UnixFS data has no type");
    }
    if (pb.hasMtime() && !pb.getMtime().getUnknownFields().asMap().isEmpty()) {
      throw new UnixfsFormatException("UnixFS mtime has unknown fields");
    }
    long[] blockSizes = new long[pb.getBlocksizesCount()];
    for (int i = 0; i < blockSizes.length; i++) {
      blockSizes[i] = checkSize(pb.getBlocksizes(i), "block size " + i);
    }
    UnixfsType type = UnixfsType.values()[pb.getType().getNumber()];
    return new UnixfsData(type,
        pb.hasData() ? pb.getData().toByteArray() : null,
        pb.hasFilesize() ? OptionalLong.of(checkSize(pb.getFilesize(), "file size"))
            : OptionalLong.empty(),
        blockSizes,
        pb.hasHashType() ? OptionalLong.of(pb.getHashType()) : OptionalLong.empty(),
        pb.hasFanout() ? OptionalLong.of(pb.getFanout()) : OptionalLong.empty(),
        pb.hasMode() ? OptionalInt.of(pb.getMode()) : OptionalInt.empty());
  }

  private static long checkSize(long value, String what) {
    if (value < 0) {
      throw new UnixfsFormatException("UnixFS " + what + " exceeds 2^63-1");
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnixfsData d && d.type == type && Arrays.equals(d.data, data)
        && d.fileSize.equals(fileSize) && Arrays.equals(d.blockSizes, blockSizes)
        && d.hashType.equals(hashType) && d.fanout.equals(fanout) && d.mode.equals(mode);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, Arrays.hashCode(data), fileSize, Arrays.hashCode(blockSizes));
  }

  @Override
  public String toString() {
    return "UnixfsData[" + type + ", " + (data == null ? "no" : data.length) + " data bytes, "
        + "fileSize=" + fileSize + ", " + blockSizes.length + " block sizes]";
  }
}
