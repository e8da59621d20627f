package io.mycel.content.bitswap;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.mycel.content.bitswap.pb.BitswapProtos.Message;
import io.mycel.content.blockstore.Block;
import io.mycel.core.cid.Cid;
import io.mycel.core.varint.Varint;
import io.mycel.net.ProtocolViolationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Bitswap messages on a stream (<a
 * href="https://github.com/ipfs/specs/blob/main/src/bitswap-protocol.md#wire-format">spec</a>):
 * each one a protobuf {@code Message} prefixed with its length as an unsigned varint.
 *
 * <p>Decoding reads the protobuf field by field and enforces the {@link BitswapLimits} as it
 * goes: a length prefix over the message limit is refused before the body is read, a block
 * over the block limit before it is copied, and a wantlist (or presence list) is refused at its
 * first entry past the per-message limit, so a hostile message costs no allocation per entry
 * beyond the limit. Every block's CID is computed from its prefix and bytes (CIDv0 of the bytes
 * for the 1.0.0 {@code blocks} field).
 *
 * <p>Encoding writes what the negotiated version can say: 1.0.0 sends blocks without prefixes,
 * and versions before 1.2.0 carry no want types, dont-have flags, presences or pending bytes.
 */
public final class BitswapCodec {

  private static final int ENTRY_WANT_HAVE = 1;
  private static final int PRESENCE_DONT_HAVE = 1;

  /** Small parts of a message are gathered up to this; block bytes bypass it. */
  private static final int WRITE_BUFFER_SIZE = 16 * 1024;

  private final BitswapLimits limits;

  public BitswapCodec(BitswapLimits limits) {
    this.limits = limits;
  }

  public BitswapLimits limits() {
    return limits;
  }

  /**
   * The message's protobuf bytes, preceded by their varint length, in one array.
   *
   * @throws IllegalArgumentException if the message would exceed the message size limit
   */
  public byte[] encodeFramed(BitswapMessage message, BitswapVersion version) {
    Message proto = toProto(message, version);
    int size = proto.getSerializedSize();
    if (size > limits.maxMessageSize()) {
      throw new IllegalArgumentException("Bitswap message of " + size
          + " bytes exceeds the " + limits.maxMessageSize() + "-byte limit");
    }
    int prefixLength = Varint.encodedLength(size);
    byte[] framed = new byte[prefixLength + size];
    System.arraycopy(Varint.encode(size), 0, framed, 0, prefixLength);
    CodedOutputStream out = CodedOutputStream.newInstance(framed, prefixLength, size);
    try {
      proto.writeTo(out);
    } catch (IOException e) {
      throw new IllegalStateException("encoding into an array of the computed size failed", e);
    }
    out.checkNoSpaceLeft();
    return framed;
  }

  /**
   * Writes the message with its length prefix to {@code out} and flushes. Block bytes go to
   * {@code out} as they are, without being copied into a message buffer first.
   *
   * @throws IllegalArgumentException if the message would exceed the message size limit
   */
  public void writeFramed(OutputStream out, BitswapMessage message, BitswapVersion version)
      throws IOException {
    Message proto = toProto(message, version);
    int size = proto.getSerializedSize();
    if (size > limits.maxMessageSize()) {
      throw new IllegalArgumentException("Bitswap message of " + size
          + " bytes exceeds the " + limits.maxMessageSize() + "-byte limit");
    }
    CodedOutputStream coded = CodedOutputStream.newInstance(out, WRITE_BUFFER_SIZE);
    coded.writeUInt32NoTag(size);
    proto.writeTo(coded);
    coded.flush();
    out.flush();
  }

  /** The message's protobuf bytes, without the length prefix. */
  public byte[] encode(BitswapMessage message, BitswapVersion version) {
    return toProto(message, version).toByteArray();
  }

