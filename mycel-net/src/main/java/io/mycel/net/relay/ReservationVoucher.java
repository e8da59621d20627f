package io.mycel.net.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.mycel.core.crypto.Keys;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.crypto.PublicKey;
import io.mycel.core.peer.PeerId;
import io.mycel.core.varint.Varint;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.relay.pb.CircuitProtos.Envelope;
import io.mycel.net.relay.pb.CircuitProtos.Voucher;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The reservation voucher: the relay's signed statement that it relays for {@code peer} until
 * {@code expiration} (<a
 * href="https://github.com/libp2p/specs/blob/master/relay/circuit-v2.md#reservation-vouchers">spec</a>),
 * carried in a signed envelope (<a
 * href="https://github.com/libp2p/specs/blob/master/RFC/0002-signed-envelopes.md">RFC 0002</a>)
 * with domain {@value #DOMAIN} and payload type {@code 0x0302} (the bytes {@code 03 02}).
 *
 * @param expiration Unix time in seconds, as in the reservation
 */
public record ReservationVoucher(PeerId relay, PeerId peer, long expiration) {
  public static final String DOMAIN = "libp2p-relay-rsvp";
  /**
   * The multicodec {@code libp2p-relay-rsvp} (0x0302) as go-libp2p and js-libp2p write it: the
   * two bytes {@code 03 02}, not its varint (the interop test reads them in js-libp2p's
   * vouchers).
   */
  static final byte[] PAYLOAD_TYPE = {0x03, 0x02};

  public ReservationVoucher {
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(peer, "peer");
  }

  /** The voucher in a signed envelope, signed by {@code relayKey}, which must be the relay's. */
  public byte[] seal(PrivateKey relayKey) {
    if (!relay.matches(relayKey.publicKey())) {
      throw new IllegalArgumentException("the voucher of relay " + relay + " must be signed by its key");
    }
    byte[] payload = Voucher.newBuilder()
        .setRelay(ByteString.copyFrom(relay.bytes()))
        .setPeer(ByteString.copyFrom(peer.bytes()))
        .setExpiration(expiration)
        .build()
        .toByteArray();
    byte[] signature = relayKey.sign(signedBytes(payload));
    return Envelope.newBuilder()
        .setPublicKey(ByteString.copyFrom(relayKey.publicKey().marshal()))
        .setPayloadType(ByteString.copyFrom(PAYLOAD_TYPE))
        .setPayload(ByteString.copyFrom(payload))
        .setSignature(ByteString.copyFrom(signature))
        .build()
        .toByteArray();
  }

  /**
   * Opens a sealed voucher: checks the envelope's payload type and signature, and that the
   * signing key is the key of the relay the voucher names.
   *
   * @throws ProtocolViolationException naming what is wrong
   */
  public static ReservationVoucher open(byte[] sealed) {
    Envelope envelope;
    Voucher voucher;
    PublicKey key;
    try {
      envelope = Envelope.parseFrom(sealed);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed voucher envelope: " + e.getMessage(), e);
    }
    if (!Arrays.equals(envelope.getPayloadType().toByteArray(), PAYLOAD_TYPE)) {
      throw new ProtocolViolationException("voucher envelope has payload type "
          + Arrays.toString(envelope.getPayloadType().toByteArray()) + ", not 0x0302");
    }
    try {
      key = Keys.unmarshalPublicKey(envelope.getPublicKey().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new ProtocolViolationException("voucher envelope key: " + e.getMessage(), e);
    }
    byte[] payload = envelope.getPayload().toByteArray();
    if (!key.verify(signedBytes(payload), envelope.getSignature().toByteArray())) {
      throw new ProtocolViolationException("voucher envelope signature does not verify");
    }
    try {
      voucher = Voucher.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed voucher: " + e.getMessage(), e);
    }
    PeerId relay;
    PeerId peer;
    try {
      relay = PeerId.fromBytes(voucher.getRelay().toByteArray());
      peer = PeerId.fromBytes(voucher.getPeer().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new ProtocolViolationException("voucher peer id: " + e.getMessage(), e);
    }
    if (!relay.matches(key)) {
      throw new ProtocolViolationException(
          "voucher for relay " + relay + " is signed by another key (" + PeerId.fromPublicKey(key) + ")");
    }
    return new ReservationVoucher(relay, peer, voucher.getExpiration());
  }

  /** What the envelope signature covers: domain, payload type and payload, each length-prefixed. */
  private static byte[] signedBytes(byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] domain = DOMAIN.getBytes(StandardCharsets.UTF_8);
    for (byte[] part : new byte[][] {domain, PAYLOAD_TYPE, payload}) {
      out.writeBytes(Varint.encode(part.length));
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
