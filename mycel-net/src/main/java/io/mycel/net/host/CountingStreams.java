package io.mycel.net.host;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.LongAdder;

/** Stream wrappers that add the bytes they pass to a counter; nothing else changes. */
final class CountingStreams {
  private CountingStreams() {}

  static InputStream counting(InputStream in, LongAdder counter) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
          counter.increment();
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          counter.add(n);
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        if (skipped > 0) {
          counter.add(skipped);
        }
        return skipped;
      }
    };
  }

  static OutputStream counting(OutputStream out, LongAdder counter) {
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        counter.increment();
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        counter.add(len);
      }
    };
  }
}
