package io.mycel.net.noise;

import com.google.protobuf.ByteString;
import io.mycel.core.crypto.PrivateKey;
import io.mycel.net.noise.NoiseXXHandshake.Role;
import io.mycel.net.noise.pb.NoiseProtos.NoiseHandshakePayload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** A Noise peer driven by hand, to send what a well-behaved peer would not. */
final class FakeNoisePeer {
  final NoiseXXHandshake noise;
  final PrivateKey identity;

  FakeNoisePeer(Role role, PrivateKey identity) {
    this.noise = new NoiseXXHandshake(role, new byte[0], new SecureRandom());
    this.identity = identity;
  }

  byte[] signature() {
    return identity.sign(
        NoiseBytes.concat(
            NoiseHandshakeEngine.SIGNATURE_PREFIX.getBytes(StandardCharsets.UTF_8),
            noise.localStaticPublicKey()));
  }

  NoiseHandshakePayload.Builder validPayload() {
    return NoiseHandshakePayload.newBuilder()
        .setIdentityKey(ByteString.copyFrom(identity.publicKey().marshal()))
        .setIdentitySig(ByteString.copyFrom(signature()));
  }

  /** Reads one length-prefixed handshake message the channel wrote. */
  byte[] readFrom(EmbeddedChannel channel) {
    ByteBuf frame = channel.readOutbound();
    try {
      int length = frame.readUnsignedShort();
      byte[] message = new byte[length];
      frame.readBytes(message);
      noise.readMessage(message);
      return message;
    } finally {
      frame.release();
    }
  }

  /** Writes one handshake message carrying {@code payload} into the channel. */
  void writeTo(EmbeddedChannel channel, byte[] payload) {
    channel.writeInbound(frame(noise.writeMessage(payload)));
  }

  static ByteBuf frame(byte[] message) {
    return Unpooled.buffer(2 + message.length).writeShort(message.length).writeBytes(message);
  }
}
