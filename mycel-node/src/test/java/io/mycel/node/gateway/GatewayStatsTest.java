package io.mycel.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.UnixfsImporter;
import io.mycel.core.cid.Cid;
import io.mycel.core.multicodec.Multicodec;
import io.mycel.core.multihash.Multihash;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway's request counters and latency histogram. */
class GatewayStatsTest {

  @Test
  void eachDurationFallsInTheFirstBucketWhoseBoundHoldsIt() {
    GatewayStats stats = new GatewayStats();

    stats.record(200, 10, Duration.ofNanos(1_000_000));
    stats.record(200, 10, Duration.ofNanos(1_000_001));
    stats.record(404, 5, Duration.ofSeconds(31));

    GatewayStats.Latency latency = stats.latency();
    assertThat(latency.upperBoundsSeconds()).hasSize(GatewayStats.LATENCY_BUCKETS_SECONDS.size() + 1)
        .endsWith(Double.POSITIVE_INFINITY);
    assertThat(latency.cumulativeCounts().get(0)).isEqualTo(1);
    assertThat(latency.cumulativeCounts().get(1)).isEqualTo(2);
    assertThat(latency.cumulativeCounts().get(latency.cumulativeCounts().size() - 2)).isEqualTo(2);
    assertThat(latency.cumulativeCounts().getLast()).isEqualTo(3);
    assertThat(latency.count()).isEqualTo(3);
    assertThat(latency.sumSeconds()).isCloseTo(31.002, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(stats.requestsByStatus()).isEqualTo(Map.of(200, 2L, 404, 1L));
    assertThat(stats.requests()).isEqualTo(3);
    assertThat(stats.bodyBytes()).isEqualTo(25);
  }

  @Test
  void aNegativeDurationCountsAsZero() {
    GatewayStats stats = new GatewayStats();

    stats.record(200, -1, Duration.ofMillis(-5));

    assertThat(stats.latency().cumulativeCounts().get(0)).isEqualTo(1);
    assertThat(stats.latency().sumSeconds()).isZero();
    assertThat(stats.bodyBytes()).isZero();
  }

  @Test
  void aLatencyNeedsOneCountPerBucket() {
    assertThatThrownBy(() -> new GatewayStats.Latency(List.of(1.0, 2.0), List.of(1L), 1, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one count per bucket");
  }

  @Test
  void servedMissingAndMalformedRequestsAreCountedByStatus() throws Exception {
    MemoryBlockstore store = new MemoryBlockstore();
    byte[] content = "counted\n".getBytes(StandardCharsets.UTF_8);
    Cid cid = new UnixfsImporter(store, ImportOptions.defaults()).importBytes(content).cid();
    Cid missing = Cid.v1(Multicodec.RAW, Multihash.sha2_256("absent".getBytes(StandardCharsets.UTF_8)));
    try (Gateway gateway = new Gateway(store, GatewayOptions.defaults())) {
      InetSocketAddress at = gateway.start(new InetSocketAddress("127.0.0.1", 0));

      assertThat(RawHttp.get(at, "127.0.0.1", "/ipfs/" + cid).status()).isEqualTo(200);
      assertThat(RawHttp.get(at, "127.0.0.1", "/ipfs/" + missing).status()).isEqualTo(404);
      String tooLong = "/ipfs/" + cid + "/" + "a".repeat(GatewayOptions.defaults().maxUrlBytes() + 10);
      assertThat(RawHttp.get(at, "127.0.0.1", tooLong).status()).isEqualTo(414);

      GatewayStats stats = gateway.stats();
      assertThat(stats.requestsByStatus()).isEqualTo(Map.of(200, 1L, 404, 1L, 414, 1L));
      assertThat(stats.latency().count()).isEqualTo(3);
      assertThat(stats.bodyBytes()).isGreaterThan(content.length);
    }
  }
}
