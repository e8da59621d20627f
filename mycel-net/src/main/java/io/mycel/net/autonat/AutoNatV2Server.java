package io.mycel.net.autonat;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.net.Connection;
import io.mycel.net.Host;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.Stream;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialBack;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialBackResponse;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialDataRequest;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialRequest;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialResponse;
import io.mycel.net.autonat.pb.AutoNatV2Protos.DialStatus;
import io.mycel.net.autonat.pb.AutoNatV2Protos.Message;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server of AutoNAT v2 (<a
 * href="https://github.com/libp2p/specs/blob/master/autonat/autonat-v2.md">spec</a>): dials the
 * first acceptable address of a request on a fresh connection and hands the request's nonce over
 * {@value #DIAL_BACK}, so that the client can tell which of its addresses is reachable. An
 * address on another IP than the request came from costs the client {@link #DIAL_DATA_BYTES}
 * bytes first (amplification prevention). The same rate limits as v1 apply.
 */
public final class AutoNatV2Server {

  public static final String DIAL_REQUEST = "/libp2p/autonat/2/dial-request";
  public static final String DIAL_BACK = "/libp2p/autonat/2/dial-back";

  /** What a dial to another IP costs the client; the spec asks for 30k to 100k. */
  public static final long DIAL_DATA_BYTES = 30_000;

  /** Data bytes one DialDataResponse may carry. */
  public static final int MAX_DIAL_DATA_CHUNK = 4096;

  private static final Logger log = LoggerFactory.getLogger(AutoNatV2Server.class);

  private final Host host;
  private final AutoNatConfig config;
  private final DialBackLimiter limiter;

  public AutoNatV2Server(Host host, AutoNatConfig config) {
    this(host, config, InstantSource.system());
  }

  public AutoNatV2Server(Host host, AutoNatConfig config, InstantSource clock) {
    this.host = host;
    this.config = config;
    this.limiter = new DialBackLimiter(config.maxRequestsPerPeer(), config.maxRequestsTotal(),
        config.rateWindow(), clock);
  }

  public void start() {
    host.protocols().register(DIAL_REQUEST, this::handle);
  }

  public void close() {
    host.protocols().unregister(DIAL_REQUEST);
  }

  void handle(Stream stream) throws Exception {
    Connection connection = stream.connection();
    Message message = AutoNatV2Wire.read(stream.input(), Message.parser());
    if (!message.hasDialRequest()) {
      throw new ProtocolViolationException("AutoNAT v2 request from " + connection.remotePeer()
          + " is not a DialRequest");
    }
    DialRequest request = message.getDialRequest();
    if (!limiter.tryAcquire(connection.remotePeer())) {
      respond(stream, DialResponse.ResponseStatus.E_REQUEST_REJECTED, 0, DialStatus.UNUSED);
      return;
    }
    Optional<InetAddress> observed = Addresses.tcpIp(connection.remoteAddress());
    int index = -1;
    Multiaddr chosen = null;
    for (int i = 0; i < Math.min(request.getAddrsCount(), AutoNatMessages.MAX_ADDRESSES); i++) {
      try {
        Multiaddr address = Multiaddr.fromBytes(request.getAddrs(i).toByteArray());
        Optional<InetAddress> ip = Addresses.tcpIp(address);
        if (ip.isPresent() && (config.allowPrivateAddresses() || !Addresses.isPrivate(ip.get()))) {
          index = i;
          chosen = address.withoutPeerId();
          break;
        }
      } catch (IllegalArgumentException e) {
        // Not an address this node can read, so not one it would dial.
      }
    }
    if (chosen == null || observed.isEmpty()) {
      respond(stream, DialResponse.ResponseStatus.E_DIAL_REFUSED, 0, DialStatus.UNUSED);
      return;
    }
    if (!Addresses.tcpIp(chosen).get().equals(observed.get())) {
      AutoNatV2Wire.write(stream.output(), Message.newBuilder().setDialDataRequest(
          DialDataRequest.newBuilder().setAddrIdx(index).setNumBytes(DIAL_DATA_BYTES)).build());
      long received = 0;
      while (received < DIAL_DATA_BYTES) {
        Message data = AutoNatV2Wire.read(stream.input(), Message.parser());
        if (!data.hasDialDataResponse()) {
          throw new ProtocolViolationException("expected DialDataResponse, got " + data.getMsgCase());
        }
        int size = data.getDialDataResponse().getData().size();
        if (size > MAX_DIAL_DATA_CHUNK) {
          throw new ProtocolViolationException("DialDataResponse of " + size + " bytes exceeds "
              + MAX_DIAL_DATA_CHUNK);
        }
        received += size;
      }
    }
    DialStatus status = dialBack(chosen, request.getNonce());
    log.debug("AutoNAT v2 dial-back of {} on {}: {}", connection.remotePeer(), chosen, status);
    respond(stream, DialResponse.ResponseStatus.OK, index, status);
  }

  private DialStatus dialBack(Multiaddr address, long nonce) throws InterruptedException {
    Connection back;
    try {
      back = host.dial(address).get(config.dialTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return DialStatus.E_DIAL_ERROR;
    }
    try {
      Stream stream = back.openStream(DIAL_BACK).get(config.dialTimeout().toMillis(), TimeUnit.MILLISECONDS);
      CompletableFuture.delayedExecutor(config.dialTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> {
            if (back.isOpen()) {
              stream.reset();
            }
          });
      try (stream) {
        AutoNatV2Wire.write(stream.output(), DialBack.newBuilder().setNonce(nonce).build());
        AutoNatV2Wire.read(stream.input(), DialBackResponse.parser());
      }
      return DialStatus.OK;
    } catch (Exception e) {
      return DialStatus.E_DIAL_BACK_ERROR;
    } finally {
      back.close();
    }
  }

  private static void respond(Stream stream, DialResponse.ResponseStatus status, int index,
      DialStatus dialStatus) throws Exception {
    AutoNatV2Wire.write(stream.output(), Message.newBuilder().setDialResponse(DialResponse.newBuilder()
        .setStatus(status).setAddrIdx(index).setDialStatus(dialStatus)).build());
    stream.closeWrite();
  }
}
