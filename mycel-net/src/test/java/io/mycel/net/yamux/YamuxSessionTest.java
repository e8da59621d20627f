package io.mycel.net.yamux;

import static io.mycel.net.yamux.YamuxFrame.FLAG_ACK;
import static io.mycel.net.yamux.YamuxFrame.FLAG_FIN;
import static io.mycel.net.yamux.YamuxFrame.FLAG_RST;
import static io.mycel.net.yamux.YamuxFrame.FLAG_SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.mycel.net.ConnectionClosedException;
import io.mycel.net.ResourceLimitException;
import io.mycel.net.StreamResetException;
import io.mycel.net.mux.MuxedStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session against frames written by hand, on an embedded channel with a mock clock. */
class YamuxSessionTest {
  private static final YamuxConfig QUIET = YamuxConfig.defaults().withKeepAliveInterval(Duration.ZERO);
  private static final int WINDOW = YamuxConfig.SPEC_INITIAL_WINDOW;

  private final MockTicker ticker = Ticker.newMockTicker();
  private final LinkedBlockingQueue<MuxedStream> accepted = new LinkedBlockingQueue<>();
  private final YamuxFrameDecoder sentDecoder = new YamuxFrameDecoder(Integer.MAX_VALUE, (id, f) -> Long.MAX_VALUE);
  private EmbeddedChannel channel;
  private YamuxSession session;

