package io.mycel.net.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.net.ConnectionClosedException;
import io.mycel.net.StreamResetException;
import io.mycel.net.mux.MuxedStream;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two sessions over a real loopback TCP connection, streams used from virtual threads. */
class YamuxTcpTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final YamuxConfig CONFIG = YamuxConfig.defaults();
  private static final int WINDOW = YamuxConfig.SPEC_INITIAL_WINDOW;
  private static EventLoopGroup group;

  private YamuxPair pair;

  @BeforeAll
  static void startGroup() {
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  }

  @AfterAll
  static void stopGroup() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @AfterEach
  void closePair() throws Exception {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void hundredConcurrentStreamsCarryOneMebibyteEachWayIntact() throws Exception {
    pair = YamuxPair.start(group, CONFIG, CONFIG, YamuxTcpTest::echoOnVirtualThread, 0);
    int size = 1024 * 1024;
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        long seed = i;
        results.add(executor.submit(() -> roundTrip(pair.client.openStream().get(), size, seed)));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
      }
    }
    Conditions.await(WAIT, "both sides forgot the finished streams",
        () -> pair.client.streamCount() == 0 && pair.server.streamCount() == 0);
  }

  @Test
  void streamFloodPastTheLimitIsResetWhileTheOtherStreamsKeepWorking() throws Exception {
    YamuxConfig server = CONFIG.withMaxStreams(10);
    pair = YamuxPair.start(group, CONFIG, server, YamuxTcpTest::echoOnVirtualThread, 0);
    List<MuxedStream> streams = new ArrayList<>();
    int served = 0;
    int reset = 0;
    try (CapturedLog log = CapturedLog.start()) {
      for (int i = 0; i < 15; i++) {
        streams.add(pair.client.openStream().get());
      }
      for (MuxedStream stream : streams) {
        if (echoes(stream, "first")) {
          served++;
        } else {
          reset++;
        }
      }
      assertThat(log.contains("WARN", "resetting stream 21", "maximum of 10 streams")).isTrue();
    }
    assertThat(served).isEqualTo(10);
    assertThat(reset).isEqualTo(5);
    for (MuxedStream stream : streams.subList(0, 10)) {
      assertThat(echoes(stream, "second")).isTrue();
    }
    assertThat(pair.server.streamCount()).isEqualTo(10);
    assertThat(pair.serverChannel.isActive()).isTrue();
  }

  @Test
  void writerBlocksWhenTheReaderStopsReadingAndTheWindowIsFull() throws Exception {
    LinkedBlockingQueue<MuxedStream> serverStreams = new LinkedBlockingQueue<>();
    pair = YamuxPair.start(group, CONFIG, CONFIG, serverStreams::add, 0);
    YamuxStream stream = (YamuxStream) pair.client.openStream().get();
    byte[] payload = randomBytes(1024 * 1024, 7);
    AtomicLong written = new AtomicLong();
    CompletableFuture<Void> writeDone = new CompletableFuture<>();
    Thread writer = Thread.ofVirtual().start(() -> {
      try {
        for (int off = 0; off < payload.length; off += 16 * 1024) {
          stream.output().write(payload, off, 16 * 1024);
          written.addAndGet(16 * 1024);
        }
        stream.closeWrite();
        writeDone.complete(null);
      } catch (IOException e) {
        writeDone.completeExceptionally(e);
      }
    });
    YamuxStream remote = (YamuxStream) serverStreams.poll(5, TimeUnit.SECONDS);
    Conditions.await(WAIT, "the writer blocks on a full window",
        () -> Conditions.isParked(writer) && stream.sendWindow() == 0 && remote.queuedBytes() == WINDOW);

    assertThat(written.get()).isLessThanOrEqualTo(WINDOW);
    assertThat(pair.clientChannel.unsafe().outboundBuffer().totalPendingWriteBytes()).isZero();
    assertThat(writeDone).isNotDone();

    byte[] received = remote.input().readAllBytes();
    writeDone.get(5, TimeUnit.SECONDS);
    assertThat(crc(received)).isEqualTo(crc(payload));
    remote.close();
  }

  @Test
  void writerBlocksWhileTheConnectionIsNotWritable() throws Exception {
    int bigWindow = 16 * 1024 * 1024;
    LinkedBlockingQueue<MuxedStream> serverStreams = new LinkedBlockingQueue<>();
    YamuxConfig server = CONFIG.withInitialStreamWindow(bigWindow);
    pair = YamuxPair.start(group, CONFIG, server, serverStreams::add, 32 * 1024);
    YamuxStream stream = (YamuxStream) pair.client.openStream().get();
    Conditions.await(WAIT, "the client learned the large window", () -> stream.sendWindow() == bigWindow);
    pair.serverChannel.config().setAutoRead(false);

    int chunk = 64 * 1024;
    byte[] payload = randomBytes(bigWindow, 11);
    CompletableFuture<Void> writeDone = new CompletableFuture<>();
    Thread writer = Thread.ofVirtual().start(() -> {
      try {
        for (int off = 0; off < payload.length; off += chunk) {
          stream.output().write(payload, off, chunk);
        }
        stream.closeWrite();
        writeDone.complete(null);
      } catch (IOException e) {
        writeDone.completeExceptionally(e);
      }
    });
    Conditions.await(WAIT, "the writer blocks on the unwritable channel",
        () -> Conditions.isParked(writer) && !pair.clientChannel.isWritable());
    long pending = pair.clientChannel.unsafe().outboundBuffer().totalPendingWriteBytes();
    long highWaterMark = pair.clientChannel.config().getWriteBufferHighWaterMark();
    assertThat(pending).isLessThanOrEqualTo(highWaterMark + chunk + YamuxFrame.HEADER_LENGTH);
    assertThat(stream.sendWindow()).isGreaterThan(0);
    assertThat(writeDone).isNotDone();

    MuxedStream remote = serverStreams.poll(5, TimeUnit.SECONDS);
    CompletableFuture<byte[]> read = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        read.complete(remote.input().readAllBytes());
      } catch (IOException e) {
        read.completeExceptionally(e);
      }
    });
    pair.serverChannel.config().setAutoRead(true);
    writeDone.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(crc(read.get(WAIT.toSeconds(), TimeUnit.SECONDS))).isEqualTo(crc(payload));
    remote.close();
  }

  @Test
  void pingMeasuresTheRoundTrip() throws Exception {
    pair = YamuxPair.start(group, CONFIG, CONFIG, MuxedStream::reset, 0);
    assertThat(pair.client.ping().get(5, TimeUnit.SECONDS)).isPositive();
    assertThat(pair.server.ping().get(5, TimeUnit.SECONDS)).isPositive();
  }

  @Test
  void halfCloseLetsEachSideFinishThenForgetsTheStream() throws Exception {
    LinkedBlockingQueue<MuxedStream> serverStreams = new LinkedBlockingQueue<>();
    pair = YamuxPair.start(group, CONFIG, CONFIG, serverStreams::add, 0);
    MuxedStream stream = pair.client.openStream().get();
    stream.output().write("request".getBytes(StandardCharsets.UTF_8));
    stream.closeWrite();

    MuxedStream remote = serverStreams.poll(5, TimeUnit.SECONDS);
    assertThat(new String(remote.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("request");
    remote.output().write("response".getBytes(StandardCharsets.UTF_8));
    remote.closeWrite();

    assertThat(new String(stream.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("response");
    stream.closeFuture().get(5, TimeUnit.SECONDS);
    remote.closeFuture().get(5, TimeUnit.SECONDS);
    Conditions.await(WAIT, "both sides forgot the stream",
        () -> pair.client.streamCount() == 0 && pair.server.streamCount() == 0);
  }

  @Test
  void resetWakesABlockedReaderAndABlockedWriter() throws Exception {
    LinkedBlockingQueue<MuxedStream> serverStreams = new LinkedBlockingQueue<>();
    pair = YamuxPair.start(group, CONFIG, CONFIG, serverStreams::add, 0);
    MuxedStream reading = pair.client.openStream().get();
    MuxedStream writing = pair.client.openStream().get();
    CompletableFuture<Throwable> readFailure = new CompletableFuture<>();
    CompletableFuture<Throwable> writeFailure = new CompletableFuture<>();
    Thread reader = Thread.ofVirtual().start(() -> readFailure.complete(failureOf(() -> reading.input().read())));
    Thread writer = Thread.ofVirtual().start(() -> writeFailure.complete(failureOf(() -> {
      writing.output().write(new byte[2 * WINDOW]);
      return 0;
    })));
    MuxedStream remoteOfReading = serverStreams.poll(5, TimeUnit.SECONDS);
    MuxedStream remoteOfWriting = serverStreams.poll(5, TimeUnit.SECONDS);
    Conditions.await(WAIT, "reader and writer block",
        () -> Conditions.isParked(reader) && Conditions.isParked(writer)
            && ((YamuxStream) writing).sendWindow() == 0);

    remoteOfReading.reset();
    remoteOfWriting.reset();
    assertThat(readFailure.get(5, TimeUnit.SECONDS))
        .isInstanceOf(StreamResetException.class).hasMessageContaining("reset by the remote peer");
    assertThat(writeFailure.get(5, TimeUnit.SECONDS)).isInstanceOf(StreamResetException.class);
    reading.closeFuture().get(5, TimeUnit.SECONDS);
    writing.closeFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void interruptWakesABlockedReader() throws Exception {
    pair = YamuxPair.start(group, CONFIG, CONFIG, stream -> {}, 0);
    MuxedStream stream = pair.client.openStream().get();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread reader = Thread.ofVirtual().start(() -> failure.complete(failureOf(() -> stream.input().read())));
    Conditions.await(WAIT, "the reader blocks", () -> Conditions.isParked(reader));
    reader.interrupt();
    assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
    stream.reset();
  }

  @Test
  void connectionCloseWakesBlockedStreamsAndEndsTheSession() throws Exception {
    pair = YamuxPair.start(group, CONFIG, CONFIG, stream -> {}, 0);
    MuxedStream stream = pair.client.openStream().get();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread reader = Thread.ofVirtual().start(() -> failure.complete(failureOf(() -> stream.input().read())));
    Conditions.await(WAIT, "the reader blocks", () -> Conditions.isParked(reader));

    pair.serverChannel.close();
    assertThat(failure.get(5, TimeUnit.SECONDS))
        .isInstanceOf(StreamResetException.class).hasMessageContaining("connection closed");
    pair.client.closeFuture().get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> pair.client.openStream().join())
        .hasCauseInstanceOf(ConnectionClosedException.class);
    assertThat(pair.client.streamCount()).isZero();
  }

  // ---- helpers ----

  private static void echoOnVirtualThread(MuxedStream stream) {
    Thread.ofVirtual().start(() -> {
      try {
        InputStream in = stream.input();
        OutputStream out = stream.output();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
        }
        stream.closeWrite();
      } catch (IOException e) {
        stream.reset();
      }
    });
  }

  /** Writes {@code size} seeded bytes while reading the echo; true when the echo is identical. */
  private static boolean roundTrip(MuxedStream stream, int size, long seed) throws Exception {
    byte[] payload = randomBytes(size, seed);
    CompletableFuture<Void> written = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        for (int off = 0; off < size; off += 64 * 1024) {
          stream.output().write(payload, off, Math.min(64 * 1024, size - off));
        }
        stream.closeWrite();
        written.complete(null);
      } catch (IOException e) {
        written.completeExceptionally(e);
      }
    });
    byte[] received = stream.input().readAllBytes();
    written.get(30, TimeUnit.SECONDS);
    stream.close();
    return received.length == size && crc(received) == crc(payload);
  }

  /** One echo round trip; false when the stream turns out to be reset. */
  private static boolean echoes(MuxedStream stream, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      stream.output().write(bytes);
      return Arrays.equals(stream.input().readNBytes(bytes.length), bytes);
    } catch (StreamResetException e) {
      return false;
    }
  }

  private interface IoCall {
    int call() throws IOException;
  }

  private static Throwable failureOf(IoCall call) {
    try {
      call.call();
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }
}
