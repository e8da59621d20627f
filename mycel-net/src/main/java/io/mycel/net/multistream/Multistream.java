package io.mycel.net.multistream;

import io.mycel.core.varint.Varint;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.ProtocolNegotiationException;
import io.mycel.net.ProtocolViolationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * multistream-select 1.0 over blocking streams, for the protocol negotiation that opens every
 * multiplexed stream (<a
 * href="https://github.com/libp2p/specs/blob/master/connections/README.md#multistream-select">spec</a>).
 * Runs on virtual threads.
 *
 * <p>Both sides read exactly message by message, one byte at a time for the length prefix, and
 * never past the end of the selected protocol's message: whatever the peer pipelined after it
 * (js-libp2p sends header, protocol and its first data in one write) stays in {@code in} for the
 * protocol that follows.
 */
public final class Multistream {

  private static final byte[] NA_MESSAGE = MultistreamMessages.encode(MultistreamMessages.NA);

  private Multistream() {}

  /** {@link #select(InputStream, OutputStream, List, MultistreamLimits)} with default limits. */
  public static String select(InputStream in, OutputStream out, List<String> protocols)
      throws IOException {
    return select(in, out, protocols, MultistreamLimits.DEFAULT);
  }

  /**
   * Negotiates as the dialer: proposes {@code protocols} in order until the listener echoes one.
   * The header and the first proposal go out in one write, so an accepted first proposal costs
   * one round trip.
   *
   * @return the protocol the listener accepted
   * @throws ProtocolNegotiationException if the listener answered {@code na} to every proposal
   * @throws ProtocolViolationException if the listener sent anything else than the header, an
   *     echo or {@code na}, or an oversized or truncated message
   * @throws ConnectionClosedException if the stream ended between two messages
   * @throws IOException if reading or writing failed, for example after a reset
   */
  public static String select(
      InputStream in, OutputStream out, List<String> protocols, MultistreamLimits limits)
      throws IOException {
    checkProposals(protocols, limits);
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    first.writeBytes(MultistreamMessages.header());
    first.writeBytes(MultistreamMessages.encode(protocols.get(0), limits.maxMessageLength()));
    out.write(first.toByteArray());
    out.flush();
    expectHeader(in);
    for (int i = 0; i < protocols.size(); i++) {
      String proposal = protocols.get(i);
      if (i > 0) {
        out.write(MultistreamMessages.encode(proposal, limits.maxMessageLength()));
        out.flush();
      }
      String answer = readMessage(in, limits.maxMessageLength());
      if (answer.equals(proposal)) {
        return proposal;
      }
      if (!answer.equals(MultistreamMessages.NA)) {
        throw new ProtocolViolationException(
            "proposed " + proposal + " but the listener answered \"" + answer + "\"");
      }
    }
    throw new ProtocolNegotiationException(protocols);
  }

  /** {@link #respond(InputStream, OutputStream, Predicate, Supplier, MultistreamLimits)} with default limits. */
  public static String respond(
      InputStream in,
      OutputStream out,
      Predicate<String> supported,
      Supplier<List<String>> forLs)
      throws IOException {
    return respond(in, out, supported, forLs, MultistreamLimits.DEFAULT);
  }

  /**
   * Negotiates as the listener: answers the dialer's header with its own, then the dialer's
   * messages ({@code ls} with {@code forLs}, unsupported protocols with {@code na}) until it
   * proposes one that {@code supported} accepts, which it echoes. When the dialer's proposal has
   * already arrived with its header, the header and the answer leave in one flush.
   *
   * @return the protocol selected
   * @throws ProtocolViolationException if the dialer sent garbage instead of the header, an
   *     oversized or truncated message, or more than {@link
   *     MultistreamLimits#maxNegotiationRounds()} messages without a supported protocol
   * @throws ConnectionClosedException if the stream ended between two messages
   * @throws IOException if reading or writing failed, for example after a reset
   */
  public static String respond(
      InputStream in,
      OutputStream out,
      Predicate<String> supported,
      Supplier<List<String>> forLs,
      MultistreamLimits limits)
      throws IOException {
    Objects.requireNonNull(supported, "supported");
    Objects.requireNonNull(forLs, "forLs");
    expectHeader(in);
    out.write(MultistreamMessages.header());
    if (in.available() <= 0) {
      // A dialer may wait for our header before it proposes anything.
      out.flush();
    }
    for (int round = 0; round < limits.maxNegotiationRounds(); round++) {
      String message = readMessage(in, limits.maxMessageLength());
      if (message.equals(MultistreamMessages.PROTOCOL_ID)) {
        // js-libp2p echoes every header it receives; do the same for a dialer that repeats it.
        out.write(MultistreamMessages.header());
      } else if (message.equals(MultistreamMessages.LS)) {
        out.write(MultistreamMessages.encodeLs(forLs.get()));
      } else if (!message.isEmpty() && supported.test(message)) {
        out.write(MultistreamMessages.encode(message, limits.maxMessageLength()));
        out.flush();
        return message;
      } else {
        out.write(NA_MESSAGE);
      }
      out.flush();
    }
    throw new ProtocolViolationException(
        "dialer sent "
            + limits.maxNegotiationRounds()
            + " multistream-select messages without proposing a supported protocol");
  }

