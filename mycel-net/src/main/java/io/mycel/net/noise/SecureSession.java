package io.mycel.net.noise;

import io.mycel.core.crypto.PublicKey;
import io.mycel.core.peer.PeerId;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a successful Noise handshake: who the remote peer proved to be, and the stream
 * muxers it announced in its {@code NoiseExtensions} (empty when it announced none).
 */
public record SecureSession(
    PeerId remotePeer, PublicKey remoteIdentityKey, List<String> remoteStreamMuxers) {
  public SecureSession {
    Objects.requireNonNull(remotePeer, "remotePeer");
    Objects.requireNonNull(remoteIdentityKey, "remoteIdentityKey");
    remoteStreamMuxers = List.copyOf(remoteStreamMuxers);
  }
}
