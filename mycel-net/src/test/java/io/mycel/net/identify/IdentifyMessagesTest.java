package io.mycel.net.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PublicKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.PeerStore;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.identify.pb.IdentifyProtos.Identify;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentifyMessagesTest {

  private final PublicKey key = Ed25519.generate().publicKey();
  private final Multiaddr tcp = Multiaddr.parse("/ip4/192.0.2.7/tcp/4101");
  private final Multiaddr observed = Multiaddr.parse("/ip4/198.51.100.1/tcp/50000");

  @Test
  void encodeDecodeRoundTrip() {
    IdentifyInfo info =
        new IdentifyInfo(
            "ipfs/0.1.0", "mycel/0.1.0", key, List.of(tcp), observed, List.of("/ipfs/id/1.0.0"));

    IdentifyInfo decoded = IdentifyMessages.decode(IdentifyMessages.encode(info));

    assertThat(decoded.protocolVersion()).isEqualTo("ipfs/0.1.0");
    assertThat(decoded.agentVersion()).isEqualTo("mycel/0.1.0");
    assertThat(decoded.publicKey().marshal()).isEqualTo(key.marshal());
    assertThat(decoded.listenAddresses()).containsExactly(tcp);
    assertThat(decoded.observedAddress()).isEqualTo(observed);
    assertThat(decoded.protocols()).containsExactly("/ipfs/id/1.0.0");
  }

  @Test
  void encodedFieldsUseTheSpecFieldNumbers() throws Exception {
    byte[] encoded =
        IdentifyMessages.encode(
            new IdentifyInfo("ipfs/0.1.0", "mycel/0.1.0", key, List.of(tcp), observed, List.of("/p")));

    Identify message = Identify.parseFrom(encoded);
    assertThat(message.getPublicKey().toByteArray()).isEqualTo(key.marshal());
    assertThat(message.getListenAddrs(0).toByteArray()).isEqualTo(tcp.bytes());
    assertThat(message.getObservedAddr().toByteArray()).isEqualTo(observed.bytes());
    // protocolVersion is field 5, a length-delimited field: tag (5 << 3) | 2 = 0x2a.
    assertThat(encoded).contains(0x2a);
  }

  @Test
  void absentFieldsDecodeAsNullOrEmpty() {
    IdentifyInfo decoded = IdentifyMessages.decode(new byte[0]);

    assertThat(decoded.protocolVersion()).isNull();
    assertThat(decoded.agentVersion()).isNull();
    assertThat(decoded.publicKey()).isNull();
    assertThat(decoded.listenAddresses()).isEmpty();
    assertThat(decoded.observedAddress()).isNull();
    assertThat(decoded.protocols()).isEmpty();
  }

  @Test
  void undecodableAddressesAndKeyAreSkipped() {
    byte[] message =
        Identify.newBuilder()
            .addListenAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x7f, 1}))
            .addListenAddrs(ByteString.copyFrom(tcp.bytes()))
            .setObservedAddr(ByteString.copyFrom(new byte[] {4, 1}))
            .setPublicKey(ByteString.copyFrom(new byte[] {8, 9, 18, 0}))
            .setAgentVersion("go-libp2p/0.36.0")
            .build()
            .toByteArray();

    IdentifyInfo decoded = IdentifyMessages.decode(message);

    assertThat(decoded.listenAddresses()).containsExactly(tcp);
    assertThat(decoded.observedAddress()).isNull();
    assertThat(decoded.publicKey()).isNull();
    assertThat(decoded.agentVersion()).isEqualTo("go-libp2p/0.36.0");
  }

  @Test
  void malformedProtobufIsViolation() {
    assertThatThrownBy(() -> IdentifyMessages.decode(new byte[] {0x0a, 0x10, 1}))
        .isInstanceOf(ProtocolViolationException.class);
  }

  @Test
  void readTakesExactlyOneMessage() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    IdentifyMessages.write(out, new byte[] {1, 2, 3});
    out.write(new byte[] {9, 9});
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());

    assertThat(IdentifyMessages.read(in, 100)).containsExactly(1, 2, 3);
    assertThat(in.available()).isEqualTo(2);
  }

  @Test
  void readRejectsALengthOverTheLimitBeforeReadingTheBody() {
    // varint 300 = 0xac 0x02; no body follows.
    ByteArrayInputStream in = new ByteArrayInputStream(new byte[] {(byte) 0xac, 0x02});

    assertThatThrownBy(() -> IdentifyMessages.read(in, 256))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("256-byte limit");
  }

  @Test
  void readOfTruncatedMessageIsViolation() {
    ByteArrayInputStream in = new ByteArrayInputStream(new byte[] {5, 1, 2});

    assertThatThrownBy(() -> IdentifyMessages.read(in, 256))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("after 2 of 5 bytes");
  }

  @Test
  void readOfEmptyStreamIsConnectionClosed() {
    assertThatThrownBy(() -> IdentifyMessages.read(new ByteArrayInputStream(new byte[0]), 256))
        .isInstanceOf(ConnectionClosedException.class);
  }

  @Test
  void mergeReplacesAnnouncedFieldsAndKeepsTheRest() {
    PeerId peer = PeerId.fromPublicKey(key);
    Multiaddr dialed = Multiaddr.parse("/ip4/203.0.113.9/tcp/4001");
    PeerStore.PeerInfo known =
        new PeerStore.PeerInfo(peer, List.of(dialed), List.of("/old"), "old-agent", "ipfs/0.1.0", key, null);
    IdentifyInfo push = new IdentifyInfo(null, "new-agent", null, List.of(tcp), null, List.of());

    PeerStore.PeerInfo merged = push.mergeInto(peer, known);

    assertThat(merged.addresses()).containsExactly(tcp, dialed);
    assertThat(merged.protocols()).containsExactly("/old");
    assertThat(merged.agentVersion()).isEqualTo("new-agent");
    assertThat(merged.protocolVersion()).isEqualTo("ipfs/0.1.0");
    assertThat(merged.publicKey()).isSameAs(key);
  }
}
