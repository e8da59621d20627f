package io.mycel.net.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise {@code SymmetricState} with SHA-256: chaining key, handshake hash and the handshake's
 * {@link CipherState}.
 *
 * @see <a href="https://noiseprotocol.org/noise.html#the-symmetricstate-object">Noise, the
 *     SymmetricState object</a>
 */
final class SymmetricState {
  static final int HASH_LENGTH = 32;

  private final MessageDigest sha256;
  private final Mac hmac;
  private final CipherState cipherState = new CipherState();
  private byte[] chainingKey;
  private byte[] handshakeHash;

  SymmetricState(String protocolName) {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
      hmac = Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    handshakeHash =
        name.length <= HASH_LENGTH ? Arrays.copyOf(name, HASH_LENGTH) : sha256.digest(name);
    chainingKey = handshakeHash.clone();
  }

  void mixKey(byte[] inputKeyMaterial) {
    byte[][] outputs = hkdf(chainingKey, inputKeyMaterial);
    chainingKey = outputs[0];
    cipherState.initializeKey(outputs[1]);
    X25519.wipe(outputs[1]);
  }

  void mixHash(byte[] data) {
    sha256.update(handshakeHash);
    sha256.update(data);
    handshakeHash = sha256.digest();
  }

  byte[] encryptAndHash(byte[] plaintext) {
    byte[] ciphertext = cipherState.encryptWithAd(handshakeHash, plaintext);
    mixHash(ciphertext);
    return ciphertext;
  }

  byte[] decryptAndHash(byte[] ciphertext) {
    byte[] plaintext = cipherState.decryptWithAd(handshakeHash, ciphertext);
    mixHash(ciphertext);
    return plaintext;
  }

  boolean hasKey() {
    return cipherState.hasKey();
  }

  byte[] handshakeHash() {
    return handshakeHash.clone();
  }

  /** Noise {@code Split()}: the initiator-to-responder and responder-to-initiator ciphers. */
  CipherState[] split() {
    byte[][] keys = hkdf(chainingKey, new byte[0]);
    CipherState first = new CipherState();
    first.initializeKey(keys[0]);
    CipherState second = new CipherState();
    second.initializeKey(keys[1]);
    X25519.wipe(keys[0]);
    X25519.wipe(keys[1]);
    X25519.wipe(chainingKey);
    return new CipherState[] {first, second};
  }

  /** Noise {@code HKDF(chaining_key, input_key_material, 2)} over HMAC-SHA256. */
  private byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial) {
    byte[] tempKey = hmac(chainingKey, inputKeyMaterial);
    byte[] output1 = hmac(tempKey, new byte[] {0x01});
    byte[] output2 = hmac(tempKey, NoiseBytes.concat(output1, new byte[] {0x02}));
    X25519.wipe(tempKey);
    return new byte[][] {output1, output2};
  }

  private byte[] hmac(byte[] key, byte[] data) {
    try {
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
      return hmac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 failed", e);
    }
  }
}
