package io.mycel.net.multistream.testing;

import io.mycel.net.StreamResetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A one-way in-memory byte channel with blocking reads, end of stream and reset, for tests. The
 * buffer is unbounded: writes never block.
 */
public final class BytePipe {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private byte[] data = new byte[256];
  private int head;
  private int tail;
  private boolean closed;
  private boolean reset;
  private long written;

  private final InputStream input =
      new InputStream() {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          int n = read(one, 0, 1);
          return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (len == 0) {
            return 0;
          }
          lock.lock();
          try {
            while (head == tail && !closed && !reset) {
              try {
                changed.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading");
              }
            }
            if (reset) {
              throw new StreamResetException("stream reset");
            }
            if (head == tail) {
              return -1;
            }
            int n = Math.min(len, tail - head);
            System.arraycopy(data, head, b, off, n);
            head += n;
            return n;
          } finally {
            lock.unlock();
          }
        }

        @Override
        public int available() {
          lock.lock();
          try {
            return tail - head;
          } finally {
            lock.unlock();
          }
        }
      };

  private final OutputStream output =
      new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          lock.lock();
          try {
            if (reset) {
              throw new StreamResetException("stream reset");
            }
            if (closed) {
              throw new IOException("write side closed");
            }
            if (tail + len > data.length) {
              int live = tail - head;
              byte[] grown = new byte[Math.max(data.length, (live + len) * 2)];
              System.arraycopy(data, head, grown, 0, live);
              data = grown;
              head = 0;
              tail = live;
            }
            System.arraycopy(b, off, data, tail, len);
            tail += len;
            written += len;
            changed.signalAll();
          } finally {
            lock.unlock();
          }
        }

        @Override
        public void close() {
          BytePipe.this.close();
        }
      };

  public InputStream input() {
    return input;
  }

  public OutputStream output() {
    return output;
  }

  /** Ends the stream: the reader gets -1 once it drained the buffer. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Aborts: both ends fail with {@link StreamResetException}. */
  public void reset() {
    lock.lock();
    try {
      reset = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public boolean isClosed() {
    lock.lock();
    try {
      return closed || reset;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes written so far, read or not. */
  public long written() {
    lock.lock();
    try {
      return written;
    } finally {
      lock.unlock();
    }
  }
}
