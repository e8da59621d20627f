package io.mycel.net.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.mycel.core.crypto.Keys;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.crypto.PublicKey;
import io.mycel.core.peer.PeerId;
import io.mycel.net.PeerIdMismatchException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.noise.NoiseXXHandshake.Role;
import io.mycel.net.noise.NoiseXXHandshake.TransportCiphers;
import io.mycel.net.noise.pb.NoiseProtos.NoiseExtensions;
import io.mycel.net.noise.pb.NoiseProtos.NoiseHandshakePayload;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * The libp2p rules over a {@link NoiseXXHandshake}, without I/O: message 1 carries no payload;
 * messages 2 and 3 carry a signed {@code NoiseHandshakePayload} that binds the sender's static
 * Noise key to its libp2p identity, and the sender's extensions. The peer's payload is checked
 * here: size, identity key, signature, and the expected peer id when one was given.
 *
 * @see <a
 *     href="https://github.com/libp2p/specs/blob/master/noise/README.md#the-libp2p-handshake-payload">
 *     libp2p noise spec, the libp2p handshake payload</a>
 */
public final class NoiseHandshakeEngine {
  /** Prefix of the signed data: this string in UTF-8, then the static Noise public key. */
  public static final String SIGNATURE_PREFIX = "noise-libp2p-static-key:";

  private static final byte[] SIGNATURE_PREFIX_BYTES =
      SIGNATURE_PREFIX.getBytes(StandardCharsets.UTF_8);
  private static final byte[] EMPTY = new byte[0];

  private final NoiseXXHandshake noise;
  private final PrivateKey identity;
  private final PeerId expectedRemote;
  private final NoiseConfig config;
  private SecureSession session;
  private boolean failed;

  /**
   * @param expectedRemote the peer being dialed, or {@code null} to accept any authenticated peer
   */
  public NoiseHandshakeEngine(
      boolean initiator,
      PrivateKey identity,
      PeerId expectedRemote,
      NoiseConfig config,
      SecureRandom random) {
    this(
        new NoiseXXHandshake(initiator ? Role.INITIATOR : Role.RESPONDER, EMPTY, random),
        identity,
        expectedRemote,
        config);
  }

  NoiseHandshakeEngine(
      NoiseXXHandshake noise, PrivateKey identity, PeerId expectedRemote, NoiseConfig config) {
    this.noise = Objects.requireNonNull(noise, "noise");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.expectedRemote = expectedRemote;
    this.config = Objects.requireNonNull(config, "config");
  }

  public boolean isInitiator() {
    return noise.role() == Role.INITIATOR;
  }

  /** Number of handshake messages written or read so far (0 to 3). */
  public int messagesDone() {
    return noise.messagesDone();
  }

  public boolean isWriteTurn() {
    return !failed && noise.isWriteTurn();
  }

  public boolean isComplete() {
    return !failed && noise.isComplete() && session != null;
  }

  /** The next handshake message of this side, without the length prefix. */
  public byte[] writeMessage() {
    if (failed) {
      throw new IllegalStateException("handshake failed");
    }
    try {
      byte[] payload = noise.messagesDone() == 0 ? EMPTY : signedPayload();
      return noise.writeMessage(payload);
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  /**
   * Reads the peer's next handshake message (without the length prefix).
   *
   * @throws PeerIdMismatchException when the peer authenticated as another peer than expected
   * @throws ProtocolViolationException when the message or its payload breaks the rules
   */
  public void readMessage(byte[] message) {
    if (failed || noise.isComplete() || noise.isWriteTurn()) {
      throw new IllegalStateException(
          "not the peer's turn to write (messages done: " + messagesDone() + ")");
    }
    try {
      int messageNumber = noise.messagesDone() + 1;
      int overhead = NoiseXXHandshake.overhead(messageNumber);
      if (messageNumber == 1 && message.length != overhead) {
        throw new ProtocolViolationException(
            "noise handshake message 1 must be " + overhead + " bytes, got " + message.length);
      }
      if (message.length - overhead > config.maxHandshakePayloadBytes()) {
        throw new ProtocolViolationException(
            "noise handshake payload of "
                + (message.length - overhead)
                + " bytes exceeds the limit of "
                + config.maxHandshakePayloadBytes());
      }
      byte[] payload = noise.readMessage(message);
      if (messageNumber > 1) {
        session = verify(payload, noise.remoteStaticPublicKey().orElseThrow());
      }
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  /** The authenticated peer, once the handshake is complete. */
  public SecureSession session() {
    if (!isComplete()) {
      throw new IllegalStateException("handshake not complete");
    }
    return session;
  }

  /** The transport ciphers, once the handshake is complete; callable once. */
  public TransportCiphers split() {
    if (!isComplete()) {
      throw new IllegalStateException("handshake not complete");
    }
    return noise.split();
  }

  private byte[] signedPayload() {
    byte[] signature =
        identity.sign(NoiseBytes.concat(SIGNATURE_PREFIX_BYTES, noise.localStaticPublicKey()));
    NoiseHandshakePayload.Builder payload =
        NoiseHandshakePayload.newBuilder()
            .setIdentityKey(ByteString.copyFrom(identity.publicKey().marshal()))
            .setIdentitySig(ByteString.copyFrom(signature));
    if (!config.localStreamMuxers().isEmpty()) {
      payload.setExtensions(
          NoiseExtensions.newBuilder().addAllStreamMuxers(config.localStreamMuxers()));
    }
    return payload.build().toByteArray();
  }

  private SecureSession verify(byte[] payloadBytes, byte[] remoteStatic) {
    NoiseHandshakePayload payload;
    try {
      payload = NoiseHandshakePayload.parseFrom(payloadBytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException(
          "handshake payload is not a valid NoiseHandshakePayload", e);
    }
    if (!payload.hasIdentityKey() || !payload.hasIdentitySig()) {
      throw new ProtocolViolationException("handshake payload lacks the identity key or signature");
    }
    PublicKey remoteKey;
    try {
      remoteKey = Keys.unmarshalPublicKey(payload.getIdentityKey().toByteArray());
    } catch (RuntimeException e) {
      throw new ProtocolViolationException("identity key invalid: " + e.getMessage(), e);
    }
    if (!verifySignature(remoteKey, remoteStatic, payload.getIdentitySig().toByteArray())) {
      throw new ProtocolViolationException("identity signature invalid");
    }
    PeerId remotePeer = PeerId.fromPublicKey(remoteKey);
    if (expectedRemote != null && !expectedRemote.equals(remotePeer)) {
      throw new PeerIdMismatchException(expectedRemote, remotePeer);
    }
    List<String> muxers = payload.getExtensions().getStreamMuxersList();
    if (muxers.size() > config.maxStreamMuxers()) {
      throw new ProtocolViolationException(
          "peer announced "
              + muxers.size()
              + " stream muxers; the limit is "
              + config.maxStreamMuxers());
    }
    return new SecureSession(remotePeer, remoteKey, muxers);
  }

  private static boolean verifySignature(PublicKey key, byte[] remoteStatic, byte[] signature) {
    try {
      return key.verify(NoiseBytes.concat(SIGNATURE_PREFIX_BYTES, remoteStatic), signature);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
