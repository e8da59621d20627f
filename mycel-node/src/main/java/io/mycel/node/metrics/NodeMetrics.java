package io.mycel.node.metrics;

import io.mycel.content.bitswap.BitswapStats;
import io.mycel.content.blockstore.Blockstore;
import io.mycel.core.peer.PeerId;
import io.mycel.net.Connection;
import io.mycel.net.host.Traffic;
import io.mycel.node.BlockCache;
import io.mycel.node.Node;
import io.mycel.node.Repo;
import io.mycel.node.Version;
import io.mycel.node.gateway.Gateway;
import io.mycel.node.gateway.GatewayStats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A node's metrics in the Prometheus text exposition format (version 0.0.4), as {@code GET
 * /metrics} serves them: peers, connections and streams, bytes per protocol and in total, the
 * block store, Bitswap, the DHT and the HTTP gateway. Every metric is read from the live counters
 * when rendered, so a scrape costs a walk over the connections and nothing between scrapes.
 * Every metric is described in {@code docs/metrics.md}.
 *
 * @see <a href="https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format">
 *     Text-based exposition format</a>
 */
public final class NodeMetrics {
  /** The content type of {@link #render()}'s text. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();
  private static final String IN = "in";
  private static final String OUT = "out";

  private final Node node;
  private final Repo repo;
  private final Gateway gateway;
  private final BlockCache cache;
  private final Clock clock;
  private final Instant started;

  /**
   * Metrics of {@code node} with its repository {@code repo}, of {@code gateway} when not null,
   * and of the gateway's {@code cache} when not null.
   */
  public NodeMetrics(Node node, Repo repo, Gateway gateway, BlockCache cache) {
    this(node, repo, gateway, cache, Clock.systemUTC());
  }

  /**
   * As {@link #NodeMetrics(Node, Repo, Gateway, BlockCache)}, with the start time and uptime read
   * from {@code clock}.
   */
  public NodeMetrics(Node node, Repo repo, Gateway gateway, BlockCache cache, Clock clock) {
    this.node = Objects.requireNonNull(node, "node");
    this.repo = Objects.requireNonNull(repo, "repo");
    this.gateway = gateway;
    this.cache = cache;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.started = clock.instant();
  }

