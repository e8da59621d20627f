package io.mycel.net;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * One bidirectional stream of a {@link Connection}, after protocol negotiation.
 *
 * <p>Reads and writes block, so protocol code runs on a virtual thread. Reads return -1 once
 * the remote side has closed its write half, and throw {@link StreamResetException} after a
 * reset. Writes block while the peer's flow-control window is exhausted: a peer that stops
 * reading stalls the writer rather than growing a buffer.
 */
public interface Stream extends AutoCloseable {

  /** The muxer's stream id. */
  long id();

  /** The connection this stream runs over. */
  Connection connection();

  /** The protocol negotiated with multistream-select for this stream. */
  String protocol();

  /** Whether this side opened the stream. */
  boolean isInitiator();

  /** Bytes from the remote side; -1 once it half-closed. */
  InputStream input();

  /** Bytes to the remote side. {@code flush()} hands buffered bytes to the muxer. */
  OutputStream output();

  /** Closes the write half (FIN); reading stays possible. */
  void closeWrite();

  /** Aborts the stream in both directions (RST). */
  void reset();

  /** Closes the write half and stops reading; unread inbound bytes are discarded. */
  @Override
  void close();

  /** Completes when the stream is closed in both directions or reset. */
  CompletableFuture<Void> closeFuture();
}
