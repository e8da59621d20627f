package io.mycel.net.dcutr;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.dcutr.pb.HolePunchProtos.HolePunch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * DCUtR messages on the wire: one protobuf {@code HolePunch} prefixed with its length as an
 * unsigned varint (<a href="https://github.com/libp2p/specs/blob/master/relay/DCUtR.md#rpc-messages">spec</a>).
 */
public final class DcutrMessages {

  /** The spec asks to refuse messages larger than 4 KiB. */
  public static final int MAX_MESSAGE_SIZE = 4 * 1024;

  /** Addresses kept from one CONNECT; the rest are ignored. */
  public static final int MAX_ADDRESSES = 16;

  private DcutrMessages() {}

  public enum Type {
    CONNECT,
    SYNC
  }

  /** One message: CONNECT carries the sender's observed addresses, SYNC none. */
  public record Message(Type type, List<Multiaddr> addresses) {
    public Message {
      Objects.requireNonNull(type, "type");
      addresses = List.copyOf(addresses);
    }

    public static Message connect(List<Multiaddr> addresses) {
      return new Message(Type.CONNECT, addresses);
    }

    public static final Message SYNC = new Message(Type.SYNC, List.of());
  }

  public static byte[] encode(Message message) {
    HolePunch.Builder builder = HolePunch.newBuilder()
        .setType(message.type() == Type.CONNECT ? HolePunch.Type.CONNECT : HolePunch.Type.SYNC);
    for (Multiaddr address : message.addresses()) {
      builder.addObsAddrs(ByteString.copyFrom(address.bytes()));
    }
    return builder.build().toByteArray();
  }

  /**
   * Decodes a message; addresses that do not decode are skipped.
   *
   * @throws ProtocolViolationException if the bytes are not a HolePunch message with a type
   */
  public static Message decode(byte[] bytes) {
    HolePunch message;
    try {
      message = HolePunch.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed DCUtR message: " + e.getMessage(), e);
    }
    if (!message.hasType()) {
      throw new ProtocolViolationException("DCUtR message has no (known) type");
    }
    List<Multiaddr> addresses = new ArrayList<>();
    for (ByteString address : message.getObsAddrsList()) {
      if (addresses.size() == MAX_ADDRESSES) {
        break;
      }
      try {
        addresses.add(Multiaddr.fromBytes(address.toByteArray()));
      } catch (IllegalArgumentException e) {
        // An address this node cannot parse is no reason to drop the others.
      }
    }
    Type type = message.getType() == HolePunch.Type.CONNECT ? Type.CONNECT : Type.SYNC;
    return new Message(type, type == Type.CONNECT ? addresses : List.of());
  }

  /** Writes one length-prefixed message and flushes. */
  public static void write(OutputStream out, Message message) throws IOException {
    io.mycel.net.LengthPrefixed.write(out, encode(message));
  }

  /**
   * Reads one length-prefixed message.
   *
   * @throws ProtocolViolationException if it is longer than {@link #MAX_MESSAGE_SIZE}, malformed
   *     or cut short
   * @throws ConnectionClosedException if the stream ends before a message starts
   */
  public static Message read(InputStream in) throws IOException {
    return decode(io.mycel.net.LengthPrefixed.read(in, MAX_MESSAGE_SIZE, "DCUtR"));
  }
}