  /** {@link #ls(InputStream, OutputStream, MultistreamLimits)} with default limits. */
  public static List<String> ls(InputStream in, OutputStream out) throws IOException {
    return ls(in, out, MultistreamLimits.DEFAULT);
  }

  /**
   * Asks the listener for its protocols as the dialer. The stream stays in negotiation
   * afterwards; the caller closes it or resets it.
   */
  public static List<String> ls(InputStream in, OutputStream out, MultistreamLimits limits)
      throws IOException {
    out.write(
        MultistreamMessages.encodeAll(
            List.of(MultistreamMessages.PROTOCOL_ID, MultistreamMessages.LS)));
    out.flush();
    expectHeader(in);
    byte[] payload = readPayload(in, limits.maxLsResponseLength());
    return MultistreamMessages.decodeLsPayload(payload, limits.maxMessageLength());
  }

  private static void checkProposals(List<String> protocols, MultistreamLimits limits) {
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("no protocol to propose");
    }
    for (String protocol : protocols) {
      if (protocol.isEmpty()
          || protocol.equals(MultistreamMessages.NA)
          || protocol.equals(MultistreamMessages.LS)
          || protocol.equals(MultistreamMessages.PROTOCOL_ID)) {
        throw new IllegalArgumentException("not a protocol id: \"" + protocol + "\"");
      }
      MultistreamMessages.encode(protocol, limits.maxMessageLength());
    }
  }

  /**
   * Reads the header byte by byte, so that garbage is reported as soon as it differs and a valid
   * header is never read past.
   */
  private static void expectHeader(InputStream in) throws IOException {
    int length = MultistreamMessages.headerLength();
    byte[] received = new byte[length + MultistreamMessages.DESCRIBE_BYTES];
    for (int i = 0; i < length; i++) {
      int b = in.read();
      if (b < 0) {
        if (i == 0) {
          throw new ConnectionClosedException(
              "stream ended before the multistream-select header");
        }
        throw new ProtocolViolationException(
            "stream ended inside the multistream-select header after "
                + MultistreamMessages.describe(received, 0, i));
      }
      received[i] = (byte) b;
      if (received[i] != MultistreamMessages.headerByte(i)) {
        // The stream is lost anyway: show what else already arrived, without blocking for more.
        int extra = in.readNBytes(
            received, i + 1, Math.min(Math.max(in.available(), 0), received.length - i - 1));
        throw new ProtocolViolationException(
            "expected the multistream-select header "
                + MultistreamMessages.PROTOCOL_ID
                + ", received "
                + MultistreamMessages.describe(received, 0, i + 1 + extra));
      }
    }
  }

  private static String readMessage(InputStream in, int maxLength) throws IOException {
    return MultistreamMessages.decodePayload(readPayload(in, maxLength));
  }

  /** Reads one length-prefixed message and returns the bytes after the prefix. */
  private static byte[] readPayload(InputStream in, int maxLength) throws IOException {
    long length = 0;
    for (int i = 0; ; i++) {
      if (i == Varint.MAX_BYTES) {
        throw new ProtocolViolationException("multistream-select length prefix is too long");
      }
      int b = in.read();
      if (b < 0) {
        if (i == 0) {
          throw new ConnectionClosedException("stream ended during multistream-select");
        }
        throw new ProtocolViolationException(
            "stream ended inside a multistream-select length prefix");
      }
      length |= (long) (b & 0x7F) << (7 * i);
      if (length > maxLength) {
        throw new ProtocolViolationException(
            "multistream-select message exceeds the " + maxLength + "-byte limit");
      }
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new ProtocolViolationException(
              "multistream-select length prefix is not minimally encoded");
        }
        break;
      }
    }
    if (length == 0) {
      throw new ProtocolViolationException("empty multistream-select message");
    }
    byte[] payload = in.readNBytes((int) length);
    if (payload.length < length) {
      throw new ProtocolViolationException(
          "stream ended inside a multistream-select message after "
              + payload.length
              + " of "
              + length
              + " bytes");
    }
    return payload;
  }
}
