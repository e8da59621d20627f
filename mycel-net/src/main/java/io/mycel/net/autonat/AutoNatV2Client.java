package io.mycel.net.autonat;

import com.google.protobuf.ByteString;
import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.net.Connection;
import io.mycel.net.Host;
import io.mycel.net.MycelNetException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.Stream;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialBack;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialBackResponse;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialDataResponse;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialRequest;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialResponse;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialStatus;
import io.mycel.net.autonat.pb.AutoNatV2Protos.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The client of AutoNAT v2 (<a
 * href="https://github.com/libp2p/specs/blob/master/autonat/autonat-v2.md">spec</a>): asks a
 * server to dial one of its addresses and trusts a success only when the request's nonce came
 * back over {@value AutoNatV2Server#DIAL_BACK}. It pays the server's dial data up to {@code
 * maxDialData} bytes and aborts past that.
 */
public final class AutoNatV2Client {

  /** The outcome for one address. */
  public enum Verdict {
    REACHABLE,
    UNREACHABLE,
    /** The server refused, rejected, failed, or claimed a dial without the nonce to show for it. */
    UNKNOWN
  }

  /** @param address the address the server chose to dial, or null when it dialed none */
  public record Result(Verdict verdict, Multiaddr address) {}

  public static final long DEFAULT_MAX_DIAL_DATA = 100_000;

  private final Host host;
  private final Duration timeout;
  private final long maxDialData;
  private final RandomGenerator random;
  private final Map<Long, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
  private final AtomicLong dialDataSent = new AtomicLong();

  public AutoNatV2Client(Host host, Duration timeout, long maxDialData, RandomGenerator random) {
    this.host = host;
    this.timeout = timeout;
    this.maxDialData = maxDialData;
    this.random = random;
  }

  /** Registers the dial-back handler that receives nonces. */
  public AutoNatV2Client start() {
    host.protocols().register(AutoNatV2Server.DIAL_BACK, this::receiveDialBack);
    return this;
  }

  public void close() {
    host.protocols().unregister(AutoNatV2Server.DIAL_BACK);
  }

  /** Dial data bytes paid to servers so far. */
  public long dialDataSent() {
    return dialDataSent.get();
  }

  private void receiveDialBack(Stream stream) throws Exception {
    DialBack dialBack = AutoNatV2Wire.read(stream.input(), DialBack.parser());
    CompletableFuture<Void> waiting = pending.get(dialBack.getNonce());
    if (waiting != null) {
      waiting.complete(null);
    }
    AutoNatV2Wire.write(stream.output(), DialBackResponse.newBuilder()
        .setStatus(DialBackResponse.DialBackStatus.OK).build());
    stream.closeWrite();
  }

  /**
   * Asks the peer of {@code connection} to dial one of {@code addresses} (in priority order).
   * Blocks; call on a virtual thread.
   */
  public Result check(Connection connection, List<Multiaddr> addresses) throws Exception {
    long nonce = random.nextLong();
    CompletableFuture<Void> nonceSeen = new CompletableFuture<>();
    pending.put(nonce, nonceSeen);
    Stream stream = connection.openStream(AutoNatV2Server.DIAL_REQUEST)
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    CompletableFuture<Void> done = new CompletableFuture<>();
    done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
      if (e != null) {
        stream.reset();
      }
    });
    try (stream) {
      DialRequest.Builder request = DialRequest.newBuilder().setNonce(nonce);
      addresses.forEach(a -> request.addAddrs(ByteString.copyFrom(a.bytes())));
      AutoNatV2Wire.write(stream.output(), Message.newBuilder().setDialRequest(request).build());
      while (true) {
        Message message = AutoNatV2Wire.read(stream.input(), Message.parser());
        if (message.hasDialDataRequest()) {
          long asked = message.getDialDataRequest().getNumBytes();
          if (asked > maxDialData) {
            stream.reset();
            throw new MycelNetException("server " + connection.remotePeer() + " asked for " + asked
                + " bytes of dial data, more than the " + maxDialData + " this node pays");
          }
          payDialData(stream, asked);
        } else if (message.hasDialResponse()) {
          return verdict(message.getDialResponse(), addresses, nonceSeen);
        } else {
          throw new ProtocolViolationException("unexpected AutoNAT v2 message " + message.getMsgCase());
        }
      }
    } finally {
      done.complete(null);
      pending.remove(nonce);
    }
  }

  private void payDialData(Stream stream, long bytes) throws Exception {
    Message chunk = Message.newBuilder().setDialDataResponse(DialDataResponse.newBuilder()
        .setData(ByteString.copyFrom(new byte[AutoNatV2Server.MAX_DIAL_DATA_CHUNK]))).build();
    for (long sent = 0; sent < bytes; sent += AutoNatV2Server.MAX_DIAL_DATA_CHUNK) {
      AutoNatV2Wire.write(stream.output(), chunk);
      dialDataSent.addAndGet(AutoNatV2Server.MAX_DIAL_DATA_CHUNK);
    }
  }

  private static Result verdict(DialResponse response, List<Multiaddr> addresses,
      CompletableFuture<Void> nonceSeen) {
    if (response.getStatus() != DialResponse.ResponseStatus.OK
        || response.getAddrIdx() >= addresses.size()) {
      return new Result(Verdict.UNKNOWN, null);
    }
    Multiaddr address = addresses.get(response.getAddrIdx());
    if (response.getDialStatus() == DialStatus.OK) {
      return new Result(nonceSeen.isDone() ? Verdict.REACHABLE : Verdict.UNKNOWN, address);
    }
    if (response.getDialStatus() == DialStatus.E_DIAL_ERROR) {
      return new Result(Verdict.UNREACHABLE, address);
    }
    return new Result(Verdict.UNKNOWN, address);
  }
}
