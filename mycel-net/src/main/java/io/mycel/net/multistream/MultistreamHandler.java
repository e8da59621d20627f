package io.mycel.net.multistream;

import io.mycel.core.varint.Varint;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.MycelNetException;
import io.mycel.net.ProtocolNegotiationException;
import io.mycel.net.ProtocolViolationException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * multistream-select 1.0 on a Netty channel, for the connection upgrade: over raw TCP to choose
 * the security protocol, then over the secure channel to choose the muxer (<a
 * href="https://github.com/libp2p/specs/blob/master/connections/README.md#upgrading-connections">spec</a>).
 *
 * <p>As dialer it sends the header with its first proposal as soon as the channel is active, and
 * proposes the next after each {@code na}. As listener it answers the dialer's header with its own
 * (as js-libp2p does, so nothing is sent before the dialer is known to listen), answers {@code
 * ls} and {@code na}, and echoes the first proposal among its protocols; the answers to what
 * arrived in one read go out in one flush. Messages may arrive split across reads or several in
 * one read; limits are checked while decoding.
 *
 * <p>Add the dialer's handler before the channel reads (in the channel initializer): a listener
 * such as go-libp2p sends its header without waiting, and bytes that reach the pipeline before
 * this handler are lost to it.
 *
 * <p>On success, all on the event loop and in this order: {@link #selectedFuture()} completes,
 * running callbacks registered without an executor synchronously; the handler removes itself;
 * the bytes that arrived after the negotiation (a dialer may pipeline its first handshake
 * message) are fired with {@code ctx.fireChannelRead} to the handler after this one. The
 * completion callback must therefore install the next handler directly after this one (or
 * replace this one) before it returns. A future completed before a callback is registered runs
 * that callback on the registering thread, so register it before the handler is added.
 *
 * <p>On failure the future completes exceptionally ({@link ProtocolViolationException} for
 * garbage or oversized input, {@link ProtocolNegotiationException} when no protocol is common,
 * {@link ConnectionClosedException} when the channel closes first) and the channel is closed.
 */
public final class MultistreamHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(MultistreamHandler.class);

  private enum State {
    AWAIT_HEADER,
    NEGOTIATING,
    DONE
  }

  private final boolean dialer;
  private final List<String> protocols;
  private final MultistreamLimits limits;
  private final CompletableFuture<String> selected = new CompletableFuture<>();

  private ByteBuf buffer;
  private State state = State.AWAIT_HEADER;
  private boolean started;
  private int proposal;
  private int rounds;

  /**
   * @param dialer whether this side proposes ({@code true}) or answers
   * @param protocols as dialer, the proposals in order of preference; as listener, the
   *     protocols accepted
   */
  public MultistreamHandler(boolean dialer, List<String> protocols) {
    this(dialer, protocols, MultistreamLimits.DEFAULT);
  }

  public MultistreamHandler(boolean dialer, List<String> protocols, MultistreamLimits limits) {
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("no protocols to negotiate");
    }
    for (String protocol : protocols) {
      MultistreamMessages.encode(protocol, limits.maxMessageLength());
    }
    this.dialer = dialer;
    this.protocols = List.copyOf(protocols);
    this.limits = limits;
  }

  /** Completes on the event loop with the selected protocol; see the class comment. */
  public CompletableFuture<String> selectedFuture() {
    return selected;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.DONE) {
      // Failed: the channel is closing, drop what still arrives.
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (buffer == null) {
        buffer = ctx.alloc().buffer(Math.max(in.readableBytes(), 64));
      }
      buffer.writeBytes(in);
    } finally {
      in.release();
    }
    decode(ctx);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (state != State.DONE && !ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(
        ctx,
        new ConnectionClosedException(
            "connection to " + ctx.channel().remoteAddress() + " closed during multistream-select"));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (state == State.DONE) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    fail(ctx, cause);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseBuffer();
    if (state != State.DONE) {
      state = State.DONE;
      selected.completeExceptionally(
          new MycelNetException("multistream-select handler removed before negotiation finished"));
    }
  }

  private void start(ChannelHandlerContext ctx) {
    if (started || !dialer) {
      return;
    }
    started = true;
    ByteBuf out = ctx.alloc().buffer();
    out.writeBytes(MultistreamMessages.header());
    out.writeBytes(MultistreamMessages.encode(protocols.get(0), limits.maxMessageLength()));
    write(ctx, out);
    ctx.flush();
  }

  private void decode(ChannelHandlerContext ctx) {
    try {
      while (state != State.DONE) {
        if (state == State.AWAIT_HEADER) {
          if (!readHeader()) {
            break;
          }
          state = State.NEGOTIATING;
          if (!dialer) {
            write(ctx, MultistreamMessages.header());
          }
        } else {
          String message = readMessage();
          if (message == null) {
            break;
          }
          if (dialer) {
            onAnswer(ctx, message);
          } else {
            onProposal(ctx, message);
          }
        }
      }
      if (buffer != null) {
        buffer.discardSomeReadBytes();
      }
    } catch (ProtocolViolationException | ProtocolNegotiationException e) {
      fail(ctx, e);
    } finally {
      ctx.flush();
    }
  }

  /** Checks the received bytes against the header as they come; true once all of it is in. */
  private boolean readHeader() {
    int length = MultistreamMessages.headerLength();
    int available = Math.min(buffer.readableBytes(), length);
    for (int i = 0; i < available; i++) {
      if (buffer.getByte(buffer.readerIndex() + i) != MultistreamMessages.headerByte(i)) {
        byte[] received = new byte[Math.min(buffer.readableBytes(), MultistreamMessages.DESCRIBE_BYTES)];
        buffer.getBytes(buffer.readerIndex(), received);
        throw new ProtocolViolationException(
            "expected the multistream-select header "
                + MultistreamMessages.PROTOCOL_ID
                + ", received "
                + MultistreamMessages.describe(received, 0, received.length));
      }
    }
    if (available < length) {
      return false;
    }
    buffer.skipBytes(length);
    return true;
  }

  /** Decodes one message when all of it has arrived, or returns null to wait for more. */
  private String readMessage() {
    int start = buffer.readerIndex();
    int maxLength = limits.maxMessageLength();
    long length = 0;
    int prefixLength = 0;
    while (true) {
      if (prefixLength == Varint.MAX_BYTES) {
        throw new ProtocolViolationException("multistream-select length prefix is too long");
      }
      if (prefixLength == buffer.readableBytes()) {
        return null;
      }
      int b = buffer.getUnsignedByte(start + prefixLength);
      length |= (long) (b & 0x7F) << (7 * prefixLength);
      prefixLength++;
      if (length > maxLength) {
        throw new ProtocolViolationException(
            "multistream-select message exceeds the " + maxLength + "-byte limit");
      }
      if ((b & 0x80) == 0) {
        if (b == 0 && prefixLength > 1) {
          throw new ProtocolViolationException(
              "multistream-select length prefix is not minimally encoded");
        }
        break;
      }
    }
    if (length == 0) {
      throw new ProtocolViolationException("empty multistream-select message");
    }
    if (buffer.readableBytes() - prefixLength < length) {
      return null;
    }
    byte[] payload = new byte[(int) length];
    buffer.getBytes(start + prefixLength, payload);
    buffer.readerIndex(start + prefixLength + (int) length);
    return MultistreamMessages.decodePayload(payload);
  }

  private void onAnswer(ChannelHandlerContext ctx, String answer) {
    String proposed = protocols.get(proposal);
    if (answer.equals(proposed)) {
      succeed(ctx, proposed);
      return;
    }
    if (!answer.equals(MultistreamMessages.NA)) {
      throw new ProtocolViolationException(
          "proposed " + proposed + " but the listener answered \"" + answer + "\"");
    }
    proposal++;
    if (proposal == protocols.size()) {
      throw new ProtocolNegotiationException(protocols);
    }
    write(ctx, MultistreamMessages.encode(protocols.get(proposal), limits.maxMessageLength()));
  }

  private void onProposal(ChannelHandlerContext ctx, String message) {
    if (++rounds > limits.maxNegotiationRounds()) {
      throw new ProtocolViolationException(
          "dialer sent "
              + limits.maxNegotiationRounds()
              + " multistream-select messages without proposing a supported protocol");
    }
    if (message.equals(MultistreamMessages.PROTOCOL_ID)) {
      write(ctx, MultistreamMessages.header());
    } else if (message.equals(MultistreamMessages.LS)) {
      write(ctx, MultistreamMessages.encodeLs(protocols));
    } else if (protocols.contains(message)) {
      write(ctx, MultistreamMessages.encode(message, limits.maxMessageLength()));
      succeed(ctx, message);
    } else {
      write(ctx, MultistreamMessages.encode(MultistreamMessages.NA));
    }
  }

  private void succeed(ChannelHandlerContext ctx, String protocol) {
    state = State.DONE;
    ByteBuf leftover = buffer;
    buffer = null;
    log.debug("multistream-select with {} chose {}", ctx.channel().remoteAddress(), protocol);
    // The echo leaves before anything the next handler writes.
    ctx.flush();
    // Callbacks install the next handler now, before the leftover bytes are passed on.
    selected.complete(protocol);
    if (!ctx.isRemoved()) {
      ctx.pipeline().remove(this);
    }
    if (leftover == null) {
      return;
    }
    if (leftover.isReadable()) {
      ctx.fireChannelRead(leftover);
    } else {
      leftover.release();
    }
  }

  private void fail(ChannelHandlerContext ctx, Throwable cause) {
    if (state == State.DONE) {
      return;
    }
    state = State.DONE;
    releaseBuffer();
    Object remote = ctx.channel().remoteAddress();
    if (cause instanceof ProtocolViolationException) {
      log.warn("multistream-select with {} failed: {}", remote, cause.getMessage());
    } else if (cause instanceof ProtocolNegotiationException) {
      log.info("multistream-select with {} failed: {}", remote, cause.getMessage());
    } else {
      log.debug("multistream-select with {} failed", remote, cause);
    }
    selected.completeExceptionally(cause);
    ctx.close();
  }

  private void write(ChannelHandlerContext ctx, byte[] bytes) {
    write(ctx, ctx.alloc().buffer(bytes.length).writeBytes(bytes));
  }

  /** Queues {@code bytes}; {@link #decode} and {@link #start} flush. */
  private void write(ChannelHandlerContext ctx, ByteBuf bytes) {
    ctx.write(bytes)
        .addListener(
            (ChannelFutureListener)
                (ChannelFuture future) -> {
                  if (!future.isSuccess()) {
                    fail(
                        ctx,
                        new ConnectionClosedException(
                            "multistream-select write failed: " + future.cause()));
                  }
                });
  }

  private void releaseBuffer() {
    if (buffer != null) {
      buffer.release();
      buffer = null;
    }
  }
}
