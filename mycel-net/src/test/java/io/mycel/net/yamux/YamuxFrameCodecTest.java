package io.mycel.net.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.net.ProtocolViolationException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamuxFrameCodecTest {
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
  private static final int MAX_FRAME = 4096;

  private final YamuxFrameDecoder decoder = new YamuxFrameDecoder(MAX_FRAME, (id, flags) -> 1000);

  @Test
  void headerIsTwelveBigEndianBytes() {
    ByteBuf out = Unpooled.buffer();
    YamuxFrameEncoder.writeHeader(out, YamuxFrameType.WINDOW_UPDATE, YamuxFrame.FLAG_SYN | YamuxFrame.FLAG_FIN,
        0x01020304L, 0xA0B0C0D0L);
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    out.release();
    assertThat(bytes).containsExactly(0, 1, 0, 5, 1, 2, 3, 4, 0xA0 - 256, 0xB0 - 256, 0xC0 - 256, 0xD0 - 256);
  }

  @Test
  void everyFrameTypeRoundTrips() {
    List<YamuxFrame> frames = List.of(
        YamuxFrame.windowUpdate(7, YamuxFrame.FLAG_SYN, 12345),
        YamuxFrame.windowUpdate(YamuxFrame.MAX_UINT32, YamuxFrame.FLAG_RST, YamuxFrame.MAX_UINT32),
        YamuxFrame.ping(YamuxFrame.FLAG_ACK, YamuxFrame.MAX_UINT32),
        YamuxFrame.goAway(YamuxFrame.GO_AWAY_INTERNAL_ERROR));
    for (YamuxFrame frame : frames) {
      ByteBuf wire = YamuxFrameEncoder.encode(ALLOC, frame);
      YamuxFrame decoded = decodeOne(wire);
      assertThat(decoded).isEqualTo(frame);
    }
  }

  @Test
  void dataFrameRoundTripsWithoutCopyingThePayloadOnEncode() {
    ByteBuf payload = Unpooled.copiedBuffer(new byte[] {1, 2, 3, 4, 5});
    ByteBuf wire = YamuxFrameEncoder.encode(ALLOC, YamuxFrame.data(3, YamuxFrame.FLAG_FIN, payload));
    assertThat(wire.readableBytes()).isEqualTo(YamuxFrame.HEADER_LENGTH + 5);
    assertThat(wire.nioBufferCount()).isEqualTo(2);
    YamuxFrame decoded = decodeOne(wire);
    try {
      assertThat(decoded.type()).isEqualTo(YamuxFrameType.DATA);
      assertThat(decoded.streamId()).isEqualTo(3);
      assertThat(decoded.hasFlag(YamuxFrame.FLAG_FIN)).isTrue();
      assertThat(bytes(decoded.payload())).containsExactly(1, 2, 3, 4, 5);
    } finally {
      decoded.release();
    }
  }

  @Test
  void emptyDataFrameCarriesFlagsOnly() {
    ByteBuf wire = YamuxFrameEncoder.encode(ALLOC, YamuxFrame.data(9, YamuxFrame.FLAG_FIN, Unpooled.EMPTY_BUFFER));
    YamuxFrame decoded = decodeOne(wire);
    assertThat(decoded.length()).isZero();
    assertThat(decoded.payload().readableBytes()).isZero();
    assertThat(decoded.hasFlag(YamuxFrame.FLAG_FIN)).isTrue();
  }

  @Test
  void frameSplitAtEveryByteIsReassembled() {
    byte[] payload = new byte[300];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    ByteBuf wire = Unpooled.buffer();
    appendAndRelease(wire, YamuxFrameEncoder.encode(ALLOC, YamuxFrame.windowUpdate(1, YamuxFrame.FLAG_SYN, 0)));
    appendAndRelease(wire, YamuxFrameEncoder.encode(ALLOC,
        YamuxFrame.data(1, 0, Unpooled.wrappedBuffer(payload))));
    appendAndRelease(wire, YamuxFrameEncoder.encode(ALLOC, YamuxFrame.ping(YamuxFrame.FLAG_SYN, 42)));

    List<YamuxFrame> frames = new ArrayList<>();
    while (wire.isReadable()) {
      ByteBuf one = wire.readRetainedSlice(1);
      YamuxFrame frame = decoder.decode(ALLOC, one);
      assertThat(one.isReadable()).isFalse();
      one.release();
      if (frame != null) {
        frames.add(frame);
      }
    }
    wire.release();
    assertThat(frames).extracting(YamuxFrame::type)
        .containsExactly(YamuxFrameType.WINDOW_UPDATE, YamuxFrameType.DATA, YamuxFrameType.PING);
    assertThat(bytes(frames.get(1).payload())).isEqualTo(payload);
    assertThat(frames.get(2).length()).isEqualTo(42);
    frames.forEach(YamuxFrame::release);
  }

  @Test
  void severalFramesInOneBufferComeOutOneByOne() {
    ByteBuf wire = Unpooled.buffer();
    appendAndRelease(wire, YamuxFrameEncoder.encode(ALLOC, YamuxFrame.ping(YamuxFrame.FLAG_SYN, 1)));
    appendAndRelease(wire, YamuxFrameEncoder.encode(ALLOC, YamuxFrame.ping(YamuxFrame.FLAG_SYN, 2)));
    assertThat(decoder.decode(ALLOC, wire).length()).isEqualTo(1);
    assertThat(wire.readableBytes()).isEqualTo(YamuxFrame.HEADER_LENGTH);
    assertThat(decoder.decode(ALLOC, wire).length()).isEqualTo(2);
    assertThat(decoder.decode(ALLOC, wire)).isNull();
    wire.release();
  }

  @Test
  void dataFrameOfExactlyTheMaxFrameSizeIsAccepted() {
    YamuxFrameDecoder wide = new YamuxFrameDecoder(MAX_FRAME, (id, flags) -> Long.MAX_VALUE);
    ByteBuf wire = dataFrame(5, MAX_FRAME);
    YamuxFrame frame = wide.decode(ALLOC, wire);
    wire.release();
    assertThat(frame.length()).isEqualTo(MAX_FRAME);
    frame.release();
  }

  @Test
  void dataFrameOverTheMaxFrameSizeIsRejectedBeforeItsPayload() {
    YamuxFrameDecoder wide = new YamuxFrameDecoder(MAX_FRAME, (id, flags) -> Long.MAX_VALUE);
    ByteBuf header = header(0, YamuxFrameType.DATA.code(), 0, 5, MAX_FRAME + 1);
    assertThatThrownBy(() -> wide.decode(ALLOC, header))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("exceeds the maximum frame size of " + MAX_FRAME);
    header.release();
  }

  @Test
  void dataFrameFillingTheReceiveWindowExactlyIsAccepted() {
    ByteBuf wire = dataFrame(5, 1000);
    YamuxFrame frame = decoder.decode(ALLOC, wire);
    wire.release();
    assertThat(frame.length()).isEqualTo(1000);
    frame.release();
  }

  @Test
  void dataFrameOverTheReceiveWindowIsRejected() {
    ByteBuf header = header(0, YamuxFrameType.DATA.code(), 0, 5, 1001);
    assertThatThrownBy(() -> decoder.decode(ALLOC, header))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("exceeds its receive window of 1000 bytes");
    header.release();
  }

  @Test
  void receiveWindowIsAskedWithTheStreamAndFlags() {
    List<String> asked = new ArrayList<>();
    YamuxFrameDecoder recording = new YamuxFrameDecoder(MAX_FRAME, (id, flags) -> {
      asked.add(id + "/" + flags);
      return 10;
    });
    ByteBuf wire = YamuxFrameEncoder.encode(ALLOC,
        YamuxFrame.data(77, YamuxFrame.FLAG_SYN, Unpooled.wrappedBuffer(new byte[3])));
    recording.decode(ALLOC, wire).release();
    wire.release();
    assertThat(asked).containsExactly("77/1");
  }

  @Test
  void unknownVersionIsRejected() {
    ByteBuf header = header(1, 0, 0, 1, 0);
    assertThatThrownBy(() -> decoder.decode(ALLOC, header))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("unsupported yamux version 1");
    header.release();
  }

  @Test
  void unknownTypeIsRejected() {
    ByteBuf header = header(0, 4, 0, 1, 0);
    assertThatThrownBy(() -> decoder.decode(ALLOC, header))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("unknown yamux frame type 4");
    header.release();
  }

  @Test
  void pingOnAStreamIsRejected() {
    ByteBuf header = header(0, YamuxFrameType.PING.code(), YamuxFrame.FLAG_SYN, 3, 0);
    assertThatThrownBy(() -> decoder.decode(ALLOC, header))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("PING frame on stream 3");
    header.release();
  }

  @Test
  void dataOnTheSessionIdIsRejected() {
    ByteBuf header = header(0, YamuxFrameType.DATA.code(), 0, 0, 0);
    assertThatThrownBy(() -> decoder.decode(ALLOC, header))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("session stream id 0");
    header.release();
  }

  @Test
  void windowUpdateOnTheSessionIdIsRejected() {
    ByteBuf header = header(0, YamuxFrameType.WINDOW_UPDATE.code(), 0, 0, 5);
    assertThatThrownBy(() -> decoder.decode(ALLOC, header))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("session stream id 0");
    header.release();
  }

  @Test
  void partialPayloadIsReleasedWithTheDecoder() {
    ByteBuf wire = dataFrame(5, 500);
    ByteBuf part = wire.readRetainedSlice(YamuxFrame.HEADER_LENGTH + 100);
    assertThat(decoder.decode(ALLOC, part)).isNull();
    part.release();
    wire.release();
    decoder.release();
  }

  @Test
  void frameRecordRejectsInconsistentFields() {
    assertThatThrownBy(() -> YamuxFrame.ping(0, YamuxFrame.MAX_UINT32 + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new YamuxFrame(YamuxFrameType.GO_AWAY, 0, 3, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new YamuxFrame(YamuxFrameType.DATA, 0, 3, 0, null))
        .isInstanceOf(NullPointerException.class);
  }

  private YamuxFrame decodeOne(ByteBuf wire) {
    YamuxFrameDecoder unlimited = new YamuxFrameDecoder(MAX_FRAME, (id, flags) -> Long.MAX_VALUE);
    YamuxFrame frame = unlimited.decode(ALLOC, wire);
    assertThat(wire.isReadable()).isFalse();
    wire.release();
    return frame;
  }

  private static ByteBuf dataFrame(long streamId, int length) {
    return YamuxFrameEncoder.encode(ALLOC, YamuxFrame.data(streamId, 0, Unpooled.wrappedBuffer(new byte[length])));
  }

  private static ByteBuf header(int version, int type, int flags, long streamId, long length) {
    ByteBuf buf = Unpooled.buffer(YamuxFrame.HEADER_LENGTH);
    buf.writeByte(version).writeByte(type).writeShort(flags).writeInt((int) streamId).writeInt((int) length);
    return buf;
  }

  private static void appendAndRelease(ByteBuf target, ByteBuf source) {
    target.writeBytes(source);
    source.release();
  }

  private static byte[] bytes(ByteBuf buf) {
    byte[] out = new byte[buf.readableBytes()];
    buf.getBytes(buf.readerIndex(), out);
    return out;
  }
}
