package io.mycel.net.noise;

import io.mycel.net.ProtocolViolationException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Noise {@code XX} handshake with X25519, ChaChaPoly and SHA-256, as a pure state machine: it
 * produces and consumes handshake messages (without the libp2p length prefix) and does no I/O.
 *
 * <pre>
 * XX:
 *   -&gt; e
 *   &lt;- e, ee, s, es
 *   -&gt; s, se
 * </pre>
 *
 * <p>The initiator writes message 1, reads message 2 and writes message 3; the responder does the
 * opposite. After message 3 {@link #split()} yields the transport ciphers.
 *
 * @see <a href="https://noiseprotocol.org/noise.html#the-handshakestate-object">Noise, the
 *     HandshakeState object</a>
 * @see <a href="https://noiseprotocol.org/noise.html#interactive-handshake-patterns-fundamental">
 *     Noise, pattern XX</a>
 */
public final class NoiseXXHandshake {
  public static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";

  /** Largest Noise message, handshake or transport. */
  public static final int MAX_MESSAGE_LENGTH = 65535;

  /** Length of a public key in the clear. */
  public static final int DH_LENGTH = X25519.KEY_LENGTH;

  /** Length of a static public key encrypted with its tag. */
  public static final int ENCRYPTED_DH_LENGTH = DH_LENGTH + CipherState.TAG_LENGTH;

  /** Bytes of message 1 before its payload: {@code e}. The payload travels in the clear. */
  public static final int MESSAGE_1_OVERHEAD = DH_LENGTH;

  /** Bytes of message 2 besides its payload: {@code e}, encrypted {@code s}, payload tag. */
  public static final int MESSAGE_2_OVERHEAD =
      DH_LENGTH + ENCRYPTED_DH_LENGTH + CipherState.TAG_LENGTH;

  /** Bytes of message 3 besides its payload: encrypted {@code s}, payload tag. */
  public static final int MESSAGE_3_OVERHEAD = ENCRYPTED_DH_LENGTH + CipherState.TAG_LENGTH;

  /** Which side of the handshake this is. */
  public enum Role {
    INITIATOR,
    RESPONDER
  }

  /** The two transport ciphers of one side: for what it sends and for what it receives. */
  public record TransportCiphers(CipherState sender, CipherState receiver) {
    public TransportCiphers {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(receiver, "receiver");
    }
  }

  private final Role role;
  private final SymmetricState symmetric;
  private final X25519.KeyPair localStatic;
  private final Supplier<X25519.KeyPair> ephemeralKeys;
  private byte[] localEphemeralPrivate;
  private byte[] remoteEphemeral;
  private byte[] remoteStatic;
  private int messagesDone;
  private boolean failed;
  private boolean split;

  /** A handshake with a fresh static key and fresh ephemeral keys drawn from {@code random}. */
  public NoiseXXHandshake(Role role, byte[] prologue, SecureRandom random) {
    this(role, prologue, X25519.generate(random), () -> X25519.generate(random));
  }

  NoiseXXHandshake(
      Role role,
      byte[] prologue,
      X25519.KeyPair localStatic,
      Supplier<X25519.KeyPair> ephemeralKeys) {
    this.role = Objects.requireNonNull(role, "role");
    this.localStatic = Objects.requireNonNull(localStatic, "localStatic");
    this.ephemeralKeys = Objects.requireNonNull(ephemeralKeys, "ephemeralKeys");
    this.symmetric = new SymmetricState(PROTOCOL_NAME);
    symmetric.mixHash(prologue);
  }

  public Role role() {
    return role;
  }

  /** Number of handshake messages written or read so far (0 to 3). */
  public int messagesDone() {
    return messagesDone;
  }

  public boolean isComplete() {
    return messagesDone == 3;
  }

  /** Whether the next handshake message is this side's to write. */
  public boolean isWriteTurn() {
    return !isComplete() && ((messagesDone % 2 == 0) == (role == Role.INITIATOR));
  }

  /** This side's static X25519 public key. */
  public byte[] localStaticPublicKey() {
    return localStatic.publicKey();
  }

  /** The remote static X25519 public key, once a message carrying it has been read. */
  public Optional<byte[]> remoteStaticPublicKey() {
    return Optional.ofNullable(remoteStatic).map(byte[]::clone);
  }

  /** The handshake hash {@code h}, for channel binding and tests. */
  public byte[] handshakeHash() {
    return symmetric.handshakeHash();
  }

  /**
   * Writes the next handshake message carrying {@code payload}.
   *
   * @throws IllegalStateException when it is not this side's turn to write
   * @throws IllegalArgumentException when the message would exceed {@link #MAX_MESSAGE_LENGTH}
   */
  public byte[] writeMessage(byte[] payload) {
    if (failed || !isWriteTurn()) {
      throw new IllegalStateException(
          "not this side's turn to write (messages done: " + messagesDone + ")");
    }
    int overhead = overhead(messagesDone + 1);
    if (payload.length > MAX_MESSAGE_LENGTH - overhead) {
      throw new IllegalArgumentException(
          "handshake payload of " + payload.length + " bytes does not fit");
    }
    try {
      byte[] message = writeTokens();
      message = NoiseBytes.concat(message, symmetric.encryptAndHash(payload));
      messagesDone++;
      return message;
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  private byte[] writeTokens() {
    byte[] message;
    switch (messagesDone) {
      case 0 -> message = writeEphemeral();
      case 1 -> {
        byte[] ephemeral = writeEphemeral();
        symmetric.mixKey(X25519.dh(localEphemeralPrivate, remoteEphemeral)); // ee
        byte[] encryptedStatic = symmetric.encryptAndHash(localStatic.publicKey()); // s
        symmetric.mixKey(X25519.dh(localStatic.privateKey(), remoteEphemeral)); // es
        message = NoiseBytes.concat(ephemeral, encryptedStatic);
      }
      default -> {
        message = symmetric.encryptAndHash(localStatic.publicKey()); // s
        symmetric.mixKey(X25519.dh(localStatic.privateKey(), remoteEphemeral)); // se
      }
    }
    return message;
  }

  /**
   * Reads the peer's next handshake message and returns its payload.
   *
   * @throws ProtocolViolationException when the message is malformed or does not decrypt; the
   *     handshake cannot continue after that
   * @throws IllegalStateException when it is not the peer's turn to write
   */
  public byte[] readMessage(byte[] message) {
    if (failed || isWriteTurn() || isComplete()) {
      throw new IllegalStateException(
          "not the peer's turn to write (messages done: " + messagesDone + ")");
    }
    int messageNumber = messagesDone + 1;
    try {
      int overhead = overhead(messageNumber);
      if (message.length < overhead || message.length > MAX_MESSAGE_LENGTH) {
        throw new ProtocolViolationException(
            "noise handshake message "
                + messageNumber
                + " has "
                + message.length
                + " bytes; expected "
                + overhead
                + " to "
                + MAX_MESSAGE_LENGTH);
      }
      int offset;
      switch (messagesDone) {
        case 0 -> offset = readEphemeral(message);
        case 1 -> {
          offset = readEphemeral(message);
          symmetric.mixKey(X25519.dh(localEphemeralPrivate, remoteEphemeral)); // ee
          remoteStatic = symmetric.decryptAndHash(slice(message, offset, ENCRYPTED_DH_LENGTH)); // s
          offset += ENCRYPTED_DH_LENGTH;
          symmetric.mixKey(X25519.dh(localEphemeralPrivate, remoteStatic)); // es
        }
        default -> {
          remoteStatic = symmetric.decryptAndHash(slice(message, 0, ENCRYPTED_DH_LENGTH)); // s
          offset = ENCRYPTED_DH_LENGTH;
          symmetric.mixKey(X25519.dh(localEphemeralPrivate, remoteStatic)); // se
        }
      }
      byte[] payload = symmetric.decryptAndHash(slice(message, offset, message.length - offset));
      messagesDone++;
      return payload;
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  /**
   * Noise {@code Split()}, once the handshake is complete; callable once.
   *
   * @throws IllegalStateException before message 3, or on a second call
   */
  public TransportCiphers split() {
    if (!isComplete() || split) {
      throw new IllegalStateException(split ? "already split" : "handshake not complete");
    }
    split = true;
    CipherState[] ciphers = symmetric.split();
    X25519.wipe(localEphemeralPrivate);
    return role == Role.INITIATOR
        ? new TransportCiphers(ciphers[0], ciphers[1])
        : new TransportCiphers(ciphers[1], ciphers[0]);
  }

  /** Bytes of handshake message {@code messageNumber} (1 to 3) besides its payload. */
  public static int overhead(int messageNumber) {
    return switch (messageNumber) {
      case 1 -> MESSAGE_1_OVERHEAD;
      case 2 -> MESSAGE_2_OVERHEAD;
      case 3 -> MESSAGE_3_OVERHEAD;
      default -> throw new IllegalArgumentException("XX has messages 1 to 3, not " + messageNumber);
    };
  }

  private byte[] writeEphemeral() {
    X25519.KeyPair ephemeral = ephemeralKeys.get();
    localEphemeralPrivate = ephemeral.privateKey();
    byte[] publicKey = ephemeral.publicKey();
    symmetric.mixHash(publicKey);
    return publicKey;
  }

  private int readEphemeral(byte[] message) {
    remoteEphemeral = slice(message, 0, DH_LENGTH);
    symmetric.mixHash(remoteEphemeral);
    return DH_LENGTH;
  }

  private static byte[] slice(byte[] bytes, int offset, int length) {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }
}
