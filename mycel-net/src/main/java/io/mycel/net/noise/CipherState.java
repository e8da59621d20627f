package io.mycel.net.noise;

import io.mycel.net.ProtocolViolationException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Noise {@code CipherState} for ChaChaPoly: a key and a 64-bit message counter. The AEAD nonce is
 * 32 zero bits followed by the counter in little-endian order. One instance serves one direction
 * after the handshake's split and is not thread-safe.
 *
 * @see <a href="https://noiseprotocol.org/noise.html#the-cipherstate-object">Noise, the CipherState
 *     object</a>
 * @see <a href="https://noiseprotocol.org/noise.html#the-chachapoly-cipher-functions">Noise, the
 *     ChaChaPoly cipher functions</a>
 */
public final class CipherState {
  /** Length of the Poly1305 authentication tag appended to every ciphertext. */
  public static final int TAG_LENGTH = 16;

  static final int KEY_LENGTH = 32;
  static final int NONCE_LENGTH = 12;

  /** 2^64-1 (unsigned) is reserved by Noise and never used as a nonce. */
  static final long RESERVED_NONCE = -1L;

  private static final byte[] NO_AD = new byte[0];

  private final Cipher cipher;
  private final byte[] iv = new byte[NONCE_LENGTH];
  private static final int MIN_SCRATCH = 65535 + TAG_LENGTH;

  private SecretKeySpec key;
  private byte[] scratch;
  private long nonce;

  CipherState() {
    this(ChaChaPoly.newCipher());
  }

  CipherState(Cipher cipher) {
    this.cipher = cipher;
  }

  void initializeKey(byte[] keyBytes) {
    if (keyBytes.length != KEY_LENGTH) {
      throw new IllegalArgumentException("ChaChaPoly keys are 32 bytes");
    }
    key = new SecretKeySpec(keyBytes, "ChaCha20");
    nonce = 0;
  }

  boolean hasKey() {
    return key != null;
  }

  /** The counter the next message will use. */
  public long nonce() {
    return nonce;
  }

  void setNonce(long nonce) {
    this.nonce = nonce;
  }

  /** The name of the JCA provider doing the work. */
  public String providerName() {
    return cipher.getProvider().getName();
  }

  /** Noise {@code EncryptWithAd}; returns the plaintext unchanged while no key is set. */
  byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
    if (key == null) {
      return plaintext.clone();
    }
    try {
      init(Cipher.ENCRYPT_MODE);
      cipher.updateAAD(ad);
      byte[] ciphertext = cipher.doFinal(plaintext);
      nonce++;
      return ciphertext;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaChaPoly encryption failed", e);
    }
  }

  /**
   * Noise {@code DecryptWithAd}; returns the ciphertext unchanged while no key is set.
   *
   * @throws ProtocolViolationException when the ciphertext does not authenticate
   */
  byte[] decryptWithAd(byte[] ad, byte[] ciphertext) {
    if (key == null) {
      return ciphertext.clone();
    }
    if (ciphertext.length < TAG_LENGTH) {
      throw new ProtocolViolationException("noise ciphertext shorter than its tag");
    }
    try {
      init(Cipher.DECRYPT_MODE);
      cipher.updateAAD(ad);
      byte[] plaintext = cipher.doFinal(ciphertext);
      nonce++;
      return plaintext;
    } catch (AEADBadTagException e) {
      throw new ProtocolViolationException("noise message failed to decrypt", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaChaPoly decryption failed", e);
    }
  }

  /**
   * Encrypts a transport message: all remaining bytes of {@code plaintext} into {@code ciphertext}
   * ({@code plaintext.remaining() + TAG_LENGTH} bytes), advancing both buffers' positions.
   *
   * @return the number of ciphertext bytes written
   */
  public int encrypt(ByteBuffer plaintext, ByteBuffer ciphertext) {
    requireKey();
    try {
      init(Cipher.ENCRYPT_MODE);
      int written = doFinal(plaintext, ciphertext);
      nonce++;
      return written;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaChaPoly encryption failed", e);
    }
  }

  /**
   * Decrypts a transport message: all remaining bytes of {@code ciphertext} into {@code plaintext}
   * ({@code ciphertext.remaining() - TAG_LENGTH} bytes), advancing both buffers' positions.
   *
   * @return the number of plaintext bytes written
   * @throws ProtocolViolationException when the ciphertext does not authenticate
   */
  public int decrypt(ByteBuffer ciphertext, ByteBuffer plaintext) {
    requireKey();
    if (ciphertext.remaining() < TAG_LENGTH) {
      throw new ProtocolViolationException("noise ciphertext shorter than its tag");
    }
    try {
      init(Cipher.DECRYPT_MODE);
      int written = doFinal(ciphertext, plaintext);
      nonce++;
      return written;
    } catch (AEADBadTagException e) {
      throw new ProtocolViolationException("noise message failed to decrypt", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaChaPoly decryption failed", e);
    }
  }

  byte[] encryptWithAd(byte[] plaintext) {
    return encryptWithAd(NO_AD, plaintext);
  }

  /**
   * Runs the cipher over buffers without letting a provider allocate: direct buffers go through
   * the buffer API (Conscrypt hands them to native code as they are); otherwise the cipher reads
   * the input's own array, or a copy of a direct input in a reused scratch array, and always
   * writes into the scratch array, whose bytes are then put into {@code out}.
   *
   * <p>The output never goes straight into a heap buffer's array: that array is typically a chunk
   * that the allocator shares among many buffers, and a native provider writes an array through
   * JNI, which on HotSpot copies the whole array out and back in. Conscrypt does so, and its copy
   * back reverted whatever other threads had written meanwhile into other buffers of the chunk
   * (relayed connections failed Noise decryption in bulk transfers). An input array is only read
   * (JNI releases it without copying back), so it is used in place.
   */
  private int doFinal(ByteBuffer in, ByteBuffer out) throws GeneralSecurityException {
    if (in.isDirect() && out.isDirect()) {
      return cipher.doFinal(in, out);
    }
    int length = in.remaining();
    byte[] input;
    int inputOffset;
    if (in.hasArray()) {
      input = in.array();
      inputOffset = in.arrayOffset() + in.position();
      in.position(in.limit());
    } else {
      input = scratch(length);
      inputOffset = 0;
      in.get(input, 0, length);
    }
    byte[] output = input == scratch ? input : scratch(length + TAG_LENGTH);
    int written = cipher.doFinal(input, inputOffset, length, output, 0);
    out.put(output, 0, written);
    return written;
  }

  private byte[] scratch(int length) {
    if (scratch == null || scratch.length < length + TAG_LENGTH) {
      scratch = new byte[Math.max(length + TAG_LENGTH, MIN_SCRATCH)];
    }
    return scratch;
  }

  private void requireKey() {
    if (key == null) {
      throw new IllegalStateException("cipher state has no key");
    }
  }

  private void init(int mode) throws GeneralSecurityException {
    if (nonce == RESERVED_NONCE) {
      throw new IllegalStateException("noise nonce exhausted; the session must end");
    }
    long n = nonce;
    for (int i = 4; i < NONCE_LENGTH; i++) {
      iv[i] = (byte) n;
      n >>>= 8;
    }
    cipher.init(mode, key, new IvParameterSpec(iv));
  }
}