  @AfterEach
  void tearDown() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
    accepted.forEach(MuxedStream::reset);
  }

  // ---- opening streams ----

  @Test
  void inboundSynIsAcknowledgedAndHandedToTheAcceptor() throws Exception {
    start(false, QUIET);
    receive(YamuxFrame.windowUpdate(1, FLAG_SYN, 0));
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, FLAG_ACK, 0));
    MuxedStream stream = acceptedStream();
    assertThat(stream.id()).isEqualTo(1);
    assertThat(stream.isInitiator()).isFalse();
    assertThat(session.streamCount()).isEqualTo(1);
  }

  @Test
  void acceptorRunsOnAVirtualThread() throws Exception {
    CompletableFuture<Thread> acceptorThread = new CompletableFuture<>();
    start(false, QUIET, stream -> {
      acceptorThread.complete(Thread.currentThread());
      accepted.add(stream);
    });
    receive(YamuxFrame.windowUpdate(1, FLAG_SYN, 0));
    assertThat(acceptorThread.get(5, TimeUnit.SECONDS).isVirtual()).isTrue();
  }

  @Test
  void largerInitialWindowIsAnnouncedInTheAck() {
    start(false, QUIET.withInitialStreamWindow(4 * WINDOW));
    receive(YamuxFrame.windowUpdate(1, FLAG_SYN, 0));
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, FLAG_ACK, 3L * WINDOW));
  }

  @Test
  void synOnADataFrameDeliversItsPayload() throws Exception {
    start(false, QUIET);
    receive(YamuxFrame.data(1, FLAG_SYN, bytes("hello")));
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, FLAG_ACK, 0));
    MuxedStream stream = acceptedStream();
    assertThat(stream.input().available()).isEqualTo(5);
    byte[] buf = new byte[16];
    assertThat(stream.input().read(buf)).isEqualTo(5);
    assertThat(new String(buf, 0, 5, StandardCharsets.UTF_8)).isEqualTo("hello");
  }

  @Test
  void clientOpensOddStreamIdsAndSendsTheSynAtOnce() {
    start(true, QUIET);
    MuxedStream first = session.openStream().join();
    MuxedStream second = session.openStream().join();
    assertThat(first.id()).isEqualTo(1);
    assertThat(second.id()).isEqualTo(3);
    assertThat(first.isInitiator()).isTrue();
    assertThat(sent()).containsExactly(
        YamuxFrame.windowUpdate(1, FLAG_SYN, 0), YamuxFrame.windowUpdate(3, FLAG_SYN, 0));
  }

  @Test
  void serverOpensEvenStreamIds() {
    start(false, QUIET);
    assertThat(session.openStream().join().id()).isEqualTo(2);
    assertThat(session.openStream().join().id()).isEqualTo(4);
  }

  @Test
  void openStreamPastTheLimitFails() {
    start(true, QUIET.withMaxStreams(1));
    session.openStream().join();
    assertThatThrownBy(() -> session.openStream().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(ResourceLimitException.class);
  }

  // ---- limits on inbound streams ----

  @Test
  void inboundStreamsPastTheLimitAreResetWhileTheOthersKeepWorking() throws Exception {
    start(false, QUIET.withMaxStreams(2));
    try (CapturedLog log = CapturedLog.start()) {
      receive(YamuxFrame.windowUpdate(1, FLAG_SYN, 0));
      receive(YamuxFrame.windowUpdate(3, FLAG_SYN, 0));
      receive(YamuxFrame.windowUpdate(5, FLAG_SYN, 0));
      assertThat(sent()).containsExactly(
          YamuxFrame.windowUpdate(1, FLAG_ACK, 0),
          YamuxFrame.windowUpdate(3, FLAG_ACK, 0),
          YamuxFrame.windowUpdate(5, FLAG_RST, 0));
      assertThat(log.contains("WARN", "resetting stream 5", "maximum of 2 streams", "embedded"))
          .as("log lines %s", log.lines()).isTrue();
    }
    MuxedStream first = acceptedStream();
    receive(YamuxFrame.data(1, 0, bytes("still served")));
    assertThat(first.input().readNBytes(12)).isEqualTo("still served".getBytes(StandardCharsets.UTF_8));
    assertThat(channel.isOpen()).isTrue();

    receive(YamuxFrame.windowUpdate(3, FLAG_RST, 0));
    receive(YamuxFrame.windowUpdate(7, FLAG_SYN, 0));
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(7, FLAG_ACK, 0));
  }

  @Test
  void inboundStreamsPastThePendingLimitAreReset() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    start(false, QUIET.withMaxPendingInboundStreams(1), stream -> {
      accepted.add(stream);
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try (CapturedLog log = CapturedLog.start()) {
      receive(YamuxFrame.windowUpdate(1, FLAG_SYN, 0));
      receive(YamuxFrame.windowUpdate(3, FLAG_SYN, 0));
      assertThat(sent()).containsExactly(
          YamuxFrame.windowUpdate(1, FLAG_ACK, 0), YamuxFrame.windowUpdate(3, FLAG_RST, 0));
      assertThat(log.contains("resetting stream 3", "wait to be accepted")).isTrue();
    }
    acceptedStream();
    release.countDown();
    long[] next = {5};
    Conditions.await(Duration.ofSeconds(5), "a new stream is accepted once the acceptor returned", () -> {
      long id = next[0];
      next[0] += 2;
      receive(YamuxFrame.windowUpdate(id, FLAG_SYN, 0));
      List<YamuxFrame> frames = sent();
      if (frames.equals(List.of(YamuxFrame.windowUpdate(id, FLAG_RST, 0)))) {
        return false;
      }
      assertThat(frames).containsExactly(YamuxFrame.windowUpdate(id, FLAG_ACK, 0));
      return true;
    });
  }

  // ---- flow control ----

  @Test
  void writesAreCutIntoFramesOfAtMostTheSendFrameSize() throws Exception {
    start(true, QUIET.withMaxSendFrameSize(1000));
    MuxedStream stream = session.openStream().join();
    sent();
    byte[] data = new byte[2500];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    stream.output().write(data);
    List<YamuxFrame> frames = sent();
    assertThat(frames).extracting(YamuxFrame::type).containsOnly(YamuxFrameType.DATA);
    assertThat(frames).extracting(YamuxFrame::length).containsExactly(1000L, 1000L, 500L);
    byte[] joined = new byte[2500];
    int off = 0;
    for (YamuxFrame frame : frames) {
      frame.payload().readBytes(joined, off, (int) frame.length());
      off += (int) frame.length();
    }
    assertThat(joined).isEqualTo(data);
  }

  @Test
  void writerUsesNoMoreThanTheWindowTheRemoteGranted() throws Exception {
    start(true, QUIET);
    YamuxStream stream = (YamuxStream) session.openStream().join();
    sent();
    stream.output().write(new byte[WINDOW]);
    assertThat(stream.sendWindow()).isZero();
    long frame = YamuxConfig.DEFAULT_MAX_SEND_FRAME_SIZE;
    assertThat(sent()).extracting(YamuxFrame::length)
        .containsExactly(frame, frame, frame, frame, WINDOW - 4 * frame);
    // One more byte would wait for a window update; on the event loop that is refused.
    assertThatThrownBy(() -> stream.output().write(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("would block the event loop");
    receive(YamuxFrame.windowUpdate(1, 0, 100));
    stream.output().write(new byte[100]);
    assertThat(sent()).extracting(YamuxFrame::length).containsExactly(100L);
  }

  @Test
  void windowIsHandedBackOnceHalfOfItWasRead() throws Exception {
    start(false, QUIET);
    receive(YamuxFrame.windowUpdate(1, FLAG_SYN, 0));
    sent();
    MuxedStream stream = acceptedStream();
    byte[] buf = new byte[WINDOW];
    receive(YamuxFrame.data(1, 0, Unpooled.wrappedBuffer(new byte[100 * 1024])));
    assertThat(stream.input().read(buf)).isEqualTo(100 * 1024);
    assertThat(sent()).isEmpty();
    receive(YamuxFrame.data(1, 0, Unpooled.wrappedBuffer(new byte[40 * 1024])));
    assertThat(stream.input().read(buf)).isEqualTo(40 * 1024);
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, 0, 140 * 1024));
  }

  @Test
  void windowDoublesWhenTheReaderKeepsUpWithinFourRoundTrips() throws Exception {
    start(false, QUIET);
    measureRtt(Duration.ofMillis(10));
    receive(YamuxFrame.windowUpdate(1, FLAG_SYN, 0));
    sent();
    YamuxStream stream = (YamuxStream) acceptedStream();

    receive(YamuxFrame.data(1, 0, Unpooled.wrappedBuffer(new byte[WINDOW / 2])));
    stream.input().readNBytes(WINDOW / 2);
    assertThat(stream.receiveWindowSize()).isEqualTo(2L * WINDOW);
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, 0, 2L * WINDOW - WINDOW / 2));

    ticker.advance(1, TimeUnit.SECONDS);
    receive(YamuxFrame.data(1, 0, Unpooled.wrappedBuffer(new byte[WINDOW])));
    stream.input().readNBytes(WINDOW);
    assertThat(stream.receiveWindowSize()).isEqualTo(2L * WINDOW);
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, 0, WINDOW));
  }

  @Test
  void windowGrowthIsCappedByTheConnectionBudget() throws Exception {
    start(false, QUIET.withMaxConnectionWindowGrowth(1000));
    measureRtt(Duration.ofMillis(10));
    receive(YamuxFrame.windowUpdate(1, FLAG_SYN, 0));
    sent();
    YamuxStream stream = (YamuxStream) acceptedStream();
    receive(YamuxFrame.data(1, 0, Unpooled.wrappedBuffer(new byte[WINDOW / 2])));
    stream.input().readNBytes(WINDOW / 2);
    assertThat(stream.receiveWindowSize()).isEqualTo(WINDOW + 1000L);
  }

  // ---- protocol violations ----

  @Test
  void unknownFrameTypeClosesTheConnectionWithAGoAway() {
    start(false, QUIET);
    try (CapturedLog log = CapturedLog.start()) {
      channel.writeInbound(header(0, 4, 0, 1, 0));
      assertThat(sent()).containsExactly(YamuxFrame.goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR));
      assertThat(channel.isOpen()).isFalse();
      assertThat(log.contains("WARN", "protocol violation", "unknown yamux frame type 4"))
          .as("log lines %s", log.lines()).isTrue();
    }
  }

  @Test
  void unknownVersionClosesTheConnection() {
    start(false, QUIET);
    try (CapturedLog log = CapturedLog.start()) {
      channel.writeInbound(header(1, 0, FLAG_SYN, 1, 0));
      assertThat(sent()).containsExactly(YamuxFrame.goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR));
      assertThat(channel.isOpen()).isFalse();
      assertThat(log.contains("unsupported yamux version 1")).isTrue();
    }
  }

  @Test
  void dataBeyondTheReceiveWindowClosesTheConnection() throws Exception {
    start(false, QUIET);
    receive(YamuxFrame.data(1, FLAG_SYN, Unpooled.wrappedBuffer(new byte[WINDOW])));
    sent();
    MuxedStream stream = acceptedStream();
    try (CapturedLog log = CapturedLog.start()) {
      receive(YamuxFrame.data(1, 0, bytes("x")));
      assertThat(sent()).containsExactly(YamuxFrame.goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR));
      assertThat(channel.isOpen()).isFalse();
      assertThat(log.contains("protocol violation", "exceeds its receive window of 0 bytes"))
          .as("log lines %s", log.lines()).isTrue();
    }
    assertThatThrownBy(() -> stream.input().read()).isInstanceOf(StreamResetException.class);
  }

  @Test
  void dataFrameOverTheMaxFrameSizeClosesTheConnection() {
    start(false, QUIET.withMaxFrameSize(1024));
    try (CapturedLog log = CapturedLog.start()) {
      receive(YamuxFrame.data(1, FLAG_SYN, Unpooled.wrappedBuffer(new byte[1025])));
      assertThat(sent()).containsExactly(YamuxFrame.goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR));
      assertThat(channel.isOpen()).isFalse();
      assertThat(log.contains("exceeds the maximum frame size of 1024")).isTrue();
    }
  }

  @Test
  void synForAnOpenStreamClosesTheConnection() {
    start(false, QUIET);
    receive(YamuxFrame.windowUpdate(1, FLAG_SYN, 0));
    sent();
    receive(YamuxFrame.windowUpdate(1, FLAG_SYN, 0));
    assertThat(sent()).containsExactly(YamuxFrame.goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void synWithThisSidesStreamIdClosesTheConnection() {
    start(false, QUIET);
    receive(YamuxFrame.windowUpdate(2, FLAG_SYN, 0));
    assertThat(sent()).containsExactly(YamuxFrame.goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void framesForUnknownStreamsAreDropped() {
    start(false, QUIET);
    receive(YamuxFrame.windowUpdate(99, 0, 10));
    receive(YamuxFrame.data(99, 0, bytes("late")));
    assertThat(sent()).isEmpty();
    assertThat(channel.isOpen()).isTrue();
  }

  // ---- ping and go-away ----

  @Test
  void pingIsAnsweredWithTheSameOpaqueValue() {
    start(false, QUIET);
    receive(YamuxFrame.ping(FLAG_SYN, 0xDEADBEEFL));
    assertThat(sent()).containsExactly(YamuxFrame.ping(FLAG_ACK, 0xDEADBEEFL));
  }

  @Test
  void pingCompletesWithTheRoundTripTime() {
    start(true, QUIET);
    CompletableFuture<Duration> rtt = session.ping();
    List<YamuxFrame> frames = sent();
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).hasFlag(FLAG_SYN)).isTrue();
    ticker.advance(7, TimeUnit.MILLISECONDS);
    assertThat(rtt).isNotDone();
    receive(YamuxFrame.ping(FLAG_ACK, frames.get(0).length()));
    assertThat(rtt.join()).isEqualTo(Duration.ofMillis(7));
  }

  @Test
  void keepAlivePingsAndClosesTheConnectionWhenAPingGoesUnanswered() {
    start(true, QUIET.withKeepAliveInterval(Duration.ofSeconds(1)));
    channel.runScheduledPendingTasks();
    List<YamuxFrame> first = sent();
    assertThat(first).extracting(YamuxFrame::type).containsExactly(YamuxFrameType.PING);
    receive(YamuxFrame.ping(FLAG_ACK, first.get(0).length()));

    ticker.advance(1, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(sent()).extracting(YamuxFrame::type).containsExactly(YamuxFrameType.PING);
    assertThat(channel.isOpen()).isTrue();
    try (CapturedLog log = CapturedLog.start()) {
      ticker.advance(1, TimeUnit.SECONDS);
      channel.runScheduledPendingTasks();
      assertThat(channel.isOpen()).isFalse();
      assertThat(log.contains("keep-alive ping went unanswered")).isTrue();
    }
  }

  @Test
  void goAwayFromTheRemoteRefusesNewStreamsButKeepsOpenOnes() throws Exception {
    start(true, QUIET);
    MuxedStream open = session.openStream().join();
    sent();
    receive(YamuxFrame.goAway(YamuxFrame.GO_AWAY_NORMAL));
    assertThatThrownBy(() -> session.openStream().join())
        .hasCauseInstanceOf(ConnectionClosedException.class)
        .hasMessageContaining("go-away");
    open.output().write("after".getBytes(StandardCharsets.UTF_8));
    assertThat(sent()).extracting(YamuxFrame::type).containsExactly(YamuxFrameType.DATA);
  }

  @Test
  void goAwayFromThisSideRefusesLaterStreams() {
    start(false, QUIET);
    session.goAway(YamuxFrame.GO_AWAY_NORMAL);
    session.goAway(YamuxFrame.GO_AWAY_NORMAL);
    assertThat(sent()).containsExactly(YamuxFrame.goAway(YamuxFrame.GO_AWAY_NORMAL));
    receive(YamuxFrame.windowUpdate(1, FLAG_SYN, 0));
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, FLAG_RST, 0));
    assertThatThrownBy(() -> session.openStream().join())
        .hasCauseInstanceOf(ConnectionClosedException.class);
  }

  // ---- closing and resetting ----

  @Test
  void remoteResetFailsReadsAndWritesAndForgetsTheStream() {
    start(true, QUIET);
    MuxedStream stream = session.openStream().join();
    sent();
    receive(YamuxFrame.windowUpdate(1, FLAG_RST, 0));
    assertThatThrownBy(() -> stream.input().read())
        .isInstanceOf(StreamResetException.class)
        .hasMessageContaining("reset by the remote peer");
    assertThatThrownBy(() -> stream.output().write(1)).isInstanceOf(StreamResetException.class);
    assertThat(stream.closeFuture()).isDone();
    assertThat(session.streamCount()).isZero();
    assertThat(sent()).isEmpty();
  }

  @Test
  void localResetSendsRstAndDropsLaterFrames() throws Exception {
    start(false, QUIET);
    receive(YamuxFrame.data(1, FLAG_SYN, bytes("unread")));
    sent();
    MuxedStream stream = acceptedStream();
    stream.reset();
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, FLAG_RST, 0));
    assertThat(stream.closeFuture()).isDone();
    assertThat(session.streamCount()).isZero();
    receive(YamuxFrame.data(1, 0, bytes("late")));
    assertThat(channel.isOpen()).isTrue();
    assertThatThrownBy(() -> stream.input().read()).isInstanceOf(StreamResetException.class);
  }

  @Test
  void remoteFinEndsReadsAfterTheQueuedData() throws Exception {
    start(false, QUIET);
    receive(YamuxFrame.data(1, FLAG_SYN, bytes("abc")));
    receive(YamuxFrame.windowUpdate(1, FLAG_FIN, 0));
    sent();
    MuxedStream stream = acceptedStream();
    assertThat(stream.input().readAllBytes()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
    assertThat(stream.input().read()).isEqualTo(-1);
    assertThat(session.streamCount()).isEqualTo(1);
    assertThat(stream.closeFuture()).isNotDone();
    stream.output().write('!');
    stream.closeWrite();
    assertThat(sent()).extracting(YamuxFrame::type, YamuxFrame::flags)
        .containsExactly(
            tuple(YamuxFrameType.DATA, 0), tuple(YamuxFrameType.WINDOW_UPDATE, FLAG_FIN));
    assertThat(stream.closeFuture()).isDone();
    assertThat(session.streamCount()).isZero();
  }

  @Test
  void dataAfterTheRemoteFinResetsTheStream() throws Exception {
    start(false, QUIET);
    receive(YamuxFrame.data(1, FLAG_SYN | FLAG_FIN, bytes("done")));
    sent();
    MuxedStream stream = acceptedStream();
    receive(YamuxFrame.data(1, 0, bytes("more")));
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, FLAG_RST, 0));
    assertThatThrownBy(() -> stream.input().read()).isInstanceOf(StreamResetException.class);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void writeAfterCloseWriteFails() {
    start(true, QUIET);
    MuxedStream stream = session.openStream().join();
    stream.closeWrite();
    assertThatThrownBy(() -> stream.output().write(1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed for writing");
  }

  @Test
  void closeDiscardsUnreadDataAndForgetsTheStreamWhenTheRemoteFinishes() throws Exception {
    start(false, QUIET);
    receive(YamuxFrame.data(1, FLAG_SYN, Unpooled.wrappedBuffer(new byte[1000])));
    sent();
    MuxedStream stream = acceptedStream();
    stream.close();
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, FLAG_FIN, 0));
    assertThat(stream.input().available()).isZero();
    assertThatThrownBy(() -> stream.input().read()).hasMessageContaining("closed for reading");
    assertThat(session.streamCount()).isEqualTo(1);

    receive(YamuxFrame.data(1, 0, Unpooled.wrappedBuffer(new byte[200 * 1024])));
    receive(YamuxFrame.windowUpdate(1, FLAG_FIN, 0));
    assertThat(sent()).as("discarded data is not handed back").isEmpty();
    assertThat(stream.closeFuture()).isDone();
    assertThat(session.streamCount()).isZero();
  }

  @Test
  void closedStreamIsResetWhenTheRemoteDoesNotFinishWithinTheGracePeriod() throws Exception {
    start(false, QUIET.withCloseGracePeriod(Duration.ofSeconds(5)));
    receive(YamuxFrame.windowUpdate(1, FLAG_SYN, 0));
    sent();
    MuxedStream stream = acceptedStream();
    stream.close();
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, FLAG_FIN, 0));
    ticker.advance(4, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(sent()).isEmpty();
    ticker.advance(1, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, FLAG_RST, 0));
    assertThat(stream.closeFuture()).isDone();
    assertThat(session.streamCount()).isZero();
  }

  @Test
  void gracePeriodAlsoStartsWhenTheInputIsClosedBeforeTheOutput() throws Exception {
    start(false, QUIET.withCloseGracePeriod(Duration.ofSeconds(5)));
    receive(YamuxFrame.windowUpdate(1, FLAG_SYN, 0));
    sent();
    MuxedStream stream = acceptedStream();
    stream.input().close();
    stream.output().close();
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, FLAG_FIN, 0));
    ticker.advance(5, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, FLAG_RST, 0));
    assertThat(session.streamCount()).isZero();
  }

  @Test
  void streamWithoutTrafficIsResetAfterTheIdleTimeout() throws Exception {
    start(false, QUIET.withIdleStreamTimeout(Duration.ofSeconds(10)));
    receive(YamuxFrame.windowUpdate(1, FLAG_SYN, 0));
    sent();
    MuxedStream stream = acceptedStream();
    ticker.advance(6, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    receive(YamuxFrame.data(1, 0, bytes("traffic")));
    ticker.advance(6, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(sent()).isEmpty();
    ticker.advance(4, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(sent()).containsExactly(YamuxFrame.windowUpdate(1, FLAG_RST, 0));
    assertThatThrownBy(() -> stream.input().read()).isInstanceOf(StreamResetException.class);
    assertThat(session.streamCount()).isZero();
  }

  @Test
  void connectionCloseResetsStreamsReleasesTheirDataAndFailsPings() throws Exception {
    start(false, QUIET);
    receive(YamuxFrame.data(1, FLAG_SYN, Unpooled.wrappedBuffer(new byte[1000])));
    MuxedStream stream = acceptedStream();
    CompletableFuture<Duration> ping = session.ping();
    channel.close();
    assertThatThrownBy(() -> stream.input().read())
        .isInstanceOf(StreamResetException.class)
        .hasMessageContaining("connection closed");
    assertThat(stream.closeFuture()).isDone();
    assertThat(ping).isCompletedExceptionally();
    assertThatThrownBy(ping::join).hasCauseInstanceOf(ConnectionClosedException.class);
    assertThat(session.closeFuture()).isDone();
    assertThat(session.streamCount()).isZero();
    assertThatThrownBy(() -> session.openStream().join())
        .hasCauseInstanceOf(ConnectionClosedException.class);
  }

  @Test
  void inboundBuffersAreReleasedByTheSession() {
    start(false, QUIET);
    ByteBuf wire = YamuxFrameEncoder.encode(channel.alloc(), YamuxFrame.data(1, FLAG_SYN, bytes("x")));
    wire.retain();
    channel.writeInbound(wire);
    assertThat(wire.refCnt()).isEqualTo(1);
    wire.release();
  }

  // ---- helpers ----

  private void start(boolean client, YamuxConfig config) {
    start(client, config, accepted::add);
  }

  private void start(boolean client, YamuxConfig config, Consumer<MuxedStream> acceptor) {
    session = new YamuxSession(client, config, acceptor);
    channel = EmbeddedChannel.builder().handlers(session).ticker(ticker).build();
  }

  private void measureRtt(Duration rtt) {
    CompletableFuture<Duration> ping = session.ping();
    YamuxFrame syn = sent().get(0);
    ticker.advance(rtt.toNanos(), TimeUnit.NANOSECONDS);
    receive(YamuxFrame.ping(FLAG_ACK, syn.length()));
    assertThat(ping.join()).isEqualTo(rtt);
  }

  private void receive(YamuxFrame frame) {
    channel.writeInbound(YamuxFrameEncoder.encode(channel.alloc(), frame));
  }

  private MuxedStream acceptedStream() throws InterruptedException {
    MuxedStream stream = accepted.poll(5, TimeUnit.SECONDS);
    assertThat(stream).as("a stream handed to the acceptor").isNotNull();
    return stream;
  }

  /** The frames written since the last call; data payloads are copied to unpooled heap buffers. */
  private List<YamuxFrame> sent() {
    List<YamuxFrame> frames = new ArrayList<>();
    ByteBuf buf;
    while ((buf = channel.readOutbound()) != null) {
      try {
        YamuxFrame frame;
        while ((frame = sentDecoder.decode(channel.alloc(), buf)) != null) {
          if (frame.payload() != null) {
            byte[] copy = new byte[frame.payload().readableBytes()];
            frame.payload().readBytes(copy);
            frame.release();
            frame = YamuxFrame.data(frame.streamId(), frame.flags(), Unpooled.wrappedBuffer(copy));
          }
          frames.add(frame);
        }
      } finally {
        buf.release();
      }
    }
    return frames;
  }

  private static ByteBuf bytes(String text) {
    return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
  }

  private static ByteBuf header(int version, int type, int flags, long streamId, long length) {
    ByteBuf buf = Unpooled.buffer(YamuxFrame.HEADER_LENGTH);
    buf.writeByte(version).writeByte(type).writeShort(flags).writeInt((int) streamId).writeInt((int) length);
    return buf;
  }
}
