package io.mycel.testkit.sim;

import io.mycel.net.Connection;
import io.mycel.net.Stream;
import io.mycel.net.StreamResetException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of a simulated stream. Writes are buffered until {@code flush()} (or {@link
 * #closeWrite()}), then travel as one chunk over the connection's link; reads block until a
 * chunk, the remote half-close or a reset arrives.
 */
final class SimStream implements Stream {

  private final SimConnection connection;
  private final long id;
  private final String protocol;
  private final boolean initiator;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
  private final ByteArrayOutputStream outbound = new ByteArrayOutputStream();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private final InputStream input = new Input();
  private final OutputStream output = new Output();
  private SimStream other;
  private int offset;
  private boolean remoteClosed;
  private boolean writeClosed;
  private boolean readClosed;
  private boolean reset;

  SimStream(SimConnection connection, long id, String protocol, boolean initiator) {
    this.connection = connection;
    this.id = id;
    this.protocol = protocol;
    this.initiator = initiator;
  }

  static void join(SimStream a, SimStream b) {
    a.other = b;
    b.other = a;
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
    return input;
  }

  @Override
  public OutputStream output() {
    return output;
  }

  @Override
  public void closeWrite() {
    lock.lock();
    try {
      if (writeClosed || reset) {
        return;
      }
      sendBuffered();
      writeClosed = true;
      connection.out().send(other::remoteClosedWrite);
      finishIfClosed();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void reset() {
    lock.lock();
    try {
      if (reset || closeFuture.isDone()) {
        return;
      }
      reset = true;
      inbound.clear();
      offset = 0;
      changed.signalAll();
      connection.out().send(other::remoteReset);
      finish();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    closeWrite();
    lock.lock();
    try {
      readClosed = true;
      inbound.clear();
      offset = 0;
      changed.signalAll();
      finishIfClosed();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  // ---------------------------------------------------------------- arrivals (scheduler thread)

  private void arrived(byte[] chunk) {
    lock.lock();
    try {
      if (reset || readClosed) {
        return;
      }
      inbound.add(chunk);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    connection.network().tap(this, chunk);
  }

  private void remoteClosedWrite() {
    lock.lock();
    try {
      remoteClosed = true;
      changed.signalAll();
      finishIfClosed();
    } finally {
      lock.unlock();
    }
  }

  private void remoteReset() {
    lock.lock();
    try {
      if (reset || closeFuture.isDone()) {
        return;
      }
      reset = true;
      inbound.clear();
      offset = 0;
      changed.signalAll();
      finish();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- internals (lock held)

  private void sendBuffered() {
    if (outbound.size() == 0) {
      return;
    }
    byte[] chunk = outbound.toByteArray();
    outbound.reset();
    connection.network().countChunk(chunk.length);
    SimStream target = other;
    connection.out().send(() -> target.arrived(chunk));
  }

  private void finishIfClosed() {
    if (writeClosed && (remoteClosed || readClosed)) {
      finish();
    }
  }

  private void finish() {
    connection.forget(this);
    closeFuture.complete(null);
  }

  private final class Input extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      lock.lock();
      try {
        while (inbound.isEmpty() && !remoteClosed && !reset && !readClosed) {
          changed.await();
        }
        if (reset) {
          throw new StreamResetException("stream " + id + " (" + protocol + ") was reset");
        }
        if (inbound.isEmpty()) {
          return -1;
        }
        byte[] head = inbound.peek();
        int n = Math.min(len, head.length - offset);
        System.arraycopy(head, offset, b, off, n);
        offset += n;
        if (offset == head.length) {
          inbound.poll();
          offset = 0;
        }
        return n;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted reading stream " + id);
      } finally {
        lock.unlock();
      }
    }
  }

  private final class Output extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      lock.lock();
      try {
        checkWritable();
        outbound.write(b, off, len);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void flush() throws IOException {
      lock.lock();
      try {
        checkWritable();
        sendBuffered();
      } finally {
        lock.unlock();
      }
    }

    private void checkWritable() throws IOException {
      if (reset) {
        throw new StreamResetException("stream " + id + " (" + protocol + ") was reset");
      }
      if (writeClosed) {
        throw new IOException("stream " + id + " (" + protocol + ") is closed for writing");
      }
    }
  }
}
