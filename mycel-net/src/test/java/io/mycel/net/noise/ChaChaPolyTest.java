package io.mycel.net.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.net.ProtocolViolationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ChaChaPolyTest {
  private static final HexFormat HEX = HexFormat.of();

  // RFC 8439 section 2.8.2
  private static final byte[] KEY =
      HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  private static final byte[] IV = HEX.parseHex("070000004041424344454647");
  private static final byte[] AAD = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
  private static final byte[] PLAINTEXT =
      ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future,"
              + " sunscreen would be it.")
          .getBytes(StandardCharsets.US_ASCII);
  private static final String CIPHERTEXT_AND_TAG =
      "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
          + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
          + "3ff4def08e4b7a9de576d26586cec64b61161ae10b594f09e26a7e902ecbd0600691";

  @Test
  void everyAvailableProviderMatchesRfc8439() throws Exception {
    List<Cipher> ciphers = new ArrayList<>();
    ciphers.add(ChaChaPoly.jdkCipher());
    ChaChaPoly.conscrypt().ifPresent(provider -> ciphers.add(ChaChaPoly.conscryptCipher(provider)));

    for (Cipher cipher : ciphers) {
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "ChaCha20"), new IvParameterSpec(IV));
      cipher.updateAAD(AAD);
      assertThat(HEX.formatHex(cipher.doFinal(PLAINTEXT)))
          .as(cipher.getProvider().getName())
          .isEqualTo(CIPHERTEXT_AND_TAG);

      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "ChaCha20"), new IvParameterSpec(IV));
      cipher.updateAAD(AAD);
      assertThat(cipher.doFinal(HEX.parseHex(CIPHERTEXT_AND_TAG))).isEqualTo(PLAINTEXT);
    }
  }

  @Test
  void cipherStatesOfBothProvidersAgreeOnTheNoiseNonce() {
    CipherState jdk = new CipherState(ChaChaPoly.jdkCipher());
    CipherState preferred = new CipherState(ChaChaPoly.newCipher());
    jdk.initializeKey(KEY);
    preferred.initializeKey(KEY);
    jdk.setNonce(0x0102030405060708L);
    preferred.setNonce(0x0102030405060708L);

    byte[] fromJdk = jdk.encryptWithAd(AAD, PLAINTEXT);
    byte[] fromPreferred = preferred.encryptWithAd(AAD, PLAINTEXT);
    assertThat(fromPreferred).isEqualTo(fromJdk);
    assertThat(jdk.nonce()).isEqualTo(0x0102030405060709L);
  }

  @Test
  void directBuffersRoundTrip() {
    CipherState sender = new CipherState();
    CipherState receiver = new CipherState();
    sender.initializeKey(KEY);
    receiver.initializeKey(KEY);
    ByteBuffer plaintext = ByteBuffer.allocateDirect(PLAINTEXT.length).put(PLAINTEXT).flip();
    ByteBuffer ciphertext = ByteBuffer.allocateDirect(PLAINTEXT.length + CipherState.TAG_LENGTH);

    assertThat(sender.encrypt(plaintext, ciphertext))
        .isEqualTo(PLAINTEXT.length + CipherState.TAG_LENGTH);
    ByteBuffer decrypted = ByteBuffer.allocateDirect(PLAINTEXT.length);
    assertThat(receiver.decrypt(ciphertext.flip(), decrypted)).isEqualTo(PLAINTEXT.length);
    byte[] out = new byte[PLAINTEXT.length];
    decrypted.flip().get(out);
    assertThat(out).isEqualTo(PLAINTEXT);
  }

  /**
   * Heap buffers of an allocator share one array chunk. Encrypting into one of them must not
   * touch the rest of the chunk: a provider whose native code copied the whole array back (as
   * Conscrypt's JNI array access does) reverted what another thread had written meanwhile into
   * another buffer of the chunk.
   */
  @Test
  void encryptingIntoAHeapBufferKeepsWhatAnotherThreadWritesElsewhereInItsArray()
      throws Exception {
    List<Cipher> ciphers = new ArrayList<>();
    ciphers.add(ChaChaPoly.jdkCipher());
    ChaChaPoly.conscrypt().ifPresent(provider -> ciphers.add(ChaChaPoly.conscryptCipher(provider)));
    for (Cipher cipher : ciphers) {
      CipherState sender = new CipherState(cipher);
      sender.initializeKey(KEY);
      byte[] chunk = new byte[1 << 20];
      int frame = 16 * 1024;
      ByteBuffer plaintext = ByteBuffer.wrap(chunk, 0, frame).slice();
      ByteBuffer ciphertext = ByteBuffer.wrap(chunk, frame, frame + CipherState.TAG_LENGTH).slice();
      int from = chunk.length / 2;
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong reverted = new AtomicLong();
      AtomicLong passes = new AtomicLong();
      Thread writer = Thread.ofPlatform().start(() -> {
        for (byte value = 1; !stop.get(); value++) {
          Arrays.fill(chunk, from, chunk.length, value);
          for (int check = 0; check < 4; check++) {
            for (int i = from; i < chunk.length; i++) {
              if (chunk[i] != value) {
                reverted.incrementAndGet();
                return;
              }
            }
          }
          passes.incrementAndGet();
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      int frames = 0;
      while (reverted.get() == 0 && (passes.get() < 200 || frames < 2000)
          && System.nanoTime() < deadline) {
        sender.encrypt(plaintext.clear(), ciphertext.clear());
        frames++;
      }
      stop.set(true);
      writer.join();

      assertThat(reverted.get())
          .as("bytes of the shared array reverted while %s encrypted %d frames",
              cipher.getProvider().getName(), frames)
          .isZero();
    }
  }

  @Test
  void wrongNonceFailsToDecrypt() {
    CipherState sender = new CipherState();
    CipherState receiver = new CipherState();
    sender.initializeKey(KEY);
    receiver.initializeKey(KEY);
    byte[] ciphertext = sender.encryptWithAd(new byte[0], PLAINTEXT);
    receiver.setNonce(1);

    assertThatThrownBy(() -> receiver.decryptWithAd(new byte[0], ciphertext))
        .isInstanceOf(ProtocolViolationException.class);
    assertThat(receiver.nonce()).isEqualTo(1);
  }

  @Test
  void theReservedNonceIsNeverUsed() {
    CipherState sender = new CipherState();
    sender.initializeKey(KEY);
    sender.setNonce(CipherState.RESERVED_NONCE - 1);
    sender.encryptWithAd(new byte[0], PLAINTEXT);

    assertThatThrownBy(() -> sender.encryptWithAd(new byte[0], PLAINTEXT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nonce exhausted");
  }
}
