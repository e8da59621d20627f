package io.mycel.net.autonat;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.net.Connection;
import io.mycel.net.autonat.AutoNatMessages.DialRequest;
import io.mycel.net.autonat.AutoNatMessages.DialResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The initiator of {@value AutoNatService#ID}: asks the peer of a connection to dial this node
 * back on some of its addresses (<a
 * href="https://github.com/libp2p/specs/blob/master/autonat/autonat-v1.md#protocol">spec</a>).
 */
public final class AutoNatClient {

  private final Duration timeout;

  public AutoNatClient(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Sends one DIAL request for {@code addresses} over a new stream of {@code connection}.
   *
   * @return the peer's answer; fails with a {@link io.mycel.net.ProtocolViolationException} for a
   *     malformed answer, or a {@link java.util.concurrent.TimeoutException} after the timeout
   *     (the stream is then reset)
   */
  public CompletableFuture<DialResponse> request(Connection connection, List<Multiaddr> addresses) {
    DialRequest request = new DialRequest(connection.localPeer(), addresses);
    CompletableFuture<DialResponse> result = new CompletableFuture<>();
    result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    connection.openStream(AutoNatService.ID).whenComplete((stream, error) -> {
      if (error != null) {
        result.completeExceptionally(unwrap(error));
        return;
      }
      result.whenComplete((answer, failure) -> {
        if (failure == null) {
          stream.close();
        } else {
          stream.reset();
        }
      });
      Thread.ofVirtual().name("mycel-autonat-client").start(() -> {
        try {
          AutoNatMessages.write(stream.output(), AutoNatMessages.encode(request));
          byte[] answer = AutoNatMessages.read(stream.input(), AutoNatMessages.MAX_MESSAGE_SIZE);
          result.complete(AutoNatMessages.decodeResponse(answer));
        } catch (Throwable t) {
          result.completeExceptionally(t);
        }
      });
    });
    return result;
  }

  static Throwable unwrap(Throwable error) {
    while ((error instanceof CompletionException || error instanceof ExecutionException)
        && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }
}
