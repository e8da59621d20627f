package io.mycel.net.host;

import io.mycel.net.Connection;
import io.mycel.net.Stream;
import io.mycel.net.mux.MuxedStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** A muxed stream after multistream-select, bound to its connection and protocol. */
final class HostStream implements Stream {
  private final MuxedStream muxed;
  private final Connection connection;
  private final String protocol;
  private final InputStream input;
  private final OutputStream output;

  /** A stream whose payload bytes, opening and closing are counted in {@code counters}. */
  HostStream(MuxedStream muxed, Connection connection, String protocol,
      Traffic.ProtocolCounters counters) {
    this.muxed = muxed;
    this.connection = connection;
    this.protocol = protocol;
    this.input = CountingStreams.counting(muxed.input(), counters.bytesIn);
    this.output = CountingStreams.counting(muxed.output(), counters.bytesOut);
    counters.streamsOpened.increment();
    counters.streamsOpen.increment();
    muxed.closeFuture().whenComplete((v, e) -> counters.streamsOpen.decrement());
  }

  @Override
  public long id() {
    return muxed.id();
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
    return muxed.isInitiator();
  }

  @Override
  public InputStream input() {
    return input;
  }

  @Override
  public OutputStream output() {
    return output;
  }

  @Override
  public void closeWrite() {
    muxed.closeWrite();
  }

  @Override
  public void reset() {
    muxed.reset();
  }

  @Override
  public void close() {
    muxed.close();
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return muxed.closeFuture();
  }

  @Override
  public String toString() {
    return "stream " + id() + " " + protocol + " with " + connection.remotePeer();
  }
}
