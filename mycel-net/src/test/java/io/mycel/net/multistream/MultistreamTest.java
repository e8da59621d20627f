package io.mycel.net.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.net.ConnectionClosedException;
import io.mycel.net.ProtocolNegotiationException;
import io.mycel.net.ProtocolViolationException;
import io.mycel.net.multistream.testing.BytePipe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MultistreamTest {

  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final BytePipe toListener = new BytePipe();
  private final BytePipe toDialer = new BytePipe();

  @AfterEach
  void stop() {
    toListener.reset();
    toDialer.reset();
    threads.shutdownNow();
  }

  @Test
  void dialerAndListenerAgreeAndDataFollowsOnBothSides() throws Exception {
    CompletableFuture<String> listener =
        async(
            () -> {
              String p =
                  Multistream.respond(
                      toListener.input(),
                      toDialer.output(),
                      Set.of("/echo/1.0.0")::contains,
                      List::of);
              byte[] request = toListener.input().readNBytes(5);
              toDialer.output().write(request);
              return p;
            });
    String selected = Multistream.select(toDialer.input(), toListener.output(), List.of("/echo/1.0.0"));
    toListener.output().write("hello".getBytes(StandardCharsets.UTF_8));

    assertThat(selected).isEqualTo("/echo/1.0.0");
    assertThat(get(listener)).isEqualTo("/echo/1.0.0");
    assertThat(new String(toDialer.input().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("hello");
  }

  @Test
  void listenerLeavesDataPipelinedAfterTheProtocolUnread() throws Exception {
    // What js-libp2p sends when it dials a single protocol: everything in one write.
    ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
    pipelined.writeBytes(MultistreamMessages.header());
    pipelined.writeBytes(MultistreamMessages.encode("/ipfs/ping/1.0.0"));
    pipelined.writeBytes(new byte[] {1, 2, 3, 4});
    toListener.output().write(pipelined.toByteArray());

    String selected =
        Multistream.respond(
            toListener.input(), toDialer.output(), "/ipfs/ping/1.0.0"::equals, List::of);

    assertThat(selected).isEqualTo("/ipfs/ping/1.0.0");
    assertThat(toListener.input().available()).isEqualTo(4);
    assertThat(toListener.input().readNBytes(4)).containsExactly(1, 2, 3, 4);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(MultistreamMessages.header());
    expected.writeBytes(MultistreamMessages.encode("/ipfs/ping/1.0.0"));
    assertThat(toDialer.input().readNBytes(expected.size())).isEqualTo(expected.toByteArray());
  }

  @Test
  void dialerSendsHeaderAndFirstProposalInOneWriteAndLeavesDataUnread() throws Exception {
    // A listener answering header and protocol, then its first data, all at once.
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    answer.writeBytes(MultistreamMessages.header());
    answer.writeBytes(MultistreamMessages.encode("/yamux/1.0.0"));
    answer.writeBytes(new byte[] {9, 9});
    toDialer.output().write(answer.toByteArray());

    String selected =
        Multistream.select(toDialer.input(), toListener.output(), List.of("/yamux/1.0.0"));

    assertThat(selected).isEqualTo("/yamux/1.0.0");
    assertThat(toDialer.input().readNBytes(2)).containsExactly(9, 9);
    byte[] expected = MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "/yamux/1.0.0"));
    assertThat(toListener.written()).isEqualTo(expected.length);
    assertThat(toListener.input().readNBytes(expected.length)).isEqualTo(expected);
  }

  @Test
  void listenerAnswersAnInteractiveDialerThatWaitsForTheHeader() throws Exception {
    CompletableFuture<String> listener = respondAsync(Set.of("/p"));
    assertThat(toDialer.written()).isZero();

    toListener.output().write(MultistreamMessages.header());
    assertThat(toDialer.input().readNBytes(20)).isEqualTo(MultistreamMessages.header());
    toListener.output().write(MultistreamMessages.encode("/p"));

    assertThat(get(listener)).isEqualTo("/p");
    assertThat(toDialer.input().readNBytes(4)).isEqualTo(MultistreamMessages.encode("/p"));
  }

  @Test
  void dialerFallsBackToNextProtocolAfterNa() throws Exception {
    CompletableFuture<String> listener = respondAsync(Set.of("/b/1.0.0"));

    String selected =
        Multistream.select(
            toDialer.input(), toListener.output(), List.of("/a/1.0.0", "/b/1.0.0"));

    assertThat(selected).isEqualTo("/b/1.0.0");
    assertThat(get(listener)).isEqualTo("/b/1.0.0");
  }

  @Test
  void noCommonProtocolFailsTheDialerWithTheOfferedList() throws Exception {
    CompletableFuture<String> listener = respondAsync(Set.of("/c/1.0.0"));

    assertThatThrownBy(
            () ->
                Multistream.select(
                    toDialer.input(), toListener.output(), List.of("/a/1.0.0", "/b/1.0.0")))
        .isInstanceOfSatisfying(
            ProtocolNegotiationException.class,
            e -> assertThat(e.offered()).containsExactly("/a/1.0.0", "/b/1.0.0"));

    // The dialer gives up and closes: the listener sees the end of the stream.
    toListener.close();
    assertThatThrownBy(() -> get(listener)).hasCauseInstanceOf(ConnectionClosedException.class);
  }

  @Test
  void lsListsTheListenersProtocols() throws Exception {
    List<String> mine = List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0");
    CompletableFuture<String> listener =
        async(
            () ->
                Multistream.respond(
                    toListener.input(), toDialer.output(), mine::contains, () -> mine));

    List<String> listed = Multistream.ls(toDialer.input(), toListener.output());

    assertThat(listed).isEqualTo(mine);
    // Still negotiating: a proposal after ls is answered.
    toListener.output().write(MultistreamMessages.encode("/ipfs/ping/1.0.0"));
    assertThat(get(listener)).isEqualTo("/ipfs/ping/1.0.0");
  }

  @Test
  void listenerAnswersLsWithTheNestedFormat() throws Exception {
    toListener.output().write(MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "ls")));
    toListener.close();

    assertThatThrownBy(
            () ->
                Multistream.respond(
                    toListener.input(), toDialer.output(), p -> false, () -> List.of("/x", "/y")))
        .isInstanceOf(ConnectionClosedException.class);
    toDialer.close();

    byte[] header = toDialer.input().readNBytes(20);
    assertThat(header).isEqualTo(MultistreamMessages.header());
    byte[] answer = toDialer.input().readAllBytes();
    assertThat(answer).isEqualTo(MultistreamMessagesTest.lsAnswer(List.of("/x", "/y"), true));
  }

  @Test
  void listenerEchoesARepeatedHeader() throws Exception {
    toListener.output().write(
        MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "/multistream/1.0.0", "/p")));

    assertThat(Multistream.respond(toListener.input(), toDialer.output(), "/p"::equals, List::of))
        .isEqualTo("/p");
    byte[] expected =
        MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "/multistream/1.0.0", "/p"));
    assertThat(toDialer.input().readNBytes(expected.length)).isEqualTo(expected);
  }

  @Test
  void garbageInsteadOfHeaderIsViolationNamingTheBytes() throws Exception {
    toListener.output().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(
            () -> Multistream.respond(toListener.input(), toDialer.output(), p -> true, List::of))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("expected the multistream-select header")
        .hasMessageContaining("0x474554202f")
        .hasMessageContaining("GET / HTTP");
  }

  @Test
  void garbageAnswerToDialerIsViolation() throws Exception {
    toDialer.output().write(new byte[] {0x13, '/', 'm', 'u', 'l', 't', 'i', 'X'});

    assertThatThrownBy(
            () -> Multistream.select(toDialer.input(), toListener.output(), List.of("/p")))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("0x132f6d756c746958");
  }

  @Test
  void unexpectedAnswerToProposalIsViolation() throws Exception {
    toDialer.output().write(MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "/other")));

    assertThatThrownBy(
            () -> Multistream.select(toDialer.input(), toListener.output(), List.of("/p")))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("/other");
  }

  @Test
  void oversizedMessageIsRejectedFromItsLengthPrefix() throws Exception {
    toListener.output().write(MultistreamMessages.header());
    // varint 2000 = 0xd0 0x0f; no payload follows, the prefix alone must fail.
    toListener.output().write(new byte[] {(byte) 0xd0, 0x0f});

    assertThatThrownBy(
            () -> Multistream.respond(toListener.input(), toDialer.output(), p -> true, List::of))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("1024-byte limit");
  }

  @Test
  void endlessLengthPrefixIsViolation() throws Exception {
    toListener.output().write(MultistreamMessages.header());
    toListener.output().write(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
        (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80});

    assertThatThrownBy(
            () -> Multistream.respond(toListener.input(), toDialer.output(), p -> true, List::of))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("length prefix");
  }

  @Test
  void streamEndingInsideAMessageIsViolation() throws Exception {
    toListener.output().write(MultistreamMessages.header());
    toListener.output().write(new byte[] {10, '/', 'a', 'b'});
    toListener.close();

    assertThatThrownBy(
            () -> Multistream.respond(toListener.input(), toDialer.output(), p -> true, List::of))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("after 3 of 10 bytes");
  }

  @Test
  void streamEndingInsideTheHeaderIsViolation() throws Exception {
    toListener.output().write(new byte[] {0x13, '/', 'm', 'u'});
    toListener.close();

    assertThatThrownBy(
            () -> Multistream.respond(toListener.input(), toDialer.output(), p -> true, List::of))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("inside the multistream-select header");
  }

  @Test
  void streamEndingBeforeTheHeaderIsConnectionClosed() throws Exception {
    toListener.close();

    assertThatThrownBy(
            () -> Multistream.respond(toListener.input(), toDialer.output(), p -> true, List::of))
        .isInstanceOf(ConnectionClosedException.class);
  }

  @Test
  void messageWithoutNewlineIsViolation() throws Exception {
    toListener.output().write(MultistreamMessages.header());
    toListener.output().write(new byte[] {3, '/', 'a', 'b'});

    assertThatThrownBy(
            () -> Multistream.respond(toListener.input(), toDialer.output(), p -> true, List::of))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("newline");
  }

  @Test
  void listenerGivesUpAfterTooManyUnsupportedProposals() throws Exception {
    MultistreamLimits limits = new MultistreamLimits(1024, 65536, 3);
    toListener.output().write(
        MultistreamMessages.encodeAll(List.of("/multistream/1.0.0", "/a", "/b", "/c", "/d")));

    assertThatThrownBy(
            () ->
                Multistream.respond(
                    toListener.input(), toDialer.output(), p -> false, List::of, limits))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("3 multistream-select messages");
  }

  @Test
  void dialerRejectsEmptyProtocolList() {
    assertThatThrownBy(() -> Multistream.select(toDialer.input(), toListener.output(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resetDuringNegotiationSurfacesAsIoException() throws Exception {
    CompletableFuture<String> dialer =
        async(() -> Multistream.select(toDialer.input(), toListener.output(), List.of("/p")));
    toDialer.reset();

    assertThatThrownBy(() -> get(dialer)).hasCauseInstanceOf(IOException.class);
  }

  private CompletableFuture<String> respondAsync(Set<String> supported) {
    return async(
        () ->
            Multistream.respond(
                toListener.input(), toDialer.output(), supported::contains, List::of));
  }

  private <T> CompletableFuture<T> async(Callable<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    threads.execute(
        () -> {
          try {
            result.complete(task.call());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    return result;
  }

  private static <T> T get(CompletableFuture<T> future)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    return future.get(5, TimeUnit.SECONDS);
  }
}
