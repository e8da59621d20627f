package io.mycel.net.noise;

import io.mycel.core.crypto.Ed25519;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import javax.crypto.Cipher;

/**
 * A rough look at cipher and handler throughput, run by hand ({@code main}); not a test and not a
 * benchmark (those live in the bench module).
 */
public final class NoiseThroughputCheck {
  private static final int CHUNK = NoiseHandler.MAX_PLAINTEXT_LENGTH;
  private static final long TOTAL = 2L << 30;

  public static void main(String[] args) {
    System.out.println("preferred provider: " + ChaChaPoly.providerName());
    cipher("JDK heap", ChaChaPoly.jdkCipher(), ChaChaPoly.jdkCipher(), false);
    ChaChaPoly.conscrypt()
        .ifPresent(
            p -> {
              cipher(
                  "Conscrypt heap",
                  ChaChaPoly.conscryptCipher(p),
                  ChaChaPoly.conscryptCipher(p),
                  false);
              cipher(
                  "Conscrypt direct",
                  ChaChaPoly.conscryptCipher(p),
                  ChaChaPoly.conscryptCipher(p),
                  true);
            });
    handler();
  }

  private static void cipher(String name, Cipher encryptor, Cipher decryptor, boolean direct) {
    CipherState sender = new CipherState(encryptor);
    CipherState receiver = new CipherState(decryptor);
    byte[] key = new byte[32];
    sender.initializeKey(key);
    receiver.initializeKey(key);
    ByteBuffer plaintext = direct ? ByteBuffer.allocateDirect(CHUNK) : ByteBuffer.allocate(CHUNK);
    ByteBuffer ciphertext =
        direct ? ByteBuffer.allocateDirect(CHUNK + 16) : ByteBuffer.allocate(CHUNK + 16);
    ByteBuffer decrypted = direct ? ByteBuffer.allocateDirect(CHUNK) : ByteBuffer.allocate(CHUNK);
    long start = System.nanoTime();
    for (long done = 0; done < TOTAL; done += CHUNK) {
      plaintext.clear();
      ciphertext.clear();
      decrypted.clear();
      sender.encrypt(plaintext, ciphertext);
      receiver.decrypt(ciphertext.flip(), decrypted);
    }
    report(name + " encrypt+decrypt", start);
  }

  private static void handler() {
    var initiatorKey = Ed25519.generate();
    var responderKey = Ed25519.generate();
    try (EmbeddedPair pair =
        new EmbeddedPair(
            new NoiseHandler(true, initiatorKey, null),
            new NoiseHandler(false, responderKey, null))) {
      pair.pump();
      int write = 1 << 20;
      for (int round = 0; round < 3; round++) {
        long encrypting = 0;
        long decrypting = 0;
        for (long done = 0; done < TOTAL / 2; done += write) {
          ByteBuf data = PooledByteBufAllocator.DEFAULT.directBuffer(write).writerIndex(write);
          long t0 = System.nanoTime();
          pair.initiator.writeAndFlush(data);
          long t1 = System.nanoTime();
          EmbeddedPair.deliver(pair.initiator, pair.responder);
          for (ByteBuf buf; (buf = pair.responder.readInbound()) != null; ) {
            buf.release();
          }
          decrypting += System.nanoTime() - t1;
          encrypting += t1 - t0;
        }
        System.out.printf(
            "%-40s %8.0f MB/s%n", "handler encrypt+frame", TOTAL / 2 / 1e6 / (encrypting / 1e9));
        System.out.printf(
            "%-40s %8.0f MB/s%n", "handler deframe+decrypt", TOTAL / 2 / 1e6 / (decrypting / 1e9));
      }
    }
  }

  private static void report(String name, long start) {
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%-40s %8.0f MB/s%n", name, TOTAL / 1e6 / seconds);
  }
}
