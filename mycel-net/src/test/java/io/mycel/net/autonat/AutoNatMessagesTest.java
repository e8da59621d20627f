package io.mycel.net.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.core.varint.Varint;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.autonat.AutoNatMessages.DialRequest;
import io.mycel.net.autonat.AutoNatMessages.DialResponse;
import io.mycel.net.autonat.AutoNatMessages.Status;
import io.mycel.net.autonat.pb.AutoNatProtos.Message;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoNatMessagesTest {

  private static final PeerId PEER = PeerId.fromPublicKey(Ed25519.generate().publicKey());
  private static final Multiaddr ADDRESS = Multiaddr.parse("/ip4/203.0.113.7/tcp/4001");

  @Test
  void requestRoundTrips() {
    DialRequest request = new DialRequest(PEER, List.of(ADDRESS, Multiaddr.parse("/ip6/::1/tcp/5")));

    assertThat(AutoNatMessages.decodeRequest(AutoNatMessages.encode(request))).isEqualTo(request);
  }

  @Test
  void responsesRoundTrip() {
    DialResponse ok = DialResponse.ok(ADDRESS);
    DialResponse refused = DialResponse.error(Status.DIAL_REFUSED, "too many");

    assertThat(AutoNatMessages.decodeResponse(AutoNatMessages.encode(ok))).isEqualTo(ok);
    assertThat(AutoNatMessages.decodeResponse(AutoNatMessages.encode(refused))).isEqualTo(refused);
  }

  @Test
  void framedMessageReadsBack() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] message = AutoNatMessages.encode(DialResponse.ok(ADDRESS));
    AutoNatMessages.write(out, message);

    byte[] read = AutoNatMessages.read(new ByteArrayInputStream(out.toByteArray()), 100);

    assertThat(read).isEqualTo(message);
  }

  @Test
  void garbageIsAProtocolViolation() {
    assertThatThrownBy(() -> AutoNatMessages.decodeRequest(new byte[] {(byte) 0xFF, 0x01, 0x02}))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("malformed AutoNAT message");
  }

  @Test
  void responseWhereARequestBelongsIsRejected() {
    byte[] response = AutoNatMessages.encode(DialResponse.ok(ADDRESS));

    assertThatThrownBy(() -> AutoNatMessages.decodeRequest(response))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("not a DIAL message");
  }

  @Test
  void requestWithoutPeerIdIsRejected() {
    byte[] bytes = Message.newBuilder().setType(Message.MessageType.DIAL)
        .setDial(Message.Dial.newBuilder()).build().toByteArray();

    assertThatThrownBy(() -> AutoNatMessages.decodeRequest(bytes))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("no peer id");
  }

  @Test
  void requestWithInvalidPeerIdIsRejected() {
    byte[] bytes = Message.newBuilder().setType(Message.MessageType.DIAL)
        .setDial(Message.Dial.newBuilder().setPeer(
            Message.PeerInfo.newBuilder().setId(ByteString.copyFromUtf8("not a multihash"))))
        .build().toByteArray();

    assertThatThrownBy(() -> AutoNatMessages.decodeRequest(bytes))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("invalid peer id");
  }

  @Test
  void undecodableAddressesAreSkippedAndTheRestKept() {
    byte[] bytes = Message.newBuilder().setType(Message.MessageType.DIAL)
        .setDial(Message.Dial.newBuilder().setPeer(Message.PeerInfo.newBuilder()
            .setId(ByteString.copyFrom(PEER.bytes()))
            .addAddrs(ByteString.copyFrom(new byte[] {(byte) 0xEE, 0x7F}))
            .addAddrs(ByteString.copyFrom(ADDRESS.bytes()))))
        .build().toByteArray();

    assertThat(AutoNatMessages.decodeRequest(bytes).addresses()).containsExactly(ADDRESS);
  }

  @Test
  void requestAddressesAreCapped() {
    Message.PeerInfo.Builder peer = Message.PeerInfo.newBuilder().setId(ByteString.copyFrom(PEER.bytes()));
    for (int i = 0; i < AutoNatMessages.MAX_ADDRESSES + 10; i++) {
      peer.addAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/203.0.113.7/tcp/" + (i + 1)).bytes()));
    }
    byte[] bytes = Message.newBuilder().setType(Message.MessageType.DIAL)
        .setDial(Message.Dial.newBuilder().setPeer(peer)).build().toByteArray();

    assertThat(AutoNatMessages.decodeRequest(bytes).addresses()).hasSize(AutoNatMessages.MAX_ADDRESSES);
  }

  @Test
  void responseWithoutStatusIsRejected() {
    byte[] bytes = Message.newBuilder().setType(Message.MessageType.DIAL_RESPONSE)
        .setDialResponse(Message.DialResponse.newBuilder()).build().toByteArray();

    assertThatThrownBy(() -> AutoNatMessages.decodeResponse(bytes))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("no status");
  }

  @Test
  void okResponseWithoutAddressIsRejected() {
    byte[] bytes = Message.newBuilder().setType(Message.MessageType.DIAL_RESPONSE)
        .setDialResponse(Message.DialResponse.newBuilder().setStatus(Message.ResponseStatus.OK))
        .build().toByteArray();

    assertThatThrownBy(() -> AutoNatMessages.decodeResponse(bytes))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("names no address");
  }

  @Test
  void oversizedLengthPrefixIsRejectedBeforeReading() {
    byte[] prefix = Varint.encode(AutoNatMessages.MAX_MESSAGE_SIZE + 1);

    assertThatThrownBy(() -> AutoNatMessages.read(new ByteArrayInputStream(prefix), AutoNatMessages.MAX_MESSAGE_SIZE))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("exceeds");
  }

  @Test
  void truncatedMessageIsRejected() {
    byte[] bytes = {10, 1, 2, 3};

    assertThatThrownBy(() -> AutoNatMessages.read(new ByteArrayInputStream(bytes), 100))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("after 3 of 10 bytes");
  }

  @Test
  void emptyStreamIsAClosedConnection() {
    assertThatThrownBy(() -> AutoNatMessages.read(new ByteArrayInputStream(new byte[0]), 100))
        .isInstanceOf(ConnectionClosedException.class);
  }
}
