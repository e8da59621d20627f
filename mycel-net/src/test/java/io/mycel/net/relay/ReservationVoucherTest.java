package io.mycel.net.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.peer.PeerId;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.relay.pb.CircuitProtos.Envelope;
import org.junit.jupiter.api.Test;

class ReservationVoucherTest {
  private final PrivateKey relayKey = Ed25519.generate();
  private final PeerId relay = PeerId.fromPublicKey(relayKey.publicKey());
  private final PeerId peer = PeerId.fromPublicKey(Ed25519.generate().publicKey());

  @Test
  void aSealedVoucherOpensToTheSameVoucher() {
    ReservationVoucher voucher = new ReservationVoucher(relay, peer, 1_900_000_000L);

    assertThat(ReservationVoucher.open(voucher.seal(relayKey))).isEqualTo(voucher);
  }

  @Test
  void theEnvelopeCarriesTheRelayPayloadType() throws Exception {
    Envelope envelope = Envelope.parseFrom(new ReservationVoucher(relay, peer, 5).seal(relayKey));

    assertThat(envelope.getPayloadType().toByteArray()).containsExactly(0x03, 0x02);
  }

  @Test
  void aVoucherSignedByAnotherKeyIsRejected() throws Exception {
    PrivateKey other = Ed25519.generate();
    PeerId otherRelay = PeerId.fromPublicKey(other.publicKey());
    byte[] sealed = new ReservationVoucher(otherRelay, peer, 5).seal(other);
    // Swap the payload for one that names our relay, keeping the other key's signature.
    byte[] forged = new ReservationVoucher(relay, peer, 5).seal(relayKey);
    Envelope mixed = Envelope.parseFrom(sealed).toBuilder()
        .setPayload(Envelope.parseFrom(forged).getPayload())
        .build();

    assertThatThrownBy(() -> ReservationVoucher.open(mixed.toByteArray()))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("signature");
  }

  @Test
  void aVoucherNamingARelayOtherThanItsSignerIsRejected() throws Exception {
    PrivateKey other = Ed25519.generate();
    byte[] sealed = new ReservationVoucher(PeerId.fromPublicKey(other.publicKey()), peer, 5).seal(other);
    Envelope envelope = Envelope.parseFrom(sealed);
    byte[] payload = io.mycel.net.relay.pb.CircuitProtos.Voucher.parseFrom(envelope.getPayload())
        .toBuilder().setRelay(ByteString.copyFrom(relay.bytes())).build().toByteArray();
    byte[] resigned = resign(envelope, payload, other);

    assertThatThrownBy(() -> ReservationVoucher.open(resigned))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("signed by another key");
  }

  @Test
  void aTamperedPayloadIsRejected() throws Exception {
    Envelope envelope = Envelope.parseFrom(new ReservationVoucher(relay, peer, 5).seal(relayKey));
    byte[] payload = envelope.getPayload().toByteArray();
    payload[payload.length - 1] ^= 1;

    assertThatThrownBy(() -> ReservationVoucher.open(
        envelope.toBuilder().setPayload(ByteString.copyFrom(payload)).build().toByteArray()))
        .isInstanceOf(ProtocolViolationException.class);
  }

  @Test
  void aWrongPayloadTypeIsRejected() throws Exception {
    Envelope envelope = Envelope.parseFrom(new ReservationVoucher(relay, peer, 5).seal(relayKey));

    assertThatThrownBy(() -> ReservationVoucher.open(envelope.toBuilder()
        .setPayloadType(ByteString.copyFrom(new byte[] {(byte) 0x82, 0x06})).build().toByteArray()))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("payload type");
  }

  @Test
  void bytesThatAreNoEnvelopeAreRejected() {
    assertThatThrownBy(() -> ReservationVoucher.open(new byte[] {(byte) 0xff, 0x01, 0x02}))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("malformed");
  }

  /** The envelope with {@code payload}, correctly signed by {@code key}. */
  private static byte[] resign(Envelope envelope, byte[] payload, PrivateKey key) {
    java.io.ByteArrayOutputStream signed = new java.io.ByteArrayOutputStream();
    for (byte[] part : new byte[][] {ReservationVoucher.DOMAIN.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        ReservationVoucher.PAYLOAD_TYPE, payload}) {
      signed.writeBytes(io.mycel.core.varint.Varint.encode(part.length));
      signed.writeBytes(part);
    }
    return envelope.toBuilder()
        .setPayload(ByteString.copyFrom(payload))
        .setSignature(ByteString.copyFrom(key.sign(signed.toByteArray())))
        .build()
        .toByteArray();
  }
}
