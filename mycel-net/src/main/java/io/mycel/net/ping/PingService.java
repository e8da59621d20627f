package io.mycel.net.ping;

import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.ConnectionClosedException;
import io.mycel.net.Host;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.Stream;
import io.mycel.net.StreamResetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p ping protocol (<a
 * href="https://github.com/libp2p/specs/blob/master/ping/ping.md">spec</a>): the dialer sends 32
 * random bytes, the listener echoes them, repeatedly on one stream until the dialer closes it.
 *
 * <p>An instance is the responder, registered with {@link #start()}. The static methods send
 * pings with {@link PingClient#DEFAULT}; use a {@link PingClient} for another timeout, random
 * source or clock.
 */
public final class PingService implements AutoCloseable {

  public static final String ID = "/ipfs/ping/1.0.0";

  public static final int PAYLOAD_SIZE = 32;

  private static final Logger log = LoggerFactory.getLogger(PingService.class);

  private final Host host;
  private final PingConfig config;
  private final Map<PeerId, Integer> inbound = new ConcurrentHashMap<>();

  public PingService(Host host) {
    this(host, PingConfig.DEFAULT);
  }

  public PingService(Host host, PingConfig config) {
    this.host = host;
    this.config = config;
  }

  /** Registers the responder of {@value #ID}. */
  public void start() {
    host.protocols().register(ID, this::serve);
  }

  /** Unregisters the responder. */
  @Override
  public void close() {
    host.protocols().unregister(ID);
  }

  /** One round trip on a new stream with {@link PingClient#DEFAULT}. */
  public static CompletableFuture<Duration> ping(Connection connection) {
    return PingClient.DEFAULT.ping(connection);
  }

  /** A session for repeated round trips with {@link PingClient#DEFAULT}. */
  public static PingSession open(Connection connection)
      throws IOException, InterruptedException, TimeoutException {
    return PingClient.DEFAULT.open(connection);
  }

  /**
   * A session for repeated round trips, with {@code timeoutMs} for opening the stream and for
   * each round trip.
   */
  public static PingSession open(Connection connection, long timeoutMs)
      throws IOException, InterruptedException, TimeoutException {
    return PingClient.DEFAULT.withTimeout(Duration.ofMillis(timeoutMs)).open(connection);
  }

  /** Echoes 32-byte payloads until the dialer closes its side; a partial payload just ends. */
  private void serve(Stream stream) throws IOException {
    PeerId peer = stream.connection().remotePeer();
    int active = inbound.merge(peer, 1, Integer::sum);
    try {
      if (active > config.maxInboundStreamsPerPeer()) {
        log.debug("resetting ping stream {} of {}: {} already open", stream.id(), peer, active - 1);
        stream.reset();
        return;
      }
      InputStream in = stream.input();
      OutputStream out = stream.output();
      byte[] payload = new byte[PAYLOAD_SIZE];
      while (true) {
        int n;
        Watchdog idle = new Watchdog(stream, config.idleTimeout());
        try {
          n = in.readNBytes(payload, 0, PAYLOAD_SIZE);
        } finally {
          idle.close();
        }
        if (n < PAYLOAD_SIZE) {
          return;
        }
        out.write(payload);
        out.flush();
      }
    } catch (StreamResetException | InterruptedIOException e) {
      log.debug("ping stream {} of {} ended: {}", stream.id(), peer, e.toString());
    } finally {
      inbound.computeIfPresent(peer, (id, count) -> count == 1 ? null : count - 1);
    }
  }

  /**
   * One outbound ping stream, for repeated round trips (<a
   * href="https://github.com/libp2p/specs/blob/master/ping/ping.md">spec</a>: the dialer may send
   * the next payload on the same stream). One ping at a time; {@link #close()} ends the stream.
   * Obtained from {@link PingClient#open(Connection)} or {@link #open(Connection, long)}.
   */
  public static final class PingSession implements AutoCloseable {

    private final Stream stream;
    private final RandomGenerator random;
    private final LongSupplier nanoTime;
    private final Duration timeout;

    PingSession(Stream stream, RandomGenerator random, LongSupplier nanoTime, Duration timeout) {
      this.stream = stream;
      this.random = random;
      this.nanoTime = nanoTime;
      this.timeout = timeout;
    }

    /**
     * Sends 32 random bytes and waits for their echo.
     *
     * @return the time from the write to the last echoed byte
     * @throws ProtocolViolationException if the echo differs or stops short
     * @throws ConnectionClosedException if the peer closed the stream instead of answering
     * @throws TimeoutException if no echo came within the timeout; the stream is reset
     * @throws IOException if the stream failed, for example after a reset
     */
    public synchronized Duration ping() throws IOException, TimeoutException {
      byte[] payload = new byte[PAYLOAD_SIZE];
      random.nextBytes(payload);
      byte[] echo = new byte[PAYLOAD_SIZE];
      long start;
      int received;
      try (Watchdog watchdog = new Watchdog(stream, timeout)) {
        try {
          start = nanoTime.getAsLong();
          stream.output().write(payload);
          stream.output().flush();
          received = stream.input().readNBytes(echo, 0, echo.length);
        } catch (StreamResetException e) {
          if (watchdog.fired()) {
            throw new TimeoutException("no ping echo within " + timeout);
          }
          throw e;
        }
      }
      long elapsed = nanoTime.getAsLong() - start;
      if (received == 0) {
        throw new ConnectionClosedException("peer closed the ping stream instead of answering");
      }
      if (received < echo.length) {
        stream.reset();
        throw new ProtocolViolationException(
            "ping stream ended after " + received + " of " + echo.length + " echoed bytes");
      }
      if (!Arrays.equals(payload, echo)) {
        stream.reset();
        throw new ProtocolViolationException("ping echo differs from the payload sent");
      }
      return Duration.ofNanos(elapsed);
    }

    /** The underlying stream. */
    public Stream stream() {
      return stream;
    }

    /** Closes the stream; the responder sees the end and stops. */
    @Override
    public void close() {
      stream.close();
    }
  }
}
