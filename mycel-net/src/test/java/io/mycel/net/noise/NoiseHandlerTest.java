package io.mycel.net.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.core.crypto.Ed25519;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.peer.PeerId;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.PeerIdMismatchException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.noise.NoiseXXHandshake.Role;
import io.mycel.net.noise.pb.NoiseProtos.NoiseExtensions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoiseHandlerTest {
  private final PrivateKey initiatorKey = Ed25519.generate();
  private final PrivateKey responderKey = Ed25519.generate();
  private final PeerId responderId = PeerId.fromPublicKey(responderKey.publicKey());
  private final PeerId initiatorId = PeerId.fromPublicKey(initiatorKey.publicKey());

  @Test
  void bothRolesAuthenticateEachOther() {
    NoiseConfig initiatorConfig =
        NoiseConfig.defaults().withLocalStreamMuxers(List.of("/yamux/1.0.0"));
    NoiseConfig responderConfig =
        NoiseConfig.defaults().withLocalStreamMuxers(List.of("/yamux/1.0.0", "/mplex/6.7.0"));
    NoiseHandler initiator = new NoiseHandler(true, initiatorKey, responderId, initiatorConfig);
    NoiseHandler responder = new NoiseHandler(false, responderKey, null, responderConfig);
    EventRecorder initiatorEvents = new EventRecorder();
    try (EmbeddedPair pair = new EmbeddedPair(initiator, responder)) {
      pair.initiator.pipeline().addLast(initiatorEvents);
      pair.pump();

      assertThat(initiator.handshakeFuture()).isCompleted();
      assertThat(responder.handshakeFuture()).isCompleted();
      SecureSession atInitiator = initiator.handshakeFuture().join();
      SecureSession atResponder = responder.handshakeFuture().join();
      assertThat(atInitiator.remotePeer()).isEqualTo(responderId);
      assertThat(atInitiator.remoteStreamMuxers()).containsExactly("/yamux/1.0.0", "/mplex/6.7.0");
      assertThat(atResponder.remotePeer()).isEqualTo(initiatorId);
      assertThat(atResponder.remoteIdentityKey().raw()).isEqualTo(initiatorKey.publicKey().raw());
      assertThat(atResponder.remoteStreamMuxers()).containsExactly("/yamux/1.0.0");
      assertThat(initiatorEvents.events).containsExactly(atInitiator);
      assertThat(initiator.isEstablished()).isTrue();
    }
  }

  @Test
  void anRsaIdentityWithAHashedPeerIdAuthenticates() {
    PrivateKey rsaKey = new RsaTestIdentity();
    PeerId rsaId = PeerId.fromPublicKey(rsaKey.publicKey());
    NoiseHandler initiator = new NoiseHandler(true, initiatorKey, rsaId);
    NoiseHandler responder = new NoiseHandler(false, rsaKey, null);
    try (EmbeddedPair pair = new EmbeddedPair(initiator, responder)) {
      pair.pump();

      assertThat(initiator.handshakeFuture().join().remotePeer()).isEqualTo(rsaId);
      assertThat(responder.handshakeFuture().join().remotePeer()).isEqualTo(initiatorId);
    }
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        1,
        100,
        NoiseHandler.MAX_PLAINTEXT_LENGTH,
        NoiseHandler.MAX_PLAINTEXT_LENGTH + 1,
        1 << 20
      })
  void plaintextRoundTripsBothWays(int size) {
    try (EmbeddedPair pair = establishedPair()) {
      byte[] toResponder = randomBytes(size, 1);
      byte[] toInitiator = randomBytes(size, 2);
      pair.initiator.writeOutbound(Unpooled.wrappedBuffer(toResponder));
      pair.responder.writeOutbound(Unpooled.directBuffer(size).writeBytes(toInitiator));
      pair.pump();

      assertThat(EmbeddedPair.drainInbound(pair.responder)).isEqualTo(toResponder);
      assertThat(EmbeddedPair.drainInbound(pair.initiator)).isEqualTo(toInitiator);
    }
  }

  @Test
  void largeWritesAreSplitIntoFullFrames() {
    try (EmbeddedPair pair = establishedPair()) {
      int size = NoiseHandler.MAX_PLAINTEXT_LENGTH * 2 + 5;
      ChannelFuture written =
          pair.initiator.writeAndFlush(Unpooled.wrappedBuffer(randomBytes(size, 3)));

      assertThat(written.isSuccess()).isTrue();
      List<Integer> frameLengths = new ArrayList<>();
      for (ByteBuf frame; (frame = pair.initiator.readOutbound()) != null; ) {
        frameLengths.add(frame.readableBytes());
        assertThat(frame.getUnsignedShort(0)).isEqualTo(frame.readableBytes() - 2);
        frame.release();
      }
      assertThat(frameLengths).containsExactly(65537, 65537, 2 + 5 + CipherState.TAG_LENGTH);
    }
  }

  @Test
  void anEmptyWriteSendsNothing() {
    try (EmbeddedPair pair = establishedPair()) {
      ChannelFuture written = pair.initiator.writeAndFlush(Unpooled.EMPTY_BUFFER);

      assertThat(written.isSuccess()).isTrue();
      Object next = pair.initiator.readOutbound();
      assertThat(next).isNull();
    }
  }

  @Test
  void anEmptyTransportMessageIsAcceptedAndNotFired() {
    NoiseHandler responder = new NoiseHandler(false, responderKey, null);
    EmbeddedChannel channel = new EmbeddedChannel(responder);
    FakeNoisePeer peer = new FakeNoisePeer(Role.INITIATOR, initiatorKey);
    peer.writeTo(channel, new byte[0]);
    peer.readFrom(channel);
    peer.writeTo(channel, peer.validPayload().build().toByteArray());
    assertThat(responder.isEstablished()).isTrue();
    CipherState sender = peer.noise.split().sender();

    // an empty transport message is only a tag; it must still authenticate and use up a nonce
    byte[] tagOnly = new byte[CipherState.TAG_LENGTH];
    sender.encrypt(ByteBuffer.allocate(0), ByteBuffer.wrap(tagOnly));
    byte[] one = new byte[1 + CipherState.TAG_LENGTH];
    sender.encrypt(ByteBuffer.wrap(new byte[] {42}), ByteBuffer.wrap(one));
    channel.writeInbound(FakeNoisePeer.frame(tagOnly));
    channel.writeInbound(FakeNoisePeer.frame(one));

    assertThat(responder.isEstablished()).isTrue();
    assertThat(EmbeddedPair.drainInbound(channel)).containsExactly(42);
    channel.finishAndReleaseAll();
  }

  @Test
  void handshakeBytesArrivingOneByOneStillComplete() {
    NoiseHandler initiator = new NoiseHandler(true, initiatorKey, null);
    NoiseHandler responder = new NoiseHandler(false, responderKey, null);
    try (EmbeddedPair pair = new EmbeddedPair(initiator, responder)) {
      boolean moved;
      do {
        moved = trickle(pair.initiator, pair.responder) | trickle(pair.responder, pair.initiator);
      } while (moved);

      assertThat(initiator.handshakeFuture()).isCompleted();
      assertThat(responder.handshakeFuture()).isCompleted();
    }
  }

  @Test
  void dataRightBehindMessage3IsDecrypted() {
    NoiseHandler initiator = new NoiseHandler(true, initiatorKey, null);
    NoiseHandler responder = new NoiseHandler(false, responderKey, null);
    try (EmbeddedPair pair = new EmbeddedPair(initiator, responder)) {
      EmbeddedPair.deliver(pair.initiator, pair.responder); // message 1
      EmbeddedPair.deliver(
          pair.responder, pair.initiator); // message 2; the initiator writes message 3
      pair.initiator.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
      ByteBuf both = Unpooled.buffer();
      for (ByteBuf buf; (buf = pair.initiator.readOutbound()) != null; ) {
        both.writeBytes(buf);
        buf.release();
      }
      pair.responder.writeInbound(both);

      assertThat(responder.handshakeFuture()).isCompleted();
      assertThat(EmbeddedPair.drainInbound(pair.responder)).containsExactly(1, 2, 3);
    }
  }

  @Test
  void aDifferentPeerThanDialedIsRefused() {
    PeerId someoneElse = PeerId.fromPublicKey(Ed25519.generate().publicKey());
    NoiseHandler initiator = new NoiseHandler(true, initiatorKey, someoneElse);
    NoiseHandler responder = new NoiseHandler(false, responderKey, null);
    try (EmbeddedPair pair = new EmbeddedPair(initiator, responder)) {
      pair.pump();

      assertThat(initiator.handshakeFuture())
          .failsWithin(Duration.ZERO)
          .withThrowableThat()
          .havingCause()
          .isInstanceOf(PeerIdMismatchException.class)
          .withMessageContaining(responderId.toString());
      assertThat(pair.initiator.isOpen()).isFalse();
      assertThat(responder.handshakeFuture()).isNotDone();
    }
  }

  @Test
  void tamperedCiphertextClosesTheChannel() {
    try (EmbeddedPair pair = establishedPair()) {
      pair.initiator.writeOutbound(Unpooled.wrappedBuffer(randomBytes(100, 4)));
      ByteBuf frame = pair.initiator.readOutbound();
      frame.setByte(50, frame.getByte(50) ^ 0x01);
      pair.responder.writeInbound(frame);

      assertThat(pair.responder.isOpen()).isFalse();
      Object next = pair.responder.readInbound();
      assertThat(next).isNull();
    }
  }

  @Test
  void aTransportMessageShorterThanItsTagClosesTheChannel() {
    try (EmbeddedPair pair = establishedPair()) {
      pair.responder.writeInbound(FakeNoisePeer.frame(new byte[CipherState.TAG_LENGTH - 1]));

      assertThat(pair.responder.isOpen()).isFalse();
    }
  }

  @Test
  void aTamperedHandshakeMessageFailsTheHandshake() {
    NoiseHandler initiator = new NoiseHandler(true, initiatorKey, null);
    NoiseHandler responder = new NoiseHandler(false, responderKey, null);
    try (EmbeddedPair pair = new EmbeddedPair(initiator, responder)) {
      EmbeddedPair.deliver(pair.initiator, pair.responder);
      ByteBuf message2 = pair.responder.readOutbound();
      message2.setByte(
          message2.writerIndex() - 1, message2.getByte(message2.writerIndex() - 1) ^ 0x01);
      pair.initiator.writeInbound(message2);

      assertThat(initiator.handshakeFuture())
          .failsWithin(Duration.ZERO)
          .withThrowableThat()
          .havingCause()
          .isInstanceOf(ProtocolViolationException.class)
          .withMessageContaining("decrypt");
      assertThat(pair.initiator.isOpen()).isFalse();
    }
  }

  @Test
  void aTruncatedMessage1FailsTheHandshakeWhenTheConnectionCloses() {
    NoiseHandler responder = new NoiseHandler(false, responderKey, null);
    EmbeddedChannel channel = new EmbeddedChannel(responder);
    ByteBuf half = Unpooled.buffer().writeShort(32).writeBytes(new byte[16]);
    channel.writeInbound(half);
    assertThat(responder.handshakeFuture()).isNotDone();

    channel.close();

    assertThat(responder.handshakeFuture())
        .failsWithin(Duration.ZERO)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(ConnectionClosedException.class)
        .withMessageContaining("after 0 of 3 messages")
        .withMessageContaining("18 bytes of an incomplete message");
    channel.finishAndReleaseAll();
  }

  @Test
  void message1WithAPayloadIsRefused() {
    NoiseHandler responder = new NoiseHandler(false, responderKey, null);
    EmbeddedChannel channel = new EmbeddedChannel(responder);
    FakeNoisePeer peer = new FakeNoisePeer(Role.INITIATOR, initiatorKey);
    peer.writeTo(channel, new byte[] {7});

    assertHandshakeRefused(responder, channel, "message 1 must be 32 bytes");
  }

  @Test
  void anOversizedHandshakePayloadIsRefused() {
    NoiseConfig config = NoiseConfig.defaults().withMaxHandshakePayloadBytes(1024);
    NoiseHandler initiator = new NoiseHandler(true, initiatorKey, null, config);
    FakeNoisePeer peer = new FakeNoisePeer(Role.RESPONDER, responderKey);
    EmbeddedChannel channel = new EmbeddedChannel(initiator);
    peer.readFrom(channel);
    byte[] payload =
        peer.validPayload()
            .setExtensions(NoiseExtensions.newBuilder().addStreamMuxers("x".repeat(2000)))
            .build()
            .toByteArray();
    peer.writeTo(channel, payload);

    assertHandshakeRefused(initiator, channel, "exceeds the limit of 1024");
  }

  @Test
  void aPayloadThatIsNotProtobufIsRefused() {
    NoiseHandler initiator = new NoiseHandler(true, initiatorKey, null);
    FakeNoisePeer peer = new FakeNoisePeer(Role.RESPONDER, responderKey);
    EmbeddedChannel channel = new EmbeddedChannel(initiator);
    peer.readFrom(channel);
    peer.writeTo(channel, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});

    assertHandshakeRefused(initiator, channel, "not a valid NoiseHandshakePayload");
  }

  @Test
  void aPayloadWithoutIdentityIsRefused() {
    NoiseHandler initiator = new NoiseHandler(true, initiatorKey, null);
    FakeNoisePeer peer = new FakeNoisePeer(Role.RESPONDER, responderKey);
    EmbeddedChannel channel = new EmbeddedChannel(initiator);
    peer.readFrom(channel);
    peer.writeTo(channel, peer.validPayload().clearIdentityKey().build().toByteArray());

    assertHandshakeRefused(initiator, channel, "lacks the identity key");
  }

  @Test
  void anUnparsableIdentityKeyIsRefused() {
    NoiseHandler initiator = new NoiseHandler(true, initiatorKey, null);
    FakeNoisePeer peer = new FakeNoisePeer(Role.RESPONDER, responderKey);
    EmbeddedChannel channel = new EmbeddedChannel(initiator);
    peer.readFrom(channel);
    byte[] payload =
        peer.validPayload()
            .setIdentityKey(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3}))
            .build()
            .toByteArray();
    peer.writeTo(channel, payload);

    assertHandshakeRefused(initiator, channel, "identity key invalid");
  }

  @Test
  void aBadIdentitySignatureIsRefused() {
    NoiseHandler initiator = new NoiseHandler(true, initiatorKey, null);
    FakeNoisePeer peer = new FakeNoisePeer(Role.RESPONDER, responderKey);
    EmbeddedChannel channel = new EmbeddedChannel(initiator);
    peer.readFrom(channel);
    byte[] wrongSignature = responderKey.sign("noise-libp2p-static-key:something else".getBytes());
    byte[] payload =
        peer.validPayload()
            .setIdentitySig(com.google.protobuf.ByteString.copyFrom(wrongSignature))
            .build()
            .toByteArray();
    peer.writeTo(channel, payload);

    assertHandshakeRefused(initiator, channel, "identity signature invalid");
  }

  @Test
  void aSignatureByAnotherKeyIsRefusedByTheResponder() {
    NoiseHandler responder = new NoiseHandler(false, responderKey, null);
    FakeNoisePeer peer = new FakeNoisePeer(Role.INITIATOR, initiatorKey);
    EmbeddedChannel channel = new EmbeddedChannel(responder);
    peer.writeTo(channel, new byte[0]);
    peer.readFrom(channel);
    PrivateKey impostor = Ed25519.generate();
    byte[] payload =
        peer.validPayload()
            .setIdentityKey(com.google.protobuf.ByteString.copyFrom(impostor.publicKey().marshal()))
            .build()
            .toByteArray();
    peer.writeTo(channel, payload);

    assertHandshakeRefused(responder, channel, "identity signature invalid");
  }

  @Test
  void unknownExtensionsAreIgnored() {
    NoiseHandler initiator = new NoiseHandler(true, initiatorKey, responderId);
    FakeNoisePeer peer = new FakeNoisePeer(Role.RESPONDER, responderKey);
    EmbeddedChannel channel = new EmbeddedChannel(initiator);
    peer.readFrom(channel);
    byte[] known =
        peer.validPayload()
            .setExtensions(NoiseExtensions.newBuilder().addStreamMuxers("/yamux/1.0.0"))
            .build()
            .toByteArray();
    // field 4 (extensions) again with an unknown field 1025 (varint), merged by protobuf rules
    byte[] unknown = {0x22, 0x03, (byte) 0x88, 0x40, 0x01};
    peer.writeTo(channel, NoiseBytes.concat(known, unknown));

    assertThat(initiator.handshakeFuture()).isCompleted();
    assertThat(initiator.handshakeFuture().join().remoteStreamMuxers())
        .containsExactly("/yamux/1.0.0");
    channel.finishAndReleaseAll();
  }

  @Test
  void writesBeforeTheHandshakeFail() {
    NoiseHandler initiator = new NoiseHandler(true, initiatorKey, null);
    EmbeddedChannel channel = new EmbeddedChannel(initiator);
    ByteBuf early = Unpooled.buffer().writeInt(1);
    ChannelFuture written = channel.writeAndFlush(early);

    assertThat(written.isSuccess()).isFalse();
    assertThat(written.cause())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("handshake not complete");
    assertThat(early.refCnt()).isZero();
    channel.finishAndReleaseAll();
  }

  @Test
  void theHandshakeTimesOut() {
    NoiseConfig config = NoiseConfig.defaults().withHandshakeTimeout(Duration.ofSeconds(5));
    NoiseHandler responder = new NoiseHandler(false, responderKey, null, config);
    EmbeddedChannel channel = new EmbeddedChannel(responder);

    channel.advanceTimeBy(6, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();

    assertThat(responder.handshakeFuture())
        .failsWithin(Duration.ZERO)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(TimeoutException.class);
    assertThat(channel.isOpen()).isFalse();
    channel.finishAndReleaseAll();
  }

  @Test
  void aHandlerAddedBehindEarlierBytesCompletes() {
    NoiseHandler initiator = new NoiseHandler(true, initiatorKey, null);
    NoiseHandler responder = new NoiseHandler(false, responderKey, null);
    EmbeddedChannel initiatorChannel = new EmbeddedChannel(initiator);
    EmbeddedChannel responderChannel = new EmbeddedChannel(new LeftoverRefirer(responder));
    try {
      // message 1 arrives glued behind bytes that belonged to the previous protocol
      ByteBuf message1 = initiatorChannel.readOutbound();
      ByteBuf glued =
          Unpooled.buffer().writeBytes(new byte[] {'o', 'k', '\n'}).writeBytes(message1);
      message1.release();
      responderChannel.writeInbound(glued);
      EmbeddedPair.deliver(responderChannel, initiatorChannel);
      EmbeddedPair.deliver(initiatorChannel, responderChannel);

      assertThat(initiator.handshakeFuture()).isCompleted();
      assertThat(responder.handshakeFuture()).isCompleted();
    } finally {
      initiatorChannel.finishAndReleaseAll();
      responderChannel.finishAndReleaseAll();
    }
  }

  private void assertHandshakeRefused(
      NoiseHandler handler, EmbeddedChannel channel, String reason) {
    CompletableFuture<SecureSession> future = handler.handshakeFuture();
    assertThat(future)
        .failsWithin(Duration.ZERO)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(ProtocolViolationException.class)
        .withMessageContaining(reason);
    assertThat(channel.isOpen()).isFalse();
    channel.finishAndReleaseAll();
  }

  private EmbeddedPair establishedPair() {
    EmbeddedPair pair =
        new EmbeddedPair(
            new NoiseHandler(true, initiatorKey, responderId),
            new NoiseHandler(false, responderKey, null));
    pair.pump();
    assertThat(pair.initiator.pipeline().get(NoiseHandler.class).isEstablished()).isTrue();
    assertThat(pair.responder.pipeline().get(NoiseHandler.class).isEstablished()).isTrue();
    return pair;
  }

  private static boolean trickle(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    for (ByteBuf buf; (buf = from.readOutbound()) != null; ) {
      moved = true;
      while (buf.isReadable()) {
        to.writeInbound(buf.readRetainedSlice(1));
      }
      buf.release();
    }
    return moved;
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Records user events. */
  private static final class EventRecorder extends ChannelInboundHandlerAdapter {
    final List<Object> events = new ArrayList<>();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
    }
  }

  /**
   * Stands for the protocol negotiation before Noise: consumes its own 3-byte line, then puts the
   * Noise handler behind itself, leaves, and re-fires the bytes left over.
   */
  private static final class LeftoverRefirer extends ChannelInboundHandlerAdapter {
    private final NoiseHandler next;

    LeftoverRefirer(NoiseHandler next) {
      this.next = next;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      buf.skipBytes(3);
      ctx.pipeline().addAfter(ctx.name(), "noise", next);
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(buf);
    }
  }
}
