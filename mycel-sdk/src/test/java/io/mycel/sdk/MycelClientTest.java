package io.mycel.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a home's daemon, and how answers and failures reach the caller. */
class MycelClientTest {
  @TempDir Path home;

  @Test
  void aHomeWithoutAnApiFileHasNoDaemon() throws Exception {
    assertThat(MycelClient.forHome(home)).isEmpty();
  }

  @Test
  void theApiFileMultiaddrBecomesTheUrl() throws Exception {
    Files.writeString(home.resolve("api"), "/ip4/127.0.0.1/tcp/7070\n");
    assertThat(MycelClient.forHome(home).orElseThrow().url()).isEqualTo("http://127.0.0.1:7070");
  }

  @Test
  void ipv6AndDnsAddressesBecomeUrls() {
    assertThat(MycelClient.toUrl("/ip6/::1/tcp/7070")).isEqualTo("http://[0:0:0:0:0:0:0:1]:7070");
    assertThat(MycelClient.toUrl("/dns4/localhost/tcp/7070")).isEqualTo("http://localhost:7070");
    assertThat(MycelClient.toUrl("http://127.0.0.1:1")).isEqualTo("http://127.0.0.1:1");
  }

  @Test
  void aGarbledApiFileIsReported() throws Exception {
    Files.writeString(home.resolve("api"), "nonsense");
    assertThatThrownBy(() -> MycelClient.forHome(home))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nonsense");
  }

  @Test
  void theTokenOfTheConfigIsSentAndErrorsCarryTheDaemonsMessage() throws Exception {
    AtomicReference<String> authorization = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v0/pin/rm", exchange -> {
      authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = "{\"error\":\"bafy is not pinned\",\"code\":404}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(404, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    try {
      Files.writeString(home.resolve("api"), "/ip4/127.0.0.1/tcp/" + server.getAddress().getPort());
      Files.writeString(home.resolve("config.json"),
          "{\"api\": {\"listen\": \"/ip4/127.0.0.1/tcp/0\", \"token\": \"0123456789abcdefXYZ\"}}");
      try (MycelClient client = MycelClient.forHome(home).orElseThrow()) {
        assertThatThrownBy(() -> client.pinRm("bafy"))
            .isInstanceOfSatisfying(MycelApiException.class, e -> assertThat(e.status())
                .isEqualTo(404))
            .hasMessage("bafy is not pinned");
      }
      assertThat(authorization.get()).isEqualTo("Bearer 0123456789abcdefXYZ");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aDaemonThatDoesNotAnswerIsNamed() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (MycelClient client = MycelClient.connect("http://127.0.0.1:" + port, null)) {
      assertThatThrownBy(client::id).isInstanceOf(ConnectException.class)
          .hasMessageContaining("is the daemon running");
    }
  }

  @Test
  void aNonHttpUrlIsRefused() {
    assertThatThrownBy(() -> MycelClient.connect("ftp://x", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

}
