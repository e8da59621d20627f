package io.mycel.net.identify;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.mycel.core.crypto.Keys;
import io.mycel.core.crypto.PublicKey;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.identify.pb.IdentifyProtos.Identify;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Identify message on the wire: one protobuf message (<a
 * href="https://github.com/libp2p/specs/blob/master/identify/README.md#the-identify-message">spec</a>)
 * prefixed with its length as an unsigned varint.
 */
public final class IdentifyMessages {

  private static final Logger log = LoggerFactory.getLogger(IdentifyMessages.class);

  private IdentifyMessages() {}

  /** Encodes {@code info} as a protobuf Identify message, without the length prefix. */
  public static byte[] encode(IdentifyInfo info) {
    Identify.Builder message = Identify.newBuilder();
    if (info.protocolVersion() != null) {
      message.setProtocolVersion(info.protocolVersion());
    }
    if (info.agentVersion() != null) {
      message.setAgentVersion(info.agentVersion());
    }
    if (info.publicKey() != null) {
      message.setPublicKey(ByteString.copyFrom(info.publicKey().marshal()));
    }
    for (Multiaddr address : info.listenAddresses()) {
      message.addListenAddrs(ByteString.copyFrom(address.bytes()));
    }
    if (info.observedAddress() != null) {
      message.setObservedAddr(ByteString.copyFrom(info.observedAddress().bytes()));
    }
    message.addAllProtocols(info.protocols());
    return message.build().toByteArray();
  }

  /**
   * Decodes a protobuf Identify message. Fields that do not decode (an unknown multiaddr
   * protocol, an unsupported key type) are left out rather than failing the whole message.
   *
   * @throws ProtocolViolationException if the bytes are not a protobuf message
   */
  public static IdentifyInfo decode(byte[] bytes) {
    Identify message;
    try {
      message = Identify.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed Identify message: " + e.getMessage(), e);
    }
    PublicKey publicKey = null;
    if (message.hasPublicKey()) {
      try {
        publicKey = Keys.unmarshalPublicKey(message.getPublicKey().toByteArray());
      } catch (IllegalArgumentException e) {
        log.debug("skipping the public key of an Identify message: {}", e.getMessage());
      }
    }
    List<Multiaddr> listenAddresses = new ArrayList<>(message.getListenAddrsCount());
    for (ByteString address : message.getListenAddrsList()) {
      Multiaddr decoded = multiaddr(address, "listen address");
      if (decoded != null) {
        listenAddresses.add(decoded);
      }
    }
    Multiaddr observed =
        message.hasObservedAddr() ? multiaddr(message.getObservedAddr(), "observed address") : null;
    return new IdentifyInfo(
        message.hasProtocolVersion() ? message.getProtocolVersion() : null,
        message.hasAgentVersion() ? message.getAgentVersion() : null,
        publicKey,
        listenAddresses,
        observed,
        message.getProtocolsList().stream().filter(p -> !p.isEmpty()).distinct().toList());
  }

  /** Writes {@code message} with its length prefix in one write and flushes. */
  public static void write(OutputStream out, byte[] message) throws IOException {
    io.mycel.net.LengthPrefixed.write(out, message);
  }

  /**
   * Reads one length-prefixed message, and nothing after it: the sender may keep its write side
   * open.
   *
   * @throws ProtocolViolationException if the length exceeds {@code maxSize}, or the stream ends
   *     inside the message
   * @throws ConnectionClosedException if the stream ends before the message starts
   */
  public static byte[] read(InputStream in, int maxSize) throws IOException {
    return io.mycel.net.LengthPrefixed.read(in, maxSize, "Identify");
  }

  private static Multiaddr multiaddr(ByteString bytes, String what) {
    try {
      return Multiaddr.fromBytes(bytes.toByteArray());
    } catch (IllegalArgumentException e) {
      log.debug("skipping the {} of an Identify message: {}", what, e.getMessage());
      return null;
    }
  }
}
