package io.mycel.content.bitswap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import io.mycel.content.bitswap.pb.BitswapProtos.Message;
import io.mycel.content.blockstore.Block;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import io.mycel.core.varint.Varint;
import io.mycel.net.ProtocolViolationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BitswapCodecTest {

  private final BitswapCodec codec = new BitswapCodec(BitswapLimits.DEFAULT);

  private static Block raw(String text) {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    return new Block(Cid.v1(Multicodec.RAW, Multihash.sha2_256(data)), data);
  }

  private static Block dagPbV0(String text) {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    return new Block(Cid.v0(Multihash.sha2_256(data)), data);
  }

  private BitswapMessage roundTrip(BitswapMessage message, BitswapVersion version)
      throws IOException {
    byte[] framed = codec.encodeFramed(message, version);
    InputStream in = new ByteArrayInputStream(framed);
    byte[] body = codec.readFrame(in);
    assertThat(in.read()).isEqualTo(-1);
    return codec.decode(body);
  }

  @Test
  void version120CarriesEverything() throws IOException {
    Block a = raw("a");
    Block b = dagPbV0("b");
    BitswapMessage message = new BitswapMessage(
        List.of(WantlistEntry.wantHave(a.cid(), true), WantlistEntry.wantBlock(b.cid(), false),
            WantlistEntry.cancel(raw("c").cid()).withPriority(7)),
        true,
        List.of(a, b),
        List.of(BlockPresence.have(a.cid()), BlockPresence.dontHave(b.cid())),
        1234);

    assertThat(roundTrip(message, BitswapVersion.V1_2_0)).isEqualTo(message);
  }

  @Test
  void version110DropsWantTypesAndPresences() throws IOException {
    Block a = raw("a");
    BitswapMessage message = new BitswapMessage(
        List.of(WantlistEntry.wantBlock(a.cid(), true)), false, List.of(a),
        List.of(BlockPresence.have(a.cid())), 5);

    BitswapMessage decoded = roundTrip(message, BitswapVersion.V1_1_0);

    assertThat(decoded.wantlist()).containsExactly(
        new WantlistEntry(a.cid(), 1, false, WantType.BLOCK, false));
    assertThat(decoded.blocks()).containsExactly(a);
    assertThat(decoded.presences()).isEmpty();
    assertThat(decoded.pendingBytes()).isZero();
  }

  @Test
  void version100SendsBlocksWithoutPrefixesAsCidV0() throws IOException {
    Block b = dagPbV0("legacy");
    byte[] body = codec.encode(BitswapMessage.response(List.of(b), List.of()),
        BitswapVersion.V1_0_0);

    Message proto = Message.parseFrom(body);
    assertThat(proto.getBlocksCount()).isEqualTo(1);
    assertThat(proto.getPayloadCount()).isZero();
    assertThat(codec.decode(body).blocks()).containsExactly(b);
  }

  @Test
  void blockCidIsComputedFromPrefixAndBytes() {
    Block wanted = raw("the real bytes");
    Message proto = Message.newBuilder()
        .addPayload(Message.Block.newBuilder()
            .setPrefix(com.google.protobuf.ByteString.copyFrom(CidPrefix.of(wanted.cid()).bytes()))
            .setData(com.google.protobuf.ByteString.copyFromUtf8("other bytes")))
        .build();

    Block decoded = codec.decode(proto.toByteArray()).blocks().get(0);

    assertThat(decoded.cid()).isNotEqualTo(wanted.cid());
    assertThat(decoded.cid().codec()).isEqualTo(Multicodec.RAW);
    assertThat(decoded.cid().multihash()).isEqualTo(Multihash.sha2_256(decoded.data()));
  }

  @Test
  void emptyBodyIsAnEmptyMessage() {
    assertThat(codec.decode(new byte[0]).isEmpty()).isTrue();
  }

  @Test
  void cleanEndBeforeAMessageReadsAsNull() throws IOException {
    assertThat(codec.readFrame(new ByteArrayInputStream(new byte[0]))).isNull();
  }

  @Test
  void lengthPrefixOverTheLimitIsRefusedBeforeReadingTheBody() {
    byte[] prefix = Varint.encode(BitswapLimits.DEFAULT_MAX_MESSAGE_SIZE + 1);
    CountingInput in = new CountingInput(prefix, 10_000);

    assertThatThrownBy(() -> codec.readFrame(in))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("4194305 bytes exceeds the 4194304-byte limit");
    assertThat(in.read).isEqualTo(prefix.length);
  }

  @Test
  void messageAtTheLimitIsRead() throws IOException {
    byte[] body = new byte[BitswapLimits.DEFAULT_MAX_MESSAGE_SIZE];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Varint.encode(body.length));
    out.writeBytes(body);

    assertThat(codec.readFrame(new ByteArrayInputStream(out.toByteArray()))).hasSize(body.length);
  }

  @Test
  void streamEndingInsideAMessageIsAViolation() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Varint.encode(100));
    out.writeBytes(new byte[40]);

    assertThatThrownBy(() -> codec.readFrame(new ByteArrayInputStream(out.toByteArray())))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("after 40 of 100 bytes");
  }

  @Test
  void streamEndingInsideALengthPrefixIsAViolation() {
    assertThatThrownBy(() -> codec.readFrame(new ByteArrayInputStream(new byte[] {(byte) 0x80})))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("inside a Bitswap length prefix");
  }

  @Test
  void overlongLengthPrefixIsAViolation() {
    byte[] prefix = new byte[12];
    java.util.Arrays.fill(prefix, (byte) 0x80);

    assertThatThrownBy(() -> codec.readFrame(new ByteArrayInputStream(prefix)))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("longer than 9 bytes");
  }

  @Test
  void blockOverTheBlockLimitIsRefused() {
    byte[] big = new byte[BitswapLimits.DEFAULT_MAX_BLOCK_SIZE + 1];
    byte[] body = Message.newBuilder()
        .addPayload(Message.Block.newBuilder()
            .setPrefix(com.google.protobuf.ByteString.copyFrom(CidPrefix.V0.bytes()))
            .setData(com.google.protobuf.ByteString.copyFrom(big)))
        .build().toByteArray();

    assertThatThrownBy(() -> codec.decode(body))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("block of 2097153 bytes exceeds the 2097152-byte limit");
  }

  @Test
  void blockAtTheBlockLimitIsAccepted() {
    byte[] big = new byte[BitswapLimits.DEFAULT_MAX_BLOCK_SIZE];
    byte[] body = Message.newBuilder()
        .addBlocks(com.google.protobuf.ByteString.copyFrom(big)).build().toByteArray();

    assertThat(codec.decode(body).blocks().get(0).size()).isEqualTo(big.length);
  }

  @Test
  void wantlistAtTheEntryLimitIsAccepted() {
    assertThat(codec.decode(wantlistBody(1024)).wantlist()).hasSize(1024);
  }

  @Test
  void wantlistOneOverTheEntryLimitIsRefused() {
    assertThatThrownBy(() -> codec.decode(wantlistBody(1025)))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("wantlist has more than 1024 entries");
  }

  @Test
  void hundredThousandEntryWantlistIsRefusedWithoutAllocatingPerEntry() {
    byte[] body = wantlistBody(100_000);
    assertThat(body.length).isLessThan(BitswapLimits.DEFAULT_MAX_MESSAGE_SIZE);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    codec.decode(wantlistBody(10)); // warm up class loading
    long before = threads.getThreadAllocatedBytes(id);

    assertThatThrownBy(() -> codec.decode(body))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("more than 1024 entries");

    long allocated = threads.getThreadAllocatedBytes(id) - before;
    // 1,024 decoded entries cost a few hundred KiB; 100,000 would cost tens of MiB.
    assertThat(allocated).isLessThan(4L * 1024 * 1024);
  }

  @Test
  void wantlistSplitOverSeveralFieldsCountsAllEntries() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(wantlistBody(600));
    out.writeBytes(wantlistBody(600));

    assertThatThrownBy(() -> codec.decode(out.toByteArray()))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("more than 1024 entries");
  }

  @Test
  void presencesOverTheLimitAreRefused() {
    Message.Builder message = Message.newBuilder();
    Cid cid = raw("p").cid();
    for (int i = 0; i < 1025; i++) {
      message.addBlockPresences(Message.BlockPresence.newBuilder()
          .setCid(com.google.protobuf.ByteString.copyFrom(cid.bytes())));
    }

    assertThatThrownBy(() -> codec.decode(message.build().toByteArray()))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("more than 1024 block presences");
  }

  @Test
  void truncatedProtobufIsAViolation() {
    byte[] body = codec.encode(BitswapMessage.response(List.of(raw("x")), List.of()),
        BitswapVersion.V1_2_0);

    assertThatThrownBy(() -> codec.decode(java.util.Arrays.copyOf(body, body.length - 1)))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("malformed Bitswap message");
  }

  @Test
  void wrongWireTypeIsAViolation() {
    byte[] body = {0x08, 0x01}; // field 1 (wantlist) as a varint

    assertThatThrownBy(() -> codec.decode(body))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("wantlist has wire type 0");
  }

  @Test
  void entryWithoutCidIsAViolation() {
    byte[] body = Message.newBuilder()
        .setWantlist(Message.Wantlist.newBuilder()
            .addEntries(Message.Wantlist.Entry.newBuilder().setPriority(3)))
        .build().toByteArray();

    assertThatThrownBy(() -> codec.decode(body))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("entry without a CID");
  }

  @Test
  void entryWithABadCidIsAViolation() {
    byte[] body = Message.newBuilder()
        .setWantlist(Message.Wantlist.newBuilder()
            .addEntries(Message.Wantlist.Entry.newBuilder()
                .setBlock(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3}))))
        .build().toByteArray();

    assertThatThrownBy(() -> codec.decode(body))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("bad CID in a Bitswap wantlist entry");
  }

  @Test
  void unknownWantTypeIsAViolation() {
    byte[] body = Message.newBuilder()
        .setWantlist(Message.Wantlist.newBuilder()
            .addEntries(Message.Wantlist.Entry.newBuilder()
                .setBlock(com.google.protobuf.ByteString.copyFrom(raw("w").cid().bytes()))
                .setWantTypeValue(5)))
        .build().toByteArray();

    assertThatThrownBy(() -> codec.decode(body))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("unknown Bitswap want type 5");
  }

  @Test
  void prefixWithAnUnsupportedHashIsAViolation() {
    byte[] prefix = new CidPrefix(1, Multicodec.RAW, 0xb220, 32).bytes(); // blake2b-256
    byte[] body = Message.newBuilder()
        .addPayload(Message.Block.newBuilder()
            .setPrefix(com.google.protobuf.ByteString.copyFrom(prefix))
            .setData(com.google.protobuf.ByteString.copyFromUtf8("x")))
        .build().toByteArray();

    assertThatThrownBy(() -> codec.decode(body))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("unsupported hash function 0xb220");
  }

  @Test
  void blockWithoutPrefixIsAViolation() {
    byte[] body = Message.newBuilder()
        .addPayload(Message.Block.newBuilder()
            .setData(com.google.protobuf.ByteString.copyFromUtf8("x")))
        .build().toByteArray();

    assertThatThrownBy(() -> codec.decode(body))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("without a CID prefix");
  }

  @Test
  void unknownFieldsAreSkipped() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    coded.writeString(9, "future field");
    coded.flush();
    out.writeBytes(codec.encode(BitswapMessage.response(List.of(raw("k")), List.of()),
        BitswapVersion.V1_2_0));

    assertThat(codec.decode(out.toByteArray()).blocks()).containsExactly(raw("k"));
  }

  @Test
  void encodingOverTheMessageLimitIsRefused() {
    BitswapCodec small = new BitswapCodec(new BitswapLimits(2048, 2048, 1024, 4096));
    Block block = new Block(Cid.v1(Multicodec.RAW, Multihash.sha2_256(new byte[3000])),
        new byte[3000]);

    assertThatThrownBy(() -> small.encodeFramed(BitswapMessage.response(List.of(block),
        List.of()), BitswapVersion.V1_2_0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the 2048-byte limit");
  }

  /** A message whose wantlist has {@code n} entries of a 5-byte identity CID. */
  static byte[] wantlistBody(int n) {
    try {
      Cid cid = Cid.v1(Multicodec.RAW, Multihash.identity(new byte[] {7}));
      byte[] cidBytes = cid.bytes();
      ByteArrayOutputStream entries = new ByteArrayOutputStream();
      CodedOutputStream e = CodedOutputStream.newInstance(entries);
      int entrySize = CodedOutputStream.computeByteArraySize(1, cidBytes);
      for (int i = 0; i < n; i++) {
        e.writeTag(1, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
        e.writeUInt32NoTag(entrySize);
        e.writeByteArray(1, cidBytes);
      }
      e.flush();
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      CodedOutputStream m = CodedOutputStream.newInstance(message);
      m.writeByteArray(1, entries.toByteArray());
      m.flush();
      return message.toByteArray();
    } catch (IOException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** Counts the bytes taken from it; the rest of the stream is zeros. */
  private static final class CountingInput extends InputStream {
    private final byte[] head;
    private final int length;
    int read;

    CountingInput(byte[] head, int length) {
      this.head = head;
      this.length = length;
    }

    @Override
    public int read() {
      if (read >= length) {
        return -1;
      }
      int b = read < head.length ? head[read] & 0xFF : 0;
      read++;
      return b;
    }
  }
}
