package io.mycel.net.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.net.ConnectionClosedException;
import io.mycel.net.ProtocolNegotiationException;
import io.mycel.net.ProtocolViolationException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MultistreamHandlerTest {

  private final List<EmbeddedChannel> channels = new ArrayList<>();

  @AfterEach
  void releaseEverything() {
    for (EmbeddedChannel channel : channels) {
      channel.finishAndReleaseAll();
    }
  }

  @Test
  void dialerSendsHeaderAndFirstProposalTogether() {
    MultistreamHandler handler = new MultistreamHandler(true, List.of("/noise", "/tls/1.0.0"));
    EmbeddedChannel channel = channel(handler);

    assertThat(readOutbound(channel))
        .isEqualTo(MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "/noise")));
    assertThat(handler.selectedFuture()).isNotDone();
  }

  @Test
  void listenerSendsNothingBeforeTheDialersHeader() {
    EmbeddedChannel channel = channel(new MultistreamHandler(false, List.of("/noise")));

    assertThat((Object) channel.readOutbound()).isNull();
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x13, '/', 'm'}));
    assertThat((Object) channel.readOutbound()).isNull();

    channel.writeInbound(Unpooled.wrappedBuffer(java.util.Arrays.copyOfRange(MultistreamMessages.header(), 3, 20)));
    assertThat(readOutbound(channel)).isEqualTo(MultistreamMessages.header());
  }

  @Test
  void dialerCompletesBeforeLeftoverBytesReachTheNextHandler() {
    MultistreamHandler handler = new MultistreamHandler(true, List.of("/noise"));
    Capture next = new Capture();
    EmbeddedChannel channel = channel(handler);
    List<String> order = new ArrayList<>();
    handler
        .selectedFuture()
        .thenAccept(
            protocol -> {
              order.add("selected " + protocol + ", received so far " + next.received.size());
              channel.pipeline().addLast(next);
            });
    readOutbound(channel);

    // The answer and the first handshake bytes, split into single-byte reads.
    byte[] answer = concat(
        MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "/noise")),
        new byte[] {42, 43, 44});
    for (byte b : answer) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }

    assertThat(handler.selectedFuture()).isCompletedWithValue("/noise");
    assertThat(order).containsExactly("selected /noise, received so far 0");
    assertThat(channel.pipeline().get(MultistreamHandler.class)).isNull();
    assertThat(next.bytes()).containsExactly(42, 43, 44);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void listenerAnswersNaThenEchoesAndForwardsPipelinedData() {
    MultistreamHandler handler = new MultistreamHandler(false, List.of("/noise"));
    Capture next = new Capture();
    EmbeddedChannel channel = channel(handler);
    handler.selectedFuture().thenAccept(p -> channel.pipeline().addLast(next));

    channel.writeInbound(
        Unpooled.wrappedBuffer(
            concat(
                MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "/tls/1.0.0", "/noise")),
                new byte[] {7, 7})));

    assertThat(readOutbound(channel)).isEqualTo(MultistreamMessages.header());
    assertThat(readOutbound(channel)).isEqualTo(MultistreamMessages.encode("na"));
    assertThat(readOutbound(channel)).isEqualTo(MultistreamMessages.encode("/noise"));
    assertThat(handler.selectedFuture()).isCompletedWithValue("/noise");
    assertThat(next.bytes()).containsExactly(7, 7);
  }

  @Test
  void listenerWithNoLeftoverForwardsNothing() {
    MultistreamHandler handler = new MultistreamHandler(false, List.of("/yamux/1.0.0"));
    Capture next = new Capture();
    EmbeddedChannel channel = channel(handler);
    handler.selectedFuture().thenAccept(p -> channel.pipeline().addLast(next));

    channel.writeInbound(
        Unpooled.wrappedBuffer(
            MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "/yamux/1.0.0"))));

    assertThat(handler.selectedFuture()).isCompletedWithValue("/yamux/1.0.0");
    assertThat(next.received).isEmpty();
  }

  @Test
  void dialerProposesNextAfterNa() {
    MultistreamHandler handler = new MultistreamHandler(true, List.of("/tls/1.0.0", "/noise"));
    EmbeddedChannel channel = channel(handler);
    readOutbound(channel);

    channel.writeInbound(
        Unpooled.wrappedBuffer(MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "na"))));
    assertThat(readOutbound(channel)).isEqualTo(MultistreamMessages.encode("/noise"));
    assertThat(handler.selectedFuture()).isNotDone();

    channel.writeInbound(Unpooled.wrappedBuffer(MultistreamMessages.encode("/noise")));
    assertThat(handler.selectedFuture()).isCompletedWithValue("/noise");
  }

  @Test
  void dialerFailsAndClosesWhenEveryProposalIsRefused() {
    MultistreamHandler handler = new MultistreamHandler(true, List.of("/tls/1.0.0", "/noise"));
    EmbeddedChannel channel = channel(handler);
    readOutbound(channel);

    channel.writeInbound(
        Unpooled.wrappedBuffer(
            MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "na", "na"))));
    releaseOutbound(channel);

    assertThat(failure(handler)).isInstanceOf(ProtocolNegotiationException.class);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void garbageInsteadOfHeaderFailsWithTheBytesAndClosesTheChannel() {
    MultistreamHandler handler = new MultistreamHandler(false, List.of("/noise"));
    EmbeddedChannel channel = channel(handler);

    channel.writeInbound(Unpooled.wrappedBuffer("SSH-2.0-OpenSSH_9.6\r\n".getBytes()));

    assertThat(failure(handler))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("0x5353482d322e30")
        .hasMessageContaining("SSH-2.0");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void garbageIsDetectedFromTheFirstDifferentByte() {
    MultistreamHandler handler = new MultistreamHandler(true, List.of("/noise"));
    EmbeddedChannel channel = channel(handler);
    readOutbound(channel);

    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x13, '/', 'm', 'X'}));

    assertThat(failure(handler))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("0x132f6d58");
  }

  @Test
  void oversizedMessageFailsFromItsLengthPrefix() {
    MultistreamHandler handler = new MultistreamHandler(false, List.of("/noise"));
    EmbeddedChannel channel = channel(handler);

    channel.writeInbound(
        Unpooled.wrappedBuffer(concat(MultistreamMessages.header(), new byte[] {(byte) 0x81, 0x08})));

    assertThat(failure(handler))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("1024-byte limit");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void unexpectedAnswerIsViolation() {
    MultistreamHandler handler = new MultistreamHandler(true, List.of("/noise"));
    EmbeddedChannel channel = channel(handler);
    readOutbound(channel);

    channel.writeInbound(
        Unpooled.wrappedBuffer(
            MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "/yamux/1.0.0"))));

    assertThat(failure(handler))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("/yamux/1.0.0");
  }

  @Test
  void listenerAnswersLs() {
    MultistreamHandler handler = new MultistreamHandler(false, List.of("/noise", "/tls/1.0.0"));
    EmbeddedChannel channel = channel(handler);

    channel.writeInbound(
        Unpooled.wrappedBuffer(MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "ls"))));

    assertThat(readOutbound(channel)).isEqualTo(MultistreamMessages.header());
    assertThat(readOutbound(channel))
        .isEqualTo(MultistreamMessagesTest.lsAnswer(List.of("/noise", "/tls/1.0.0"), true));
    assertThat(handler.selectedFuture()).isNotDone();
  }

  @Test
  void listenerGivesUpAfterTooManyRounds() {
    MultistreamHandler handler =
        new MultistreamHandler(false, List.of("/noise"), new MultistreamLimits(1024, 65536, 2));
    EmbeddedChannel channel = channel(handler);

    channel.writeInbound(
        Unpooled.wrappedBuffer(
            MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "/a", "/b", "/c"))));
    releaseOutbound(channel);

    assertThat(failure(handler)).isInstanceOf(ProtocolViolationException.class);
  }

  @Test
  void channelClosingMidNegotiationFailsTheFuture() {
    MultistreamHandler handler = new MultistreamHandler(true, List.of("/noise"));
    EmbeddedChannel channel = channel(handler);
    readOutbound(channel);
    // Half a message is buffered when the connection drops: it must be released.
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x13, '/', 'm'}));

    channel.close();

    assertThat(failure(handler)).isInstanceOf(ConnectionClosedException.class);
  }

  @Test
  void dialerAndListenerHandlersNegotiateWithEachOther() {
    MultistreamHandler dialer = new MultistreamHandler(true, List.of("/tls/1.0.0", "/noise"));
    MultistreamHandler listener = new MultistreamHandler(false, List.of("/noise"));
    EmbeddedChannel a = channel(dialer);
    EmbeddedChannel b = channel(listener);

    for (int i = 0; i < 10 && !(dialer.selectedFuture().isDone() && listener.selectedFuture().isDone()); i++) {
      shuttle(a, b);
      shuttle(b, a);
    }

    assertThat(dialer.selectedFuture()).isCompletedWithValue("/noise");
    assertThat(listener.selectedFuture()).isCompletedWithValue("/noise");
  }

  private EmbeddedChannel channel(MultistreamHandler handler) {
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    channels.add(channel);
    return channel;
  }

  private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
    ByteBuf out;
    while ((out = from.readOutbound()) != null) {
      if (to.isOpen()) {
        to.writeInbound(out);
      } else {
        out.release();
      }
    }
  }

  private static byte[] readOutbound(EmbeddedChannel channel) {
    ByteBuf out = channel.readOutbound();
    assertThat(out).as("outbound message").isNotNull();
    try {
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  private static void releaseOutbound(EmbeddedChannel channel) {
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      out.release();
    }
  }

  private static Throwable failure(MultistreamHandler handler) {
    CompletableFuture<String> future = handler.selectedFuture();
    assertThat(future).isCompletedExceptionally();
    try {
      future.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  /** The handler that takes over after negotiation; copies and releases what it receives. */
  private static final class Capture extends ChannelInboundHandlerAdapter {
    final List<byte[]> received = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        received.add(ByteBufUtil.getBytes(buf));
      } finally {
        buf.release();
      }
    }

    byte[] bytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      received.forEach(out::writeBytes);
      return out.toByteArray();
    }
  }
}