  private static Message toProto(BitswapMessage message, BitswapVersion version) {
    Message.Builder builder = Message.newBuilder();
    if (!message.wantlist().isEmpty() || message.fullWantlist()) {
      Message.Wantlist.Builder wantlist = builder.getWantlistBuilder();
      wantlist.setFull(message.fullWantlist());
      for (WantlistEntry entry : message.wantlist()) {
        Message.Wantlist.Entry.Builder e =
            Message.Wantlist.Entry.newBuilder()
                .setBlock(UnsafeByteOperations.unsafeWrap(entry.cid().bytes()))
                .setPriority(entry.priority())
                .setCancel(entry.cancel());
        if (version.hasPresences()) {
          e.setWantTypeValue(entry.wantType() == WantType.HAVE ? ENTRY_WANT_HAVE : 0);
          e.setSendDontHave(entry.sendDontHave());
        }
        wantlist.addEntries(e);
      }
    }
    for (Block block : message.blocks()) {
      ByteString data = UnsafeByteOperations.unsafeWrap(block.data());
      if (version.hasBlockPrefixes()) {
        builder.addPayload(
            Message.Block.newBuilder()
                .setPrefix(UnsafeByteOperations.unsafeWrap(CidPrefix.of(block.cid()).bytes()))
                .setData(data));
      } else {
        builder.addBlocks(data);
      }
    }
    if (version.hasPresences()) {
      for (BlockPresence presence : message.presences()) {
        builder.addBlockPresences(
            Message.BlockPresence.newBuilder()
                .setCid(UnsafeByteOperations.unsafeWrap(presence.cid().bytes()))
                .setTypeValue(presence.type() == BlockPresence.Type.DONT_HAVE
                    ? PRESENCE_DONT_HAVE : 0));
      }
      builder.setPendingBytes(message.pendingBytes());
    }
    return builder.build();
  }

