package io.mycel.net.noise;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Optional;
import javax.crypto.Cipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the ChaCha20-Poly1305 implementation for Noise: Conscrypt's (BoringSSL) when its native
 * library loads, else the JDK's. Conscrypt is used only for this cipher, never installed as a
 * global provider. Set the system property {@code mycel.noise.conscrypt=false} to force the JDK's.
 */
final class ChaChaPoly {
  static final String JDK_TRANSFORMATION = "ChaCha20-Poly1305";
  static final String CONSCRYPT_TRANSFORMATION = "ChaCha20/Poly1305/NoPadding";

  private static final Logger LOG = LoggerFactory.getLogger(ChaChaPoly.class);
  private static final Provider CONSCRYPT = loadConscrypt();

  private ChaChaPoly() {}

  /** A fresh cipher from the preferred provider. */
  static Cipher newCipher() {
    return CONSCRYPT != null ? conscryptCipher(CONSCRYPT) : jdkCipher();
  }

  /** Conscrypt's provider, when its native library loaded and the cipher works. */
  static Optional<Provider> conscrypt() {
    return Optional.ofNullable(CONSCRYPT);
  }

  /** The name of the provider that {@link #newCipher()} uses. */
  static String providerName() {
    return CONSCRYPT != null ? CONSCRYPT.getName() : jdkCipher().getProvider().getName();
  }

  static Cipher jdkCipher() {
    try {
      return Cipher.getInstance(JDK_TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + JDK_TRANSFORMATION + " cipher", e);
    }
  }

  static Cipher conscryptCipher(Provider provider) {
    try {
      return Cipher.getInstance(CONSCRYPT_TRANSFORMATION, provider);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "Conscrypt has no " + CONSCRYPT_TRANSFORMATION + " cipher", e);
    }
  }

  private static Provider loadConscrypt() {
    if (!Boolean.parseBoolean(System.getProperty("mycel.noise.conscrypt", "true"))) {
      return null;
    }
    try {
      if (!org.conscrypt.Conscrypt.isAvailable()) {
        LOG.debug("Conscrypt is not available; Noise uses the JDK's ChaCha20-Poly1305");
        return null;
      }
      Provider provider = org.conscrypt.Conscrypt.newProvider();
      conscryptCipher(provider);
      return provider;
    } catch (Throwable e) { // a missing or broken native library surfaces as an Error
      LOG.debug("Conscrypt failed to load; Noise uses the JDK's ChaCha20-Poly1305", e);
      return null;
    }
  }
}
