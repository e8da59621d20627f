package io.mycel.net.mux;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A raw stream of a stream multiplexer, before protocol negotiation. Same blocking contract as
 * {@link io.mycel.net.Stream}: reads return -1 after the remote FIN and throw
 * {@link io.mycel.net.StreamResetException} after a reset; writes block on the remote window.
 */
public interface MuxedStream {
  long id();

  boolean isInitiator();

  InputStream input();

  OutputStream output();

  void closeWrite();

  void reset();

  void close();

  CompletableFuture<Void> closeFuture();
}
