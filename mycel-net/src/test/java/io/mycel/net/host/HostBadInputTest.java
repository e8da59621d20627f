package io.mycel.net.host;

import static io.mycel.net.host.HostTest.addressOf;
import static io.mycel.net.host.HostTest.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.varint.Varint;
import io.mycel.net.Connection;
import io.mycel.net.Stream;
import io.mycel.net.StreamResetException;
import io.mycel.net.ping.PingService;
import io.mycel.net.testing.Echo;
import io.mycel.net.testing.LogCapture;
import io.mycel.net.testing.TestHosts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Misbehaving peers against a real host: each case ends with the offending connection or stream
 * closed, a log line naming the reason, and the host still serving a well-behaved peer.
 */
class HostBadInputTest {
  @RegisterExtension final TestHosts hosts = new TestHosts();
  @RegisterExtension final LogCapture logs = new LogCapture();

  private static Socket raw(NettyHost host) throws IOException {
    InetSocketAddress address = host.listenAddresses().get(0).toSocketAddress();
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Reads until the server closes the connection; fails if it stays open past the timeout. */
  private static void assertClosedByServer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // drain whatever the server said before closing
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open", e);
    } catch (IOException reset) {
      // a reset is a close too
    }
  }

  private void assertStillServes(NettyHost host) throws Exception {
    NettyHost probe = hosts.start();
    Connection c = probe.dial(addressOf(host)).get(10, TimeUnit.SECONDS);
    assertThat(PingService.ping(c).get(10, TimeUnit.SECONDS)).isPositive();
  }

  private static byte[] multistreamMessage(String line) {
    byte[] body = (line + "\n").getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Varint.encode(body.length));
    out.writeBytes(body);
    return out.toByteArray();
  }

  @Test
  void garbageInsteadOfAMultistreamHeaderClosesTheConnection() throws Exception {
    NettyHost host = hosts.start();
    try (Socket socket = raw(host)) {
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertClosedByServer(socket);
    }
    logs.await(Duration.ofSeconds(5), "closing", "security negotiation failed");
    assertStillServes(host);
  }

  @Test
  void aTruncatedNoiseHandshakeClosesTheConnection() throws Exception {
    NettyHost host = hosts.start();
    try (Socket socket = raw(host)) {
      OutputStream out = socket.getOutputStream();
      out.write(multistreamMessage("/multistream/1.0.0"));
      out.write(multistreamMessage("/noise"));
      // Message 1 of XX is a 32-byte ephemeral key; announce it, send half, then stop.
      out.write(new byte[] {0, 32});
      out.write(new byte[16]);
      out.flush();
      socket.shutdownOutput();
      assertClosedByServer(socket);
    }
    logs.await(Duration.ofSeconds(5), "closed the connection during the upgrade");
    assertStillServes(host);
  }

  @Test
  void aNoiseMessageOfTheMaximumFrameSizeWithGarbageIsRefused() throws Exception {
    NettyHost host = hosts.start();
    try (Socket socket = raw(host)) {
      OutputStream out = socket.getOutputStream();
      out.write(multistreamMessage("/multistream/1.0.0"));
      out.write(multistreamMessage("/noise"));
      out.write(new byte[] {(byte) 0xff, (byte) 0xff});
      out.write(new byte[65535]);
      out.flush();
      assertClosedByServer(socket);
    }
    logs.await(Duration.ofSeconds(5), "closing", "noise handshake failed");
    assertStillServes(host);
  }

  @Test
  void aPeerThatNeverCompletesTheHandshakeIsDroppedAtTheTimeout() throws Exception {
    NettyHost host = hosts.start(c -> c.withTimeouts(
        Duration.ofMillis(300), c.negotiationTimeout(), c.idleStreamTimeout()));
    try (Socket socket = raw(host)) {
      assertClosedByServer(socket);
    }
    logs.await(Duration.ofSeconds(5), "connection upgrade timed out");
    assertStillServes(host);
  }

  @Test
  void inboundConnectionsPastTheLimitAreRefused() throws Exception {
    NettyHost host = hosts.start(c -> c.withConnectionLimits(2, 4));
    List<Socket> idle = new ArrayList<>();
    try {
      idle.add(raw(host));
      idle.add(raw(host));
      awaitCondition(() -> host.openChannelCount() == 2);
      try (Socket third = raw(host)) {
        assertClosedByServer(third);
      }
      logs.await(Duration.ofSeconds(5), "refusing inbound connection", "limit 2");
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
    // once the idle ones are gone, a real peer gets in again
    awaitCondition(() -> {
      try {
        assertStillServes(host);
        return true;
      } catch (Throwable e) {
        return false;
      }
    });
  }

  @Test
  void aStreamFloodPastTheStreamLimitIsRefusedWhileTheConnectionKeepsServing() throws Exception {
    NettyHost server = hosts.start(c -> c.withMaxStreamsPerConnection(16));
    NettyHost client = hosts.start();
    Connection connection = client.dial(addressOf(server)).get(10, TimeUnit.SECONDS);
    awaitCondition(() -> connection.streamCount() == 0);

    List<CompletableFuture<Stream>> opened = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      opened.add(connection.openStream(TestHosts.ECHO));
    }
    int ok = 0;
    int refused = 0;
    List<Stream> held = new ArrayList<>();
    for (CompletableFuture<Stream> f : opened) {
      try {
        held.add(f.get(10, TimeUnit.SECONDS));
        ok++;
      } catch (Exception e) {
        refused++;
      }
    }
    assertThat(ok).isLessThanOrEqualTo(16);
    assertThat(refused).isGreaterThanOrEqualTo(24);
    logs.await(Duration.ofSeconds(5), "stream");
    held.forEach(Stream::reset);
    awaitCondition(() -> connection.streamCount() == 0);
    assertThat(connection.isOpen()).isTrue();
    Stream echo = connection.openStream(TestHosts.ECHO).get(10, TimeUnit.SECONDS);
    assertThat(Echo.roundTrip(echo, 100_000, 7)).isTrue();
  }

  @Test
  void aPeerThatStopsReadingStallsTheWriterInsteadOfGrowingABuffer() throws Exception {
    String firehose = "/mycel/test/firehose/1.0.0";
    AtomicLong written = new AtomicLong();
    CompletableFuture<Throwable> writerEnded = new CompletableFuture<>();
    NettyHost server = hosts.start(c -> c.withTimeouts(
        c.handshakeTimeout(), c.negotiationTimeout(), Duration.ofSeconds(2)));
    server.protocols().register(firehose, stream -> {
      byte[] chunk = new byte[16 * 1024];
      try {
        while (true) {
          stream.output().write(chunk);
          written.addAndGet(chunk.length);
        }
      } catch (IOException e) {
        writerEnded.complete(e);
      }
    });
    NettyHost client = hosts.start();
    Connection connection = client.dial(addressOf(server)).get(10, TimeUnit.SECONDS);
    Stream stream = connection.openStream(firehose).get(10, TimeUnit.SECONDS);

    // The client never reads. The writer must stall at the flow-control window, not buffer on.
    awaitCondition(() -> written.get() > 0);
    long plateau = waitForPlateau(written);
    assertThat(plateau).isLessThanOrEqualTo(16L << 20);

    // The idle-stream timeout then resets the stalled stream, waking the writer.
    assertThat(writerEnded.get(15, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> stream.input().readAllBytes()).isInstanceOf(StreamResetException.class);
    Stream echo = connection.openStream(TestHosts.ECHO).get(10, TimeUnit.SECONDS);
    assertThat(Echo.roundTrip(echo, 10_000, 3)).isTrue();
  }

  /** Waits until {@code counter} stops moving for a while and returns where it stopped. */
  private static long waitForPlateau(AtomicLong counter) {
    long last = -1;
    int stable = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (stable < 20 && System.nanoTime() < deadline) {
      long now = counter.get();
      stable = now == last ? stable + 1 : 0;
      last = now;
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    assertThat(stable).as("writer kept writing: no back-pressure").isGreaterThanOrEqualTo(20);
    return last;
  }
}
