package io.mycel.net.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;

/** Two embedded channels whose outbound bytes are delivered to each other on {@link #pump()}. */
final class EmbeddedPair implements AutoCloseable {
  final EmbeddedChannel initiator;
  final EmbeddedChannel responder;

  EmbeddedPair(ChannelHandler initiatorHandler, ChannelHandler responderHandler) {
    // the responder first, so that it listens before message 1 leaves
    this.responder = new EmbeddedChannel(responderHandler);
    this.initiator = new EmbeddedChannel(initiatorHandler);
  }

  /** Delivers outbound bytes both ways until neither side has anything more to send. */
  void pump() {
    boolean moved;
    do {
      moved = deliver(initiator, responder) | deliver(responder, initiator);
    } while (moved);
  }

  static boolean deliver(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    for (ByteBuf buf; (buf = from.readOutbound()) != null; ) {
      moved = true;
      if (to.isOpen()) {
        to.writeInbound(buf);
      } else {
        buf.release();
      }
    }
    return moved;
  }

  /** Reads and releases every inbound message of {@code channel}, concatenated. */
  static byte[] drainInbound(EmbeddedChannel channel) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object msg; (msg = channel.readInbound()) != null; ) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        out.writeBytes(bytes);
      } finally {
        buf.release();
      }
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    initiator.finishAndReleaseAll();
    responder.finishAndReleaseAll();
  }
}
