package io.mycel.net.autonat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.autonat.pb.AutoNatProtos.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * AutoNAT v1 messages on the wire: one protobuf {@code Message} (<a
 * href="https://github.com/libp2p/specs/blob/master/autonat/autonat-v1.md#protocol">spec</a>)
 * prefixed with its length as an unsigned varint.
 */
public final class AutoNatMessages {

  /** A request larger than this is a protocol violation; 64 addresses of 64 bytes fit easily. */
  public static final int MAX_MESSAGE_SIZE = 8 * 1024;

  /** Addresses decoded from one request; the rest are ignored. */
  public static final int MAX_ADDRESSES = 64;

  private AutoNatMessages() {}

  /** Answer codes of a dial response. */
  public enum Status {
    OK(0),
    DIAL_ERROR(100),
    DIAL_REFUSED(101),
    BAD_REQUEST(200),
    INTERNAL_ERROR(300);

    private final int code;

    Status(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    static Status of(Message.ResponseStatus status) {
      return switch (status) {
        case OK -> OK;
        case E_DIAL_ERROR -> DIAL_ERROR;
        case E_DIAL_REFUSED -> DIAL_REFUSED;
        case E_BAD_REQUEST -> BAD_REQUEST;
        case E_INTERNAL_ERROR -> INTERNAL_ERROR;
      };
    }

    Message.ResponseStatus wire() {
      return switch (this) {
        case OK -> Message.ResponseStatus.OK;
        case DIAL_ERROR -> Message.ResponseStatus.E_DIAL_ERROR;
        case DIAL_REFUSED -> Message.ResponseStatus.E_DIAL_REFUSED;
        case BAD_REQUEST -> Message.ResponseStatus.E_BAD_REQUEST;
        case INTERNAL_ERROR -> Message.ResponseStatus.E_INTERNAL_ERROR;
      };
    }
  }

  /** A DIAL message: dial {@code peer} back on one of {@code addresses}. */
  public record DialRequest(PeerId peer, List<Multiaddr> addresses) {
    public DialRequest {
      Objects.requireNonNull(peer, "peer");
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * A DIAL_RESPONSE message.
   *
   * @param address the address dialed successfully, with {@link Status#OK} only
   */
  public record DialResponse(Status status, String statusText, Multiaddr address) {
    public DialResponse {
      Objects.requireNonNull(status, "status");
      statusText = statusText == null ? "" : statusText;
      if (status == Status.OK && address == null) {
        throw new IllegalArgumentException("an OK dial response names the address dialed");
      }
    }

    public static DialResponse ok(Multiaddr address) {
      return new DialResponse(Status.OK, "", address);
    }

    public static DialResponse error(Status status, String text) {
      return new DialResponse(status, text, null);
    }
  }

  public static byte[] encode(DialRequest request) {
    Message.PeerInfo.Builder peer =
        Message.PeerInfo.newBuilder().setId(ByteString.copyFrom(request.peer().bytes()));
    for (Multiaddr address : request.addresses()) {
      peer.addAddrs(ByteString.copyFrom(address.bytes()));
    }
    return Message.newBuilder()
        .setType(Message.MessageType.DIAL)
        .setDial(Message.Dial.newBuilder().setPeer(peer))
        .build()
        .toByteArray();
  }

  public static byte[] encode(DialResponse response) {
    Message.DialResponse.Builder body =
        Message.DialResponse.newBuilder().setStatus(response.status().wire());
    if (!response.statusText().isEmpty()) {
      body.setStatusText(response.statusText());
    }
    if (response.address() != null) {
      body.setAddr(ByteString.copyFrom(response.address().bytes()));
    }
    return Message.newBuilder()
        .setType(Message.MessageType.DIAL_RESPONSE)
        .setDialResponse(body)
        .build()
        .toByteArray();
  }

  /**
   * Decodes a DIAL message. Addresses that do not decode are skipped, and only the first {@link
   * #MAX_ADDRESSES} are kept.
   *
   * @throws ProtocolViolationException if the bytes are not a DIAL message with a valid peer id
   */
  public static DialRequest decodeRequest(byte[] bytes) {
    Message message = parse(bytes);
    if (!message.hasType() || message.getType() != Message.MessageType.DIAL) {
      throw new ProtocolViolationException("AutoNAT request is not a DIAL message");
    }
    if (!message.hasDial() || !message.getDial().hasPeer() || !message.getDial().getPeer().hasId()) {
      throw new ProtocolViolationException("AutoNAT DIAL message has no peer id");
    }
    Message.PeerInfo info = message.getDial().getPeer();
    PeerId peer;
    try {
      peer = PeerId.fromBytes(info.getId().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new ProtocolViolationException("AutoNAT DIAL message has an invalid peer id: " + e.getMessage(), e);
    }
    List<Multiaddr> addresses = new ArrayList<>();
    for (ByteString address : info.getAddrsList()) {
      if (addresses.size() == MAX_ADDRESSES) {
        break;
      }
      try {
        addresses.add(Multiaddr.fromBytes(address.toByteArray()));
      } catch (IllegalArgumentException e) {
        // An address in a format this node cannot dial is no reason to refuse the others.
      }
    }
    return new DialRequest(peer, addresses);
  }

  /**
   * Decodes a DIAL_RESPONSE message.
   *
   * @throws ProtocolViolationException if it is not one, has no status, or is OK without a valid
   *     address
   */
  public static DialResponse decodeResponse(byte[] bytes) {
    Message message = parse(bytes);
    if (!message.hasType() || message.getType() != Message.MessageType.DIAL_RESPONSE
        || !message.hasDialResponse()) {
      throw new ProtocolViolationException("AutoNAT answer is not a DIAL_RESPONSE message");
    }
    Message.DialResponse body = message.getDialResponse();
    if (!body.hasStatus()) {
      throw new ProtocolViolationException("AutoNAT DIAL_RESPONSE has no status");
    }
    Status status = Status.of(body.getStatus());
    Multiaddr address = null;
    if (body.hasAddr()) {
      try {
        address = Multiaddr.fromBytes(body.getAddr().toByteArray());
      } catch (IllegalArgumentException e) {
        throw new ProtocolViolationException("AutoNAT DIAL_RESPONSE has an invalid address: " + e.getMessage(), e);
      }
    }
    if (status == Status.OK && address == null) {
      throw new ProtocolViolationException("AutoNAT DIAL_RESPONSE is OK but names no address");
    }
    return new DialResponse(status, body.getStatusText(), status == Status.OK ? address : null);
  }

  private static Message parse(byte[] bytes) {
    try {
      return Message.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed AutoNAT message: " + e.getMessage(), e);
    }
  }

  /** Writes {@code message} with its length prefix and flushes. */
  public static void write(OutputStream out, byte[] message) throws IOException {
    io.mycel.net.LengthPrefixed.write(out, message);
  }

  /**
   * Reads one length-prefixed message.
   *
   * @throws ProtocolViolationException if the length exceeds {@code maxSize} or the stream ends
   *     inside the message
   * @throws ConnectionClosedException if the stream ends before the message starts
   */
  public static byte[] read(InputStream in, int maxSize) throws IOException {
    return io.mycel.net.LengthPrefixed.read(in, maxSize, "AutoNAT");
  }
}
