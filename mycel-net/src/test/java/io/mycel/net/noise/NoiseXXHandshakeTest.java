package io.mycel.net.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.net.ProtocolViolationException;
import io.mycel.net.noise.NoiseXXHandshake.Role;
import io.mycel.net.noise.NoiseXXHandshake.TransportCiphers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NoiseXXHandshakeTest {
  private static final HexFormat HEX = HexFormat.of();

  // Noise_XX_25519_ChaChaPoly_SHA256 vector from the cacophony test vectors (as shipped with snow).
  private static final String PROLOGUE = "4a6f686e2047616c74";
  private static final String INIT_STATIC =
      "e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1";
  private static final String INIT_EPHEMERAL =
      "893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a";
  private static final String RESP_STATIC =
      "4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893";
  private static final String RESP_EPHEMERAL =
      "bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b";
  private static final String HANDSHAKE_HASH =
      "c8e5f64e846193be2a834104c2a009868d6c9f3bd3c186299888b488b2f1f58e";
  private static final String[][] MESSAGES = {
    {
      "4c756477696720766f6e204d69736573",
      "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573"
    },
    {
      "4d757272617920526f746862617264",
      "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884381cbad1f276e038c48378ffce2b65285"
          + "e08d6b68aaa3629a5a8639392490e5b9bd5269c2f1e4f488ed8831161f19b7815528f8982ffe09be9b5c412f8a0db5"
          + "0f8814c7194e83f23dbd8d162c9326ad"
    },
    {
      "462e20412e20486179656b",
      "c7195ffacac1307ff99046f219750fc47693e23c3cb08b89c2af808b444850a80ae475b9df0f169ae80a89be0865b57f"
          + "58c9fea0d4ec82a286427402f113e4b6ae769a1d95941d49b25030"
    },
    {"4361726c204d656e676572", "96763ed773f8e47bb3712f0e29b3060ffc956ffc146cee53d5e1df"},
    {
      "4a65616e2d426170746973746520536179",
      "3e40f15f6f3a46ae446b253bf8b1d9ffb6ed9b174d272328ff91a7e2e5c79c07f5"
    },
    {
      "457567656e2042f6686d20766f6e2042617765726b",
      "eb3f3515110702e047a6c9da4478b6ead94873c11c0f2d710ddb3f09fce024b3a58502ae3f"
    },
  };

  @Test
  void matchesTheCacophonyVector() {
    NoiseXXHandshake initiator = vectorHandshake(Role.INITIATOR, INIT_STATIC, INIT_EPHEMERAL);
    NoiseXXHandshake responder = vectorHandshake(Role.RESPONDER, RESP_STATIC, RESP_EPHEMERAL);

    for (int i = 0; i < 3; i++) {
      NoiseXXHandshake writer = i % 2 == 0 ? initiator : responder;
      NoiseXXHandshake reader = i % 2 == 0 ? responder : initiator;
      byte[] message = writer.writeMessage(HEX.parseHex(MESSAGES[i][0]));
      assertThat(HEX.formatHex(message)).as("message %d", i + 1).isEqualTo(MESSAGES[i][1]);
      assertThat(HEX.formatHex(reader.readMessage(message))).isEqualTo(MESSAGES[i][0]);
    }
    assertThat(initiator.isComplete()).isTrue();
    assertThat(responder.isComplete()).isTrue();
    assertThat(HEX.formatHex(initiator.handshakeHash())).isEqualTo(HANDSHAKE_HASH);
    assertThat(HEX.formatHex(responder.handshakeHash())).isEqualTo(HANDSHAKE_HASH);
    assertThat(initiator.remoteStaticPublicKey())
        .hasValueSatisfying(key -> assertThat(key).isEqualTo(responder.localStaticPublicKey()));

    TransportCiphers initiatorCiphers = initiator.split();
    TransportCiphers responderCiphers = responder.split();
    for (int i = 3; i < MESSAGES.length; i++) {
      // transport messages keep alternating: the responder sends first
      TransportCiphers writer = i % 2 == 0 ? initiatorCiphers : responderCiphers;
      TransportCiphers reader = i % 2 == 0 ? responderCiphers : initiatorCiphers;
      byte[] plaintext = HEX.parseHex(MESSAGES[i][0]);
      ByteBuffer ciphertext = ByteBuffer.allocate(plaintext.length + CipherState.TAG_LENGTH);
      writer.sender().encrypt(ByteBuffer.wrap(plaintext), ciphertext);
      assertThat(HEX.formatHex(ciphertext.array()))
          .as("transport message %d", i + 1)
          .isEqualTo(MESSAGES[i][1]);

      ByteBuffer decrypted = ByteBuffer.allocate(plaintext.length);
      reader.receiver().decrypt(ciphertext.flip(), decrypted);
      assertThat(decrypted.array()).isEqualTo(plaintext);
    }
  }

  @Test
  void bothRolesAgreeWithFreshKeys() {
    SecureRandom random = new SecureRandom();
    NoiseXXHandshake initiator = new NoiseXXHandshake(Role.INITIATOR, new byte[0], random);
    NoiseXXHandshake responder = new NoiseXXHandshake(Role.RESPONDER, new byte[0], random);

    assertThat(initiator.isWriteTurn()).isTrue();
    assertThat(responder.isWriteTurn()).isFalse();
    assertThat(responder.readMessage(initiator.writeMessage(new byte[0]))).isEmpty();
    byte[] payload2 = "from the responder".getBytes(StandardCharsets.UTF_8);
    assertThat(initiator.readMessage(responder.writeMessage(payload2))).isEqualTo(payload2);
    byte[] message3 = initiator.writeMessage(new byte[0]);
    assertThat(message3).hasSize(NoiseXXHandshake.MESSAGE_3_OVERHEAD);
    assertThat(responder.readMessage(message3)).isEmpty();

    assertThat(initiator.handshakeHash()).isEqualTo(responder.handshakeHash());
    assertThat(responder.remoteStaticPublicKey())
        .hasValueSatisfying(key -> assertThat(key).isEqualTo(initiator.localStaticPublicKey()));
    TransportCiphers a = initiator.split();
    TransportCiphers b = responder.split();
    byte[] plaintext = "hello".getBytes(StandardCharsets.UTF_8);
    ByteBuffer ciphertext = ByteBuffer.allocate(plaintext.length + CipherState.TAG_LENGTH);
    b.sender().encrypt(ByteBuffer.wrap(plaintext), ciphertext);
    ByteBuffer decrypted = ByteBuffer.allocate(plaintext.length);
    a.receiver().decrypt(ciphertext.flip(), decrypted);
    assertThat(decrypted.array()).isEqualTo(plaintext);
  }

  @Test
  void rejectsATamperedMessage2() {
    SecureRandom random = new SecureRandom();
    NoiseXXHandshake initiator = new NoiseXXHandshake(Role.INITIATOR, new byte[0], random);
    NoiseXXHandshake responder = new NoiseXXHandshake(Role.RESPONDER, new byte[0], random);
    responder.readMessage(initiator.writeMessage(new byte[0]));
    byte[] message2 = responder.writeMessage(new byte[] {1, 2, 3});
    message2[message2.length - 1] ^= 1;

    assertThatThrownBy(() -> initiator.readMessage(message2))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("decrypt");
    assertThatThrownBy(() -> initiator.writeMessage(new byte[0]))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsAShortMessage2() {
    SecureRandom random = new SecureRandom();
    NoiseXXHandshake initiator = new NoiseXXHandshake(Role.INITIATOR, new byte[0], random);
    initiator.writeMessage(new byte[0]);

    assertThatThrownBy(
            () -> initiator.readMessage(new byte[NoiseXXHandshake.MESSAGE_2_OVERHEAD - 1]))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("message 2");
  }

  @Test
  void rejectsASmallOrderEphemeralKey() {
    SecureRandom random = new SecureRandom();
    NoiseXXHandshake responder = new NoiseXXHandshake(Role.RESPONDER, new byte[0], random);
    responder.readMessage(new byte[NoiseXXHandshake.DH_LENGTH]); // u = 0 is of small order

    assertThatThrownBy(() -> responder.writeMessage(new byte[0]))
        .isInstanceOf(ProtocolViolationException.class);
  }

  @Test
  void refusesMessagesOutOfTurn() {
    SecureRandom random = new SecureRandom();
    NoiseXXHandshake responder = new NoiseXXHandshake(Role.RESPONDER, new byte[0], random);

    assertThatThrownBy(() -> responder.writeMessage(new byte[0]))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(responder::split).isInstanceOf(IllegalStateException.class);
  }

  private static NoiseXXHandshake vectorHandshake(
      Role role, String staticKey, String ephemeralKey) {
    X25519.KeyPair ephemeral = X25519.fromPrivateKey(HEX.parseHex(ephemeralKey));
    return new NoiseXXHandshake(
        role,
        HEX.parseHex(PROLOGUE),
        X25519.fromPrivateKey(HEX.parseHex(staticKey)),
        () -> ephemeral);
  }
}