  /** The metrics as Prometheus text. */
  public String render() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Writes the metrics as Prometheus text to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    WRITER.write(out, snapshots());
  }

  /** The node at a glance, for {@code GET /api/v0/stats}. */
  public NodeStats stats() {
    List<Connection> connections = node.host().connections();
    Map<String, Long> streamsByProtocol = new TreeMap<>();
    for (Map.Entry<String, Traffic.ProtocolTotals> e : node.traffic().byProtocol().entrySet()) {
      if (e.getValue().streamsOpen() > 0) {
        streamsByProtocol.put(e.getKey(), e.getValue().streamsOpen());
      }
    }
    long streams = 0;
    for (Connection c : connections) {
      streams += c.streamCount();
    }
    Traffic.ConnectionTotals tcp = node.traffic().connections();
    Blockstore.BlockstoreStats store = storeStats();
    BitswapStats bitswap = node.bitswap().stats();
    NodeStats.Gateway gatewayStats = null;
    if (gateway != null) {
      GatewayStats g = gateway.stats();
      long errors = g.requestsByStatus().entrySet().stream()
          .filter(e -> e.getKey() >= 500 || e.getKey() == 0)
          .mapToLong(Map.Entry::getValue).sum();
      gatewayStats = new NodeStats.Gateway(g.requests(), errors, g.bodyBytes());
    }
    return new NodeStats(node.peerId().toString(), uptime().toSeconds(),
        new NodeStats.Network(peers(connections), connections.size(), streams, streamsByProtocol,
            node.dht().routingTable().size(), tcp.bytesIn(), tcp.bytesOut()),
        new NodeStats.Repo(store.blocks(), store.bytes(), store.quotaBytes(), repo.pins().size(),
            store.corruptBlocksRemoved()),
        cache == null ? null : new NodeStats.Cache(cache.blocks(), cache.bytes(), cache.quotaBytes()),
        new NodeStats.Bitswap(bitswap.blocksSent(), bitswap.blocksReceived(),
            bitswap.blockBytesSent(), bitswap.blockBytesReceived()),
        gatewayStats);
  }

  /** Time since these metrics were created, with the daemon. */
  public Duration uptime() {
    return Duration.between(started, clock.instant());
  }

  private Blockstore.BlockstoreStats storeStats() {
    try {
      return repo.blocks().stats();
    } catch (IOException e) {
      throw new UncheckedIOException("reading the block store's statistics failed", e);
    }
  }

  private static int peers(List<Connection> connections) {
    Set<PeerId> peers = new HashSet<>();
    connections.forEach(c -> peers.add(c.remotePeer()));
    return peers.size();
  }

  MetricSnapshots snapshots() {
    List<MetricSnapshot> metrics = new ArrayList<>();
    metrics.add(gauge("mycel_info", "The node's version and peer id (always 1).",
        point(Labels.of("version", Version.version(), "peer_id", node.peerId().toString()), 1)));
    metrics.add(gauge("mycel_start_time_seconds", "When the daemon started, in seconds since the "
        + "Unix epoch.", point(Labels.EMPTY, started.toEpochMilli() / 1000.0)));

    List<Connection> connections = node.host().connections();
    metrics.add(gauge("mycel_peers", "Distinct peers with an open connection.",
        point(Labels.EMPTY, peers(connections))));
    metrics.add(gauge("mycel_connections", "Open swarm connections.",
        point(Labels.EMPTY, connections.size())));
    Traffic.ConnectionTotals tcp = node.traffic().connections();
    metrics.add(counter("mycel_connections_opened", "Swarm connections established.", null,
        count(Labels.EMPTY, tcp.connectionsOpened())));
    metrics.add(counter("mycel_network_bytes", "Bytes of every swarm connection on the TCP socket "
            + "(handshakes, encryption and muxer framing included), by direction.", Unit.BYTES,
        count(Labels.of("direction", IN), tcp.bytesIn()),
        count(Labels.of("direction", OUT), tcp.bytesOut())));

    Map<String, Traffic.ProtocolTotals> protocols = node.traffic().byProtocol();
    List<CounterDataPointSnapshot> protocolBytes = new ArrayList<>();
    List<CounterDataPointSnapshot> streamsOpened = new ArrayList<>();
    List<GaugeDataPointSnapshot> streamsOpen = new ArrayList<>();
    protocols.forEach((protocol, totals) -> {
      protocolBytes.add(count(Labels.of("direction", IN, "protocol", protocol), totals.bytesIn()));
      protocolBytes.add(count(Labels.of("direction", OUT, "protocol", protocol), totals.bytesOut()));
      streamsOpened.add(count(Labels.of("protocol", protocol), totals.streamsOpened()));
      streamsOpen.add(point(Labels.of("protocol", protocol), totals.streamsOpen()));
    });
    metrics.add(counter("mycel_protocol_bytes", "Payload bytes of the streams of each negotiated "
            + "protocol, by direction.", Unit.BYTES,
        protocolBytes.toArray(CounterDataPointSnapshot[]::new)));
    metrics.add(counter("mycel_streams_opened", "Streams opened, either side, per protocol.", null,
        streamsOpened.toArray(CounterDataPointSnapshot[]::new)));
    metrics.add(gauge("mycel_streams", "Open streams per protocol.",
        streamsOpen.toArray(GaugeDataPointSnapshot[]::new)));

    Blockstore.BlockstoreStats store = storeStats();
    metrics.add(gauge("mycel_blockstore_blocks", "Blocks in the block store.",
        point(Labels.EMPTY, store.blocks())));
    metrics.add(gauge("mycel_blockstore_size_bytes", "Bytes of the blocks in the block store.",
        point(Labels.EMPTY, store.bytes())));
    metrics.add(gauge("mycel_blockstore_quota_bytes", "The block store's quota; 0 for none.",
        point(Labels.EMPTY, store.quotaBytes())));
    metrics.add(counter("mycel_blockstore_corrupt_blocks_removed",
        "Blocks found damaged on read and removed.", null,
        count(Labels.EMPTY, store.corruptBlocksRemoved())));
    metrics.add(gauge("mycel_pins", "Pinned roots.", point(Labels.EMPTY, repo.pins().size())));

    BitswapStats bitswap = node.bitswap().stats();
    metrics.add(counter("mycel_bitswap_blocks", "Blocks sent and received over Bitswap "
            + "(received counts duplicates).", null,
        count(Labels.of("direction", "received"), bitswap.blocksReceived()),
        count(Labels.of("direction", "sent"), bitswap.blocksSent())));
    metrics.add(counter("mycel_bitswap_block_bytes", "Block bytes sent and received over Bitswap.",
        Unit.BYTES,
        count(Labels.of("direction", "received"), bitswap.blockBytesReceived()),
        count(Labels.of("direction", "sent"), bitswap.blockBytesSent())));
    metrics.add(counter("mycel_bitswap_messages", "Bitswap messages read and written.", null,
        count(Labels.of("direction", "received"), bitswap.messagesReceived()),
        count(Labels.of("direction", "sent"), bitswap.messagesSent())));
    metrics.add(counter("mycel_bitswap_duplicate_blocks",
        "Blocks received that no session waited for any more.", null,
        count(Labels.EMPTY, bitswap.duplicateBlocks())));

    metrics.add(gauge("mycel_dht_routing_table_peers", "Peers in the DHT routing table.",
        point(Labels.EMPTY, node.dht().routingTable().size())));

    if (gateway != null) {
      addGateway(metrics, gateway.stats());
    }
    node.relayService().ifPresent(relay -> addRelay(metrics, relay));
    if (cache != null) {
      metrics.add(gauge("mycel_gateway_cache_blocks", "Unpinned blocks kept as the gateway's cache.",
          point(Labels.EMPTY, cache.blocks())));
      metrics.add(gauge("mycel_gateway_cache_size_bytes", "Bytes of the gateway's cache.",
          point(Labels.EMPTY, cache.bytes())));
      metrics.add(gauge("mycel_gateway_cache_quota_bytes",
          "The most the gateway's cache keeps before evicting; 0 for no limit.",
          point(Labels.EMPTY, cache.quotaBytes())));
      metrics.add(counter("mycel_gateway_cache_evicted_blocks",
          "Blocks evicted from the gateway's cache.", null,
          count(Labels.EMPTY, cache.evictedBlocks())));
      metrics.add(counter("mycel_gateway_cache_evicted_bytes",
          "Bytes evicted from the gateway's cache.", Unit.BYTES,
          count(Labels.EMPTY, cache.evictedBytes())));
    }
    return new MetricSnapshots(metrics);
  }

  /** The hop side's reservations, circuits and meter: bytes relayed in all and per peer. */
  private static void addRelay(List<MetricSnapshot> metrics,
      io.mycel.net.relay.RelayService relay) {
    io.mycel.net.relay.RelayMeter.Snapshot meter = relay.meter();
    metrics.add(gauge("mycel_relay_reservations", "Relay reservations held by peers on this node.",
        point(Labels.EMPTY, relay.reservationCount())));
    metrics.add(gauge("mycel_relay_circuits", "Relayed circuits open through this node.",
        point(Labels.EMPTY, relay.circuitCount())));
    metrics.add(counter("mycel_relay_bytes", "Bytes relayed through this node, both directions "
        + "of every circuit.", Unit.BYTES, count(Labels.EMPTY, meter.totalBytes())));
    List<CounterDataPointSnapshot> perPeer = new ArrayList<>();
    for (io.mycel.net.relay.RelayMeter.PeerUsage usage : meter.peers()) {
      String peer = usage.peer().toString();
      perPeer.add(count(Labels.of("peer", peer, "direction", "from_peer"), usage.bytesFromPeer()));
      perPeer.add(count(Labels.of("peer", peer, "direction", "to_peer"), usage.bytesToPeer()));
    }
    metrics.add(counter("mycel_relay_peer_bytes", "Bytes relayed per peer: from it (it was the "
        + "sender) and to it.", Unit.BYTES, perPeer.toArray(CounterDataPointSnapshot[]::new)));
  }

  private static void addGateway(List<MetricSnapshot> metrics, GatewayStats stats) {
    List<CounterDataPointSnapshot> byStatus = new ArrayList<>();
    stats.requestsByStatus().forEach((status, count) ->
        byStatus.add(count(Labels.of("code", Integer.toString(status)), count)));
    metrics.add(counter("mycel_gateway_requests", "HTTP gateway requests answered, by status "
            + "code (0: no response could be sent).", null,
        byStatus.toArray(CounterDataPointSnapshot[]::new)));
    metrics.add(counter("mycel_gateway_response_body_bytes", "Response body bytes the HTTP gateway sent.",
        Unit.BYTES, count(Labels.EMPTY, stats.bodyBytes())));
    GatewayStats.Latency latency = stats.latency();
    List<Long> perBucket = new ArrayList<>(latency.cumulativeCounts().size());
    long previous = 0;
    for (long cumulative : latency.cumulativeCounts()) {
      perBucket.add(cumulative - previous);
      previous = cumulative;
    }
    metrics.add(HistogramSnapshot.builder()
        .name("mycel_gateway_request_duration_seconds")
        .unit(Unit.SECONDS)
        .help("Time from a gateway request's arrival until its response was handed to the "
            + "connection.")
        .dataPoint(HistogramDataPointSnapshot.builder()
            .classicHistogramBuckets(
                ClassicHistogramBuckets.of(latency.upperBoundsSeconds(), perBucket))
            .sum(latency.sumSeconds())
            .build())
        .build());
  }

  private static GaugeSnapshot gauge(String name, String help, GaugeDataPointSnapshot... points) {
    GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
    for (GaugeDataPointSnapshot point : points) {
      builder.dataPoint(point);
    }
    return builder.build();
  }

  private static CounterSnapshot counter(String name, String help, Unit unit,
      CounterDataPointSnapshot... points) {
    CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
    if (unit != null) {
      builder.unit(unit);
    }
    for (CounterDataPointSnapshot point : points) {
      builder.dataPoint(point);
    }
    return builder.build();
  }

  private static GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  private static CounterDataPointSnapshot count(Labels labels, long value) {
    return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
  }
}
