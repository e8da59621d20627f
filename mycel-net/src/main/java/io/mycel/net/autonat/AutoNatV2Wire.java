package io.mycel.net.autonat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.mycel.net.ProtocolViolationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Length-prefixed protobuf messages of AutoNAT v2 (<a
 * href="https://github.com/libp2p/specs/blob/master/autonat/autonat-v2.md#rpc-messages">spec</a>).
 */
final class AutoNatV2Wire {

  /** Largest message accepted; a DialDataResponse carries at most 4096 data bytes. */
  static final int MAX_MESSAGE_SIZE = 8 * 1024;

  private AutoNatV2Wire() {}

  static void write(OutputStream out, MessageLite message) throws IOException {
    AutoNatMessages.write(out, message.toByteArray());
  }

  static <T> T read(InputStream in, Parser<T> parser) throws IOException {
    byte[] bytes = AutoNatMessages.read(in, MAX_MESSAGE_SIZE);
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed AutoNAT v2 message: " + e.getMessage(), e);
    }
  }
}
