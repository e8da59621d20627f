package io.mycel.routing.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mycel.core.varint.Varint;
import io.mycel.net.ProtocolViolationException;
import io.mycel.routing.kad.pb.KadProtos.Message;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class KadCodecTest {

  private final KadCodec codec = new KadCodec(KadConfig.DEFAULT_MAX_MESSAGE_SIZE);

  @Test
  void roundTripsSeveralMessagesOnOneStream() throws Exception {
    Message a =
        Message.newBuilder()
            .setType(Message.MessageType.FIND_NODE)
            .setKey(ByteString.copyFromUtf8("k"))
            .build();
    Message b = Message.newBuilder().setType(Message.MessageType.PING).build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    codec.write(out, a);
    codec.write(out, b);
    InputStream in = new ByteArrayInputStream(out.toByteArray());
    assertThat(codec.read(in)).contains(a);
    assertThat(codec.read(in)).contains(b);
    assertThat(codec.read(in)).isEmpty();
  }

  @Test
  void rejectsOversizedLengthBeforeReadingTheBody() {
    byte[] prefix = Varint.encode(KadConfig.DEFAULT_MAX_MESSAGE_SIZE + 1L);
    InputStream in =
        new InputStream() {
          int i;

          @Override
          public int read() {
            if (i >= prefix.length) {
              throw new AssertionError("read past the length prefix");
            }
            return prefix[i++] & 0xff;
          }
        };
    assertThatThrownBy(() -> codec.read(in))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("exceeds the limit");
  }

  @Test
  void acceptsMessageOfExactlyTheLimit() throws Exception {
    Message m =
        Message.newBuilder()
            .setType(Message.MessageType.GET_VALUE)
            .setKey(ByteString.copyFrom(new byte[100]))
            .build();
    KadCodec exact = new KadCodec(m.getSerializedSize());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exact.write(out, m);
    assertThat(exact.read(new ByteArrayInputStream(out.toByteArray()))).contains(m);
    KadCodec smaller = new KadCodec(m.getSerializedSize() - 1);
    assertThatThrownBy(() -> smaller.read(new ByteArrayInputStream(out.toByteArray())))
        .isInstanceOf(ProtocolViolationException.class);
  }

  @Test
  void rejectsGarbageProtobuf() {
    byte[] frame = {5, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(frame)))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("malformed");
  }

  @Test
  void rejectsTruncatedMessage() {
    byte[] frame = {10, 8, 4};
    assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(frame)))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("ended after 2 of 10");
  }

  @Test
  void rejectsOverlongLengthVarint() {
    byte[] frame = new byte[12];
    java.util.Arrays.fill(frame, (byte) 0x80);
    assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(frame)))
        .isInstanceOf(ProtocolViolationException.class);
  }
}
