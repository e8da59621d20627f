package io.mycel.net.dcutr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.varint.Varint;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.dcutr.DcutrMessages.Message;
import io.mycel.net.dcutr.pb.HolePunchProtos.HolePunch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class DcutrMessagesTest {

  private static final Multiaddr ADDRESS = Multiaddr.parse("/ip4/203.0.113.2/tcp/4001");

  private static Message roundTrip(Message message) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DcutrMessages.write(out, message);
    return DcutrMessages.read(new ByteArrayInputStream(out.toByteArray()));
  }

  @Test
  void connectAndSyncRoundTrip() throws Exception {
    Message connect = Message.connect(List.of(ADDRESS, Multiaddr.parse("/ip6/2001:db8::1/tcp/4001")));

    assertThat(roundTrip(connect)).isEqualTo(connect);
    assertThat(roundTrip(Message.SYNC)).isEqualTo(Message.SYNC);
  }

  @Test
  void garbageIsAProtocolViolation() {
    assertThatThrownBy(() -> DcutrMessages.decode(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01}))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("malformed DCUtR message");
  }

  @Test
  void messageWithoutTypeIsRejected() {
    byte[] bytes = HolePunch.newBuilder().addObsAddrs(ByteString.copyFrom(ADDRESS.bytes())).build().toByteArray();

    assertThatThrownBy(() -> DcutrMessages.decode(bytes))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("no (known) type");
  }

  @Test
  void unknownTypeIsRejected() {
    byte[] bytes = {0x08, (byte) 0xC8, 0x01};

    assertThatThrownBy(() -> DcutrMessages.decode(bytes))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("no (known) type");
  }

  @Test
  void oversizedMessageIsRejectedBeforeItIsRead() {
    byte[] prefix = Varint.encode(DcutrMessages.MAX_MESSAGE_SIZE + 1);

    assertThatThrownBy(() -> DcutrMessages.read(new ByteArrayInputStream(prefix)))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("exceeds the 4096-byte limit");
  }

  @Test
  void overlongLengthPrefixIsRejected() {
    byte[] prefix = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
        (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00};

    assertThatThrownBy(() -> DcutrMessages.read(new ByteArrayInputStream(prefix)))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("too long");
  }

  @Test
  void truncatedMessageIsRejected() {
    assertThatThrownBy(() -> DcutrMessages.read(new ByteArrayInputStream(new byte[] {20, 8, 100})))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("after 2 of 20 bytes");
  }

  @Test
  void emptyStreamIsAClosedConnection() {
    assertThatThrownBy(() -> DcutrMessages.read(new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(ConnectionClosedException.class);
  }

  @Test
  void undecodableAddressesAreSkippedAndTooManyCapped() {
    HolePunch.Builder builder = HolePunch.newBuilder().setType(HolePunch.Type.CONNECT)
        .addObsAddrs(ByteString.copyFrom(new byte[] {(byte) 0xEE, 0x7F}));
    for (int i = 1; i <= DcutrMessages.MAX_ADDRESSES + 5; i++) {
      builder.addObsAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/203.0.113.2/tcp/" + i).bytes()));
    }

    Message message = DcutrMessages.decode(builder.build().toByteArray());

    assertThat(message.addresses()).hasSize(DcutrMessages.MAX_ADDRESSES);
    assertThat(message.addresses().get(0)).isEqualTo(Multiaddr.parse("/ip4/203.0.113.2/tcp/1"));
  }
}
