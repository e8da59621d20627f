package io.mycel.net.multistream.testing;

import io.mycel.net.Connection;
import io.mycel.net.Stream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** One side of an in-memory stream: reads from one pipe, writes to the other. */
public final class MemoryStream implements Stream {

  private final long id;
  private final Connection connection;
  private final String protocol;
  private final boolean initiator;
  private final BytePipe in;
  private final BytePipe out;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

  MemoryStream(
      long id, Connection connection, String protocol, boolean initiator, BytePipe in, BytePipe out) {
    this.id = id;
    this.connection = connection;
    this.protocol = protocol;
    this.initiator = initiator;
    this.in = in;
    this.out = out;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public Connection connection() {
    return connection;
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public boolean isInitiator() {
    return initiator;
  }

  @Override
  public InputStream input() {
    return in.input();
  }

  @Override
  public OutputStream output() {
    return out.output();
  }

  @Override
  public void closeWrite() {
    out.close();
    completeIfClosed();
  }

  @Override
  public void reset() {
    // The peer's side first: our own reader may wake and close the stream before the second call.
    out.reset();
    in.reset();
    closeFuture.complete(null);
  }

  @Override
  public void close() {
    out.close();
    closeFuture.complete(null);
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  private void completeIfClosed() {
    if (in.isClosed() && out.isClosed()) {
      closeFuture.complete(null);
    }
  }
}
