package io.mycel.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.UnixfsImporter;
import io.mycel.core.cid.Cid;
import io.mycel.net.Connection;
import io.mycel.net.ping.PingService;
import io.mycel.node.Devnet;
import io.mycel.node.Version;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real nodes on loopback (a devnet of two daemons): their metrics are valid Prometheus text,
 * and the counters move with real ping, Bitswap and gateway traffic between them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeMetricsTest {
  private static final String PING = PingService.ID;

  private Devnet devnet;
  private Devnet.Member first;
  private Devnet.Member second;
  private Connection secondToFirst;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    devnet = Devnet.start(dir, 2);
    first = devnet.node(1);
    second = devnet.node(2);
    await(() -> !second.node().host().connections(first.peerId()).isEmpty(),
        "node 2 is connected to node 1");
    secondToFirst = second.node().host().connections(first.peerId()).get(0);
  }

  @AfterAll
  void stop() throws IOException {
    devnet.close();
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static Map<String, Double> scrape(Devnet.Member member) {
    return PrometheusText.parse(member.daemon().metrics().render());
  }

  private static double value(Map<String, Double> samples, String key) {
    assertThat(samples).as("samples").containsKey(key);
    return samples.get(key);
  }

  private static String protocolBytes(String direction, String protocol) {
    return "mycel_protocol_bytes_total{direction=\"" + direction + "\",protocol=\"" + protocol + "\"}";
  }

  @Test
  void everyLineIsValidExpositionFormat() {
    String text = first.daemon().metrics().render();

    Map<String, Double> samples = PrometheusText.parse(text);

    assertThat(samples).containsKeys("mycel_peers", "mycel_connections",
        "mycel_network_bytes_total{direction=\"in\"}", "mycel_network_bytes_total{direction=\"out\"}",
        "mycel_blockstore_blocks", "mycel_blockstore_size_bytes", "mycel_blockstore_quota_bytes",
        "mycel_pins", "mycel_start_time_seconds", "mycel_bitswap_blocks_total{direction=\"sent\"}",
        "mycel_dht_routing_table_peers", "mycel_gateway_request_duration_seconds_count",
        "mycel_gateway_cache_size_bytes", "mycel_gateway_cache_evicted_blocks_total");
    assertThat(value(samples, "mycel_info{peer_id=\"" + first.peerId() + "\",version=\""
        + Version.version() + "\"}")).isEqualTo(1);
  }

  @Test
  void pingBytesAreCountedPerProtocolOnBothNodes() throws Exception {
    Map<String, Double> before = scrape(second);
    double sentBefore = before.getOrDefault(protocolBytes("out", PING), 0.0);
    double networkBefore = value(before, "mycel_network_bytes_total{direction=\"out\"}");

    PingService.ping(secondToFirst).get(10, TimeUnit.SECONDS);

    Map<String, Double> after = scrape(second);
    assertThat(value(after, protocolBytes("out", PING)) - sentBefore)
        .isEqualTo(PingService.PAYLOAD_SIZE);
    assertThat(value(after, protocolBytes("in", PING))).isGreaterThanOrEqualTo(PingService.PAYLOAD_SIZE);
    assertThat(value(after, "mycel_network_bytes_total{direction=\"out\"}") - networkBefore)
        .isGreaterThan(PingService.PAYLOAD_SIZE);
    assertThat(value(after, "mycel_streams_opened_total{protocol=\"" + PING + "\"}")).isPositive();
    await(() -> scrape(first).getOrDefault(protocolBytes("in", PING), 0.0) >= PingService.PAYLOAD_SIZE,
        "node 1 counts the ping it answered");
    assertThat(value(scrape(first), protocolBytes("out", PING))).isGreaterThanOrEqualTo(PingService.PAYLOAD_SIZE);
  }

  @Test
  void bitswapAndGatewayCountersMoveWhenANodeServesContentItFetched() throws Exception {
    byte[] content = new byte[1_500_000];
    new Random(1).nextBytes(content);
    Cid cid = new UnixfsImporter(first.repo().blocks(), ImportOptions.defaults())
        .importBytes(content).cid();
    Map<String, Double> firstBefore = scrape(first);
    Map<String, Double> secondBefore = scrape(second);

    HttpResponse<byte[]> response;
    try (HttpClient client = HttpClient.newHttpClient()) {
      response = client.send(HttpRequest.newBuilder(URI.create(second.gatewayUrl() + "/ipfs/" + cid))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(content);

    Map<String, Double> secondAfter = scrape(second);
    double received = value(secondAfter, "mycel_bitswap_blocks_total{direction=\"received\"}")
        - secondBefore.get("mycel_bitswap_blocks_total{direction=\"received\"}");
    assertThat(received).isGreaterThanOrEqualTo(2);
    assertThat(value(secondAfter, "mycel_bitswap_block_bytes_total{direction=\"received\"}")
        - secondBefore.get("mycel_bitswap_block_bytes_total{direction=\"received\"}"))
        .isGreaterThanOrEqualTo(content.length);
    assertThat(value(secondAfter, "mycel_blockstore_blocks")
        - secondBefore.get("mycel_blockstore_blocks")).isEqualTo(received);
    assertThat(value(secondAfter, "mycel_gateway_cache_blocks")
        - secondBefore.get("mycel_gateway_cache_blocks")).isEqualTo(received);
    assertThat(bitswapBytes(secondAfter, "in") - bitswapBytes(secondBefore, "in"))
        .isGreaterThan(content.length);
    assertThat(value(secondAfter, "mycel_gateway_requests_total{code=\"200\"}")
        - secondBefore.getOrDefault("mycel_gateway_requests_total{code=\"200\"}", 0.0)).isEqualTo(1);
    assertThat(value(secondAfter, "mycel_gateway_request_duration_seconds_count")
        - secondBefore.get("mycel_gateway_request_duration_seconds_count")).isEqualTo(1);
    assertThat(value(secondAfter, "mycel_gateway_request_duration_seconds_bucket{le=\"+Inf\"}"))
        .isEqualTo(value(secondAfter, "mycel_gateway_request_duration_seconds_count"));
    assertThat(value(secondAfter, "mycel_gateway_response_body_bytes_total")
        - secondBefore.get("mycel_gateway_response_body_bytes_total")).isEqualTo(content.length);

    await(() -> scrape(first).get("mycel_bitswap_blocks_total{direction=\"sent\"}")
            - firstBefore.get("mycel_bitswap_blocks_total{direction=\"sent\"}") >= received,
        "node 1 counts the blocks it sent");
    assertThat(bitswapBytes(scrape(first), "out") - bitswapBytes(firstBefore, "out"))
        .isGreaterThan(content.length);
  }

  /** Stream bytes of every Bitswap protocol version in one direction. */
  private static double bitswapBytes(Map<String, Double> samples, String direction) {
    return samples.entrySet().stream()
        .filter(e -> e.getKey().startsWith("mycel_protocol_bytes_total{direction=\"" + direction
            + "\",protocol=\"/ipfs/bitswap"))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static JsonNode getJson(String url) throws Exception {
    HttpResponse<String> response = get(url);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return new ObjectMapper().readTree(response.body());
  }

  @Test
  void theApiServesTheMetricsAsPrometheusText() throws Exception {
    HttpResponse<String> response = get(first.apiUrl() + "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(PrometheusText.parse(response.body())).containsKey("mycel_peers");
  }

  @Test
  void statsAnswerTheDocumentedJson() throws Exception {
    JsonNode json = getJson(second.apiUrl() + "/api/v0/stats");

    assertThat(json.fieldNames()).toIterable().containsExactly("peerId", "uptimeSeconds",
        "network", "repo", "cache", "bitswap", "gateway");
    assertThat(json.get("peerId").asText()).isEqualTo(second.peerId().toString());
    assertThat(json.get("uptimeSeconds").asLong()).isNotNegative();
    JsonNode network = json.get("network");
    assertThat(network.fieldNames()).toIterable().containsExactly("peers", "connections",
        "streams", "streamsByProtocol", "dhtPeers", "bytesIn", "bytesOut");
    assertThat(network.get("peers").asInt()).isEqualTo(1);
    assertThat(network.get("connections").asInt()).isEqualTo(1);
    assertThat(network.get("dhtPeers").asInt()).isEqualTo(1);
    assertThat(network.get("streams").isNumber()).isTrue();
    assertThat(network.get("streamsByProtocol").isObject()).isTrue();
    assertThat(network.get("bytesIn").asLong()).isPositive();
    assertThat(json.get("repo").fieldNames()).toIterable()
        .containsExactly("blocks", "bytes", "quotaBytes", "pins", "corruptBlocksRemoved");
    assertThat(json.get("repo").get("quotaBytes").asLong())
        .isEqualTo(second.repo().blocks().stats().quotaBytes());
    assertThat(json.get("cache").fieldNames()).toIterable()
        .containsExactly("blocks", "bytes", "quotaBytes");
    assertThat(json.get("bitswap").fieldNames()).toIterable()
        .containsExactly("blocksSent", "blocksReceived", "bytesSent", "bytesReceived");
    assertThat(json.get("gateway").fieldNames()).toIterable()
        .containsExactly("requests", "errors", "bodyBytes");
  }

  @Test
  void bandwidthAnswersTheDocumentedJson() throws Exception {
    JsonNode json = getJson(first.apiUrl() + "/api/v0/stats/bandwidth");

    assertThat(json.fieldNames()).toIterable().containsExactly("now", "totalBytesIn",
        "totalBytesOut", "resolutionSeconds", "windowSeconds", "series");
    assertThat(json.get("now").fieldNames()).toIterable()
        .containsExactly("bytesInPerSecond", "bytesOutPerSecond");
    assertThat(json.get("totalBytesIn").asLong()).isPositive();
    assertThat(json.get("resolutionSeconds").asLong()).isEqualTo(10);
    assertThat(json.get("windowSeconds").asLong()).isEqualTo(3600);
    assertThat(json.get("series").isArray()).isTrue();
  }
}
