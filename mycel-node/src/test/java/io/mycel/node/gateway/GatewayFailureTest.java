package io.mycel.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.dagpb.DagPbLinkDecoder;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.UnixfsImporter;
import io.mycel.core.cid.Cid;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Broken content, clients that go away, concurrency and lifecycle. */
class GatewayFailureTest {
  private MemoryBlockstore store;
  private Gateway gateway;
  private HttpClient client;
  private String base;
  private byte[] big;
  private Cid bigCid;

  @BeforeEach
  void start() throws Exception {
    store = new MemoryBlockstore();
    big = new byte[3 * 1024 * 1024];
    new Random(7).nextBytes(big);
    bigCid = new UnixfsImporter(store, ImportOptions.defaults()).importBytes(big).cid();
    gateway = new Gateway(store, GatewayOptions.defaults());
    base = "http://127.0.0.1:" + gateway.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    gateway.close();
    client.close();
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void aBlockMissingMidFileCutsTheConnectionInsteadOfServingAWrongBody() throws Exception {
    List<Cid> leaves = new DagPbLinkDecoder().links(bigCid, store.get(bigCid).orElseThrow());
    assertThat(leaves.size()).isGreaterThan(2);
    store.delete(leaves.get(leaves.size() - 1).multihash());

    assertThatThrownBy(() -> get("/ipfs/" + bigCid)).isInstanceOf(IOException.class);
    // the gateway itself is fine afterwards, and a range before the hole is still served
    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + "/ipfs/"
        + bigCid)).header("Range", "bytes=0-99").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.body()).hasSize(100);
  }

  @Test
  void aMissingBlockMidCarCutsTheConnection() throws Exception {
    List<Cid> leaves = new DagPbLinkDecoder().links(bigCid, store.get(bigCid).orElseThrow());
    store.delete(leaves.get(leaves.size() - 1).multihash());
    assertThatThrownBy(() -> get("/ipfs/" + bigCid + "?format=car"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aClientThatHangsUpMidBodyLeavesTheGatewayServing() throws Exception {
    InetSocketAddress at = gateway.address();
    try (Socket socket = new Socket(at.getAddress(), at.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /ipfs/" + bigCid + " HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII))
          .isEqualTo("HTTP/1.1 200");
    }
    HttpResponse<byte[]> r = get("/ipfs/" + bigCid);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(big);
  }

  @Test
  void concurrentDownloadsAreEachComplete() throws Exception {
    List<CompletableFuture<HttpResponse<byte[]>>> downloads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      downloads.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/ipfs/" + bigCid))
          .build(), HttpResponse.BodyHandlers.ofByteArray()));
    }
    for (CompletableFuture<HttpResponse<byte[]>> d : downloads) {
      HttpResponse<byte[]> r = d.get(30, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(big);
    }
  }

  @Test
  void aSharedEventLoopGroupIsLeftRunningOnClose() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Gateway shared = new Gateway(store, GatewayOptions.defaults(), group);
      int port = shared.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
      HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/ipfs/" + bigCid + "?format=raw")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      shared.close();
      assertThat(group.isShuttingDown()).isFalse();
      assertThatThrownBy(() -> shared.start(new InetSocketAddress("127.0.0.1", 0)))
          .isInstanceOf(IllegalStateException.class);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void startingTwiceIsRefused() {
    assertThatThrownBy(() -> gateway.start(new InetSocketAddress("127.0.0.1", 0)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void listeningOnABusyPortFailsNamingTheAddress() {
    Gateway second = new Gateway(store, GatewayOptions.defaults());
    try {
      assertThatThrownBy(() -> second.start(gateway.address()))
          .isInstanceOf(IOException.class).hasMessageContaining("cannot listen on");
    } finally {
      second.close();
    }
  }
}
