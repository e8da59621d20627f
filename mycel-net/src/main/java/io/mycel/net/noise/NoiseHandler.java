package io.mycel.net.noise;

import io.mycel.core.crypto.PrivateKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.noise.NoiseXXHandshake.TransportCiphers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p Noise secure channel ({@code /noise}) over a raw byte stream.
 *
 * <p>Placed directly over the transport's bytes once multistream-select has chosen {@code /noise}.
 * The initiator sends handshake message 1 as soon as the handler is on an active channel. When the
 * handshake completes, {@link #handshakeFuture()} completes and a {@link SecureSession} is fired as
 * a user event; from then on inbound frames are decrypted and fired downstream as plaintext {@link
 * ByteBuf}s (one per frame), and outbound {@link ByteBuf}s of any size are split into frames of at
 * most {@value #MAX_PLAINTEXT_LENGTH} plaintext bytes and encrypted. Writes before that fail. Any
 * failure completes the future exceptionally, logs one warning and closes the channel.
 *
 * <p>Every frame is a 16-bit big-endian length followed by that many bytes of Noise message.
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/noise/README.md#wire-format">libp2p
 *     noise spec, wire format</a>
 */
public final class NoiseHandler extends ByteToMessageDecoder implements ChannelOutboundHandler {
  public static final String PROTOCOL_ID = "/noise";
  public static final int LENGTH_PREFIX_BYTES = 2;
  public static final int MAX_FRAME_LENGTH = NoiseXXHandshake.MAX_MESSAGE_LENGTH;
  public static final int MAX_PLAINTEXT_LENGTH = MAX_FRAME_LENGTH - CipherState.TAG_LENGTH;

  private static final Logger LOG = LoggerFactory.getLogger(NoiseHandler.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ByteBuffer EMPTY_PLAINTEXT = ByteBuffer.allocate(0);

  private final NoiseHandshakeEngine engine;
  private final NoiseConfig config;
  private final CompletableFuture<SecureSession> handshakeFuture = new CompletableFuture<>();
  private CipherState sender;
  private CipherState receiver;
  private boolean started;
  private boolean failed;
  private ScheduledFuture<?> timeout;
  private String remoteAddressText;

  /**
   * @param expectedRemoteOrNull the peer being dialed, or {@code null} to accept any peer
   */
  public NoiseHandler(boolean initiator, PrivateKey identity, PeerId expectedRemoteOrNull) {
    this(initiator, identity, expectedRemoteOrNull, NoiseConfig.defaults());
  }

  public NoiseHandler(
      boolean initiator, PrivateKey identity, PeerId expectedRemoteOrNull, NoiseConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.engine =
        new NoiseHandshakeEngine(initiator, identity, expectedRemoteOrNull, config, RANDOM);
  }

  /** Completes with the authenticated peer, or exceptionally when the handshake fails. */
  public CompletableFuture<SecureSession> handshakeFuture() {
    return handshakeFuture;
  }

  /** Whether the handshake completed and the channel carries encrypted traffic. */
  public boolean isEstablished() {
    return sender != null && !failed;
  }

  // ---- lifecycle ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (!config.handshakeTimeout().isZero()) {
      long nanos = config.handshakeTimeout().toNanos();
      timeout = ctx.executor().schedule(() -> onTimeout(ctx), nanos, TimeUnit.NANOSECONDS);
    }
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    int pendingBytes = actualReadableBytes();
    super.channelInactive(ctx);
    if (!handshakeFuture.isDone()) {
      fail(
          ctx,
          new ConnectionClosedException(
              "connection closed during the noise handshake after "
                  + engine.messagesDone()
                  + " of 3 messages"
                  + (pendingBytes > 0
                      ? ", with " + pendingBytes + " bytes of an incomplete message"
                      : "")));
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    cancelTimeout();
    if (!handshakeFuture.isDone()) {
      handshakeFuture.completeExceptionally(
          new IllegalStateException("NoiseHandler removed before the handshake completed"));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (handshakeFuture.isDone()) {
      ctx.fireExceptionCaught(cause);
    } else {
      fail(ctx, cause);
    }
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    remoteAddressText = describe(ctx.channel().remoteAddress());
    if (engine.isInitiator()) {
      try {
        writeHandshakeMessage(ctx);
      } catch (RuntimeException e) {
        fail(ctx, e);
      }
    }
  }

  // ---- inbound ----

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < LENGTH_PREFIX_BYTES) {
      return;
    }
    int length = in.getUnsignedShort(in.readerIndex());
    if (in.readableBytes() < LENGTH_PREFIX_BYTES + length) {
      return;
    }
    in.skipBytes(LENGTH_PREFIX_BYTES);
    try {
      if (receiver == null) {
        readHandshakeMessage(ctx, in, length);
      } else {
        readTransportMessage(ctx, in, length, out);
      }
    } catch (RuntimeException e) {
      in.skipBytes(in.readableBytes());
      fail(ctx, e);
    }
  }

  private void readHandshakeMessage(ChannelHandlerContext ctx, ByteBuf in, int length) {
    byte[] message = new byte[length];
    in.readBytes(message);
    engine.readMessage(message);
    if (engine.isWriteTurn()) {
      writeHandshakeMessage(ctx);
    }
    if (engine.isComplete()) {
      establish(ctx);
    }
  }

  private void readTransportMessage(
      ChannelHandlerContext ctx, ByteBuf in, int length, List<Object> out) {
    if (length < CipherState.TAG_LENGTH) {
      throw new ProtocolViolationException(
          "noise transport message of " + length + " bytes is shorter than its tag");
    }
    int plaintextLength = length - CipherState.TAG_LENGTH;
    ByteBuffer ciphertext = in.nioBuffer(in.readerIndex(), length);
    in.skipBytes(length);
    if (plaintextLength == 0) {
      receiver.decrypt(
          ciphertext, EMPTY_PLAINTEXT.duplicate()); // authenticates and uses up a nonce
      return;
    }
    ByteBuf plaintext = ctx.alloc().buffer(plaintextLength);
    try {
      receiver.decrypt(ciphertext, plaintext.nioBuffer(0, plaintextLength));
      plaintext.writerIndex(plaintextLength);
    } catch (RuntimeException e) {
      plaintext.release();
      throw e;
    }
    out.add(plaintext);
  }

  // ---- outbound ----

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf plaintext)) {
      ReferenceCountUtil.release(msg);
      promise.setFailure(
          new IllegalArgumentException(
              "NoiseHandler writes only ByteBuf, not " + msg.getClass().getName()));
      return;
    }
    try {
      if (!isEstablished()) {
        promise.setFailure(
            new IllegalStateException(
                failed
                    ? "noise channel failed; cannot write"
                    : "noise handshake not complete; cannot write yet"));
        return;
      }
      writeEncrypted(ctx, plaintext, promise);
    } finally {
      plaintext.release();
    }
  }

  private void writeEncrypted(
      ChannelHandlerContext ctx, ByteBuf plaintext, ChannelPromise promise) {
    try {
      int readable = plaintext.readableBytes();
      if (readable == 0) {
        promise.trySuccess();
      } else if (readable <= MAX_PLAINTEXT_LENGTH) {
        ctx.write(encryptFrame(ctx, plaintext, readable), promise);
      } else if (promise.isVoid()) {
        while (plaintext.isReadable()) {
          ctx.write(
              encryptFrame(
                  ctx, plaintext, Math.min(MAX_PLAINTEXT_LENGTH, plaintext.readableBytes())),
              promise);
        }
      } else {
        PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
        while (plaintext.isReadable()) {
          combiner.add(
              ctx.write(
                  encryptFrame(
                      ctx, plaintext, Math.min(MAX_PLAINTEXT_LENGTH, plaintext.readableBytes()))));
        }
        combiner.finish(promise);
      }
    } catch (RuntimeException e) {
      promise.tryFailure(e);
      fail(ctx, e);
    }
  }

  /** One frame in one buffer: the length prefix, then the ciphertext encrypted straight into it. */
  private ByteBuf encryptFrame(ChannelHandlerContext ctx, ByteBuf plaintext, int length) {
    int ciphertextLength = length + CipherState.TAG_LENGTH;
    ByteBuf frame = ctx.alloc().buffer(LENGTH_PREFIX_BYTES + ciphertextLength);
    try {
      frame.writeShort(ciphertextLength);
      sender.encrypt(
          plaintext.nioBuffer(plaintext.readerIndex(), length),
          frame.nioBuffer(LENGTH_PREFIX_BYTES, ciphertextLength));
      frame.writerIndex(LENGTH_PREFIX_BYTES + ciphertextLength);
      plaintext.skipBytes(length);
      return frame;
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
  }

  private void writeHandshakeMessage(ChannelHandlerContext ctx) {
    byte[] message = engine.writeMessage();
    ByteBuf frame = ctx.alloc().buffer(LENGTH_PREFIX_BYTES + message.length);
    frame.writeShort(message.length).writeBytes(message);
    ctx.writeAndFlush(frame)
        .addListener(
            written -> {
              if (!written.isSuccess()) {
                fail(ctx, written.cause());
              }
            });
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
    ctx.bind(localAddress, promise);
  }

  @Override
  public void connect(
      ChannelHandlerContext ctx,
      SocketAddress remoteAddress,
      SocketAddress localAddress,
      ChannelPromise promise) {
    ctx.connect(remoteAddress, localAddress, promise);
  }

  @Override
  public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.disconnect(promise);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.close(promise);
  }

  @Override
  public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.deregister(promise);
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    ctx.read();
  }

  // ---- outcome ----

  private void establish(ChannelHandlerContext ctx) {
    SecureSession session = engine.session();
    TransportCiphers ciphers = engine.split();
    sender = ciphers.sender();
    receiver = ciphers.receiver();
    cancelTimeout();
    LOG.debug("noise handshake with {} done: peer {}", remoteAddress(ctx), session.remotePeer());
    ctx.fireUserEventTriggered(session);
    handshakeFuture.complete(session);
  }

  private void onTimeout(ChannelHandlerContext ctx) {
    if (!handshakeFuture.isDone()) {
      fail(
          ctx,
          new TimeoutException("noise handshake timed out after " + config.handshakeTimeout()));
    }
  }

  private void fail(ChannelHandlerContext ctx, Throwable cause) {
    if (failed) {
      return;
    }
    failed = true;
    cancelTimeout();
    String reason =
        cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    if (handshakeFuture.isDone()) {
      LOG.warn("noise session with {} failed: {}", remoteAddress(ctx), reason);
    } else {
      LOG.warn("noise handshake with {} failed: {}", remoteAddress(ctx), reason);
      handshakeFuture.completeExceptionally(cause);
    }
    ctx.close();
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }

  /**
   * The remote address as a multiaddr when possible; remembered, as a closed channel forgets it.
   */
  private String remoteAddress(ChannelHandlerContext ctx) {
    return remoteAddressText != null ? remoteAddressText : describe(ctx.channel().remoteAddress());
  }

  private static String describe(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && !inet.isUnresolved()) {
      try {
        return Multiaddr.fromSocketAddress(inet).toString();
      } catch (RuntimeException e) {
        return inet.toString();
      }
    }
    return String.valueOf(address);
  }
}
