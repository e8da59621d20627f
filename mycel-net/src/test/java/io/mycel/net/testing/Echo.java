package io.mycel.net.testing;

import io.mycel.net.Stream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.security.MessageDigest;

/** The test echo protocol and a client that checks what comes back. */
public final class Echo {
  private Echo() {}

  /** Echoes every byte until the remote side half-closes, then half-closes. */
  public static void serve(Stream stream) throws IOException {
    InputStream in = stream.input();
    OutputStream out = stream.output();
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
    }
    out.flush();
    stream.closeWrite();
  }

  /**
   * Writes {@code size} seeded pseudo-random bytes while reading the echo concurrently, and
   * returns true when the echo is byte-for-byte what was sent.
   */
  public static boolean roundTrip(Stream stream, int size, long seed) throws Exception {
    byte[] payload = new byte[size];
    new Random(seed).nextBytes(payload);
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          OutputStream out = stream.output();
          for (int off = 0; off < size; off += 32 * 1024) {
            out.write(payload, off, Math.min(32 * 1024, size - off));
          }
          out.flush();
          stream.closeWrite();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, executor);
      byte[] received = stream.input().readAllBytes();
      writer.join();
      return MessageDigest.isEqual(
          MessageDigest.getInstance("SHA-256").digest(payload),
          MessageDigest.getInstance("SHA-256").digest(received)) && received.length == size;
    }
  }
}