  /**
   * Reads one length-prefixed message body, and nothing after it.
   *
   * @return the body, or {@code null} when the stream ended cleanly before a new message
   * @throws ProtocolViolationException if the length exceeds the message limit (nothing of the
   *     body is read), the prefix is malformed, or the stream ends inside the message
   */
  public byte[] readFrame(InputStream in) throws IOException {
    long length = 0;
    for (int i = 0; ; i++) {
      if (i == Varint.MAX_BYTES) {
        throw new ProtocolViolationException("Bitswap length prefix is longer than "
            + Varint.MAX_BYTES + " bytes");
      }
      int b = in.read();
      if (b < 0) {
        if (i == 0) {
          return null;
        }
        throw new ProtocolViolationException("stream ended inside a Bitswap length prefix");
      }
      length |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        break;
      }
    }
    if (length > limits.maxMessageSize()) {
      throw new ProtocolViolationException("Bitswap message of " + length
          + " bytes exceeds the " + limits.maxMessageSize() + "-byte limit");
    }
    byte[] body = new byte[(int) length];
    int read = in.readNBytes(body, 0, body.length);
    if (read < length) {
      throw new ProtocolViolationException("stream ended inside a Bitswap message after "
          + read + " of " + length + " bytes");
    }
    return body;
  }

  /**
   * Decodes one message body.
   *
   * @throws ProtocolViolationException if the bytes are not a Bitswap message or break a limit
   */
  public BitswapMessage decode(byte[] body) {
    if (body.length > limits.maxMessageSize()) {
      throw new ProtocolViolationException("Bitswap message of " + body.length
          + " bytes exceeds the " + limits.maxMessageSize() + "-byte limit");
    }
    CodedInputStream in = CodedInputStream.newInstance(body);
    List<WantlistEntry> wants = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    List<BlockPresence> presences = new ArrayList<>();
    boolean full = false;
    int pendingBytes = 0;
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            int limit = enter(in, tag, "wantlist");
            full |= readWantlist(in, wants);
            in.popLimit(limit);
          }
          case 2 -> {
            expectLengthDelimited(tag, "blocks");
            byte[] data = readBlockData(in);
            blocks.add(new Block(CidPrefix.V0.cidOf(data), data));
          }
          case 3 -> {
            int limit = enter(in, tag, "payload");
            blocks.add(readPayload(in));
            in.popLimit(limit);
          }
          case 4 -> {
            if (presences.size() == limits.maxEntriesPerMessage()) {
              throw new ProtocolViolationException("Bitswap message has more than "
                  + limits.maxEntriesPerMessage() + " block presences");
            }
            int limit = enter(in, tag, "blockPresences");
            presences.add(readPresence(in));
            in.popLimit(limit);
          }
          case 5 -> {
            expectWireType(tag, WireFormat.WIRETYPE_VARINT, "pendingBytes");
            pendingBytes = Math.max(0, in.readInt32());
          }
          default -> in.skipField(tag);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed Bitswap message: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ProtocolViolationException("malformed Bitswap message: " + e.getMessage(), e);
    }
    return new BitswapMessage(wants, full, blocks, presences, pendingBytes);
  }

  private boolean readWantlist(CodedInputStream in, List<WantlistEntry> wants)
      throws IOException {
    boolean full = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          // Checked before the entry is read: a wantlist of 100,000 entries stops here.
          if (wants.size() == limits.maxEntriesPerMessage()) {
            throw new ProtocolViolationException("Bitswap wantlist has more than "
                + limits.maxEntriesPerMessage() + " entries");
          }
          int limit = enter(in, tag, "wantlist entry");
          wants.add(readEntry(in));
          in.popLimit(limit);
        }
        case 2 -> {
          expectWireType(tag, WireFormat.WIRETYPE_VARINT, "wantlist full");
          full = in.readBool();
        }
        default -> in.skipField(tag);
      }
    }
    return full;
  }

  private static WantlistEntry readEntry(CodedInputStream in) throws IOException {
    Cid cid = null;
    int priority = 0;
    boolean cancel = false;
    WantType type = WantType.BLOCK;
    boolean sendDontHave = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          expectLengthDelimited(tag, "entry block");
          cid = cid(in.readByteArray(), "wantlist entry");
        }
        case 2 -> {
          expectWireType(tag, WireFormat.WIRETYPE_VARINT, "entry priority");
          priority = in.readInt32();
        }
        case 3 -> {
          expectWireType(tag, WireFormat.WIRETYPE_VARINT, "entry cancel");
          cancel = in.readBool();
        }
        case 4 -> {
          expectWireType(tag, WireFormat.WIRETYPE_VARINT, "entry wantType");
          int value = in.readEnum();
          if (value != 0 && value != ENTRY_WANT_HAVE) {
            throw new ProtocolViolationException("unknown Bitswap want type " + value);
          }
          type = value == ENTRY_WANT_HAVE ? WantType.HAVE : WantType.BLOCK;
        }
        case 5 -> {
          expectWireType(tag, WireFormat.WIRETYPE_VARINT, "entry sendDontHave");
          sendDontHave = in.readBool();
        }
        default -> in.skipField(tag);
      }
    }
    if (cid == null) {
      throw new ProtocolViolationException("Bitswap wantlist entry without a CID");
    }
    return new WantlistEntry(cid, priority, cancel, type, sendDontHave);
  }

  private Block readPayload(CodedInputStream in) throws IOException {
    byte[] prefix = null;
    byte[] data = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          expectLengthDelimited(tag, "block prefix");
          prefix = in.readByteArray();
        }
        case 2 -> {
          expectLengthDelimited(tag, "block data");
          data = readBlockData(in);
        }
        default -> in.skipField(tag);
      }
    }
    if (prefix == null) {
      throw new ProtocolViolationException("Bitswap block without a CID prefix");
    }
    if (data == null) {
      data = new byte[0];
    }
    try {
      return new Block(CidPrefix.fromBytes(prefix).cidOf(data), data);
    } catch (IllegalArgumentException e) {
      throw new ProtocolViolationException("bad Bitswap block prefix: " + e.getMessage(), e);
    }
  }

  private static BlockPresence readPresence(CodedInputStream in) throws IOException {
    Cid cid = null;
    BlockPresence.Type type = BlockPresence.Type.HAVE;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          expectLengthDelimited(tag, "presence cid");
          cid = cid(in.readByteArray(), "block presence");
        }
        case 2 -> {
          expectWireType(tag, WireFormat.WIRETYPE_VARINT, "presence type");
          int value = in.readEnum();
          if (value != 0 && value != PRESENCE_DONT_HAVE) {
            throw new ProtocolViolationException("unknown Bitswap presence type " + value);
          }
          type = value == PRESENCE_DONT_HAVE
              ? BlockPresence.Type.DONT_HAVE : BlockPresence.Type.HAVE;
        }
        default -> in.skipField(tag);
      }
    }
    if (cid == null) {
      throw new ProtocolViolationException("Bitswap block presence without a CID");
    }
    return new BlockPresence(cid, type);
  }

  private byte[] readBlockData(CodedInputStream in) throws IOException {
    int length = in.readRawVarint32();
    if (length < 0 || length > limits.maxBlockSize()) {
      throw new ProtocolViolationException("Bitswap block of " + Integer.toUnsignedLong(length)
          + " bytes exceeds the " + limits.maxBlockSize() + "-byte limit");
    }
    return in.readRawBytes(length);
  }

  private static int enter(CodedInputStream in, int tag, String field) throws IOException {
    expectLengthDelimited(tag, field);
    int length = in.readRawVarint32();
    if (length < 0) {
      throw new ProtocolViolationException("negative length of Bitswap " + field);
    }
    return in.pushLimit(length);
  }

  private static Cid cid(byte[] bytes, String where) {
    try {
      return Cid.fromBytes(bytes);
    } catch (IllegalArgumentException e) {
      throw new ProtocolViolationException("bad CID in a Bitswap " + where + ": "
          + e.getMessage(), e);
    }
  }

  private static void expectLengthDelimited(int tag, String field) {
    expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
  }

  private static void expectWireType(int tag, int wireType, String field) {
    if (WireFormat.getTagWireType(tag) != wireType) {
      throw new ProtocolViolationException("Bitswap " + field + " has wire type "
          + WireFormat.getTagWireType(tag) + ", expected " + wireType);
    }
  }
}
