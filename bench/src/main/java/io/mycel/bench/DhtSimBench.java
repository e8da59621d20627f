package io.mycel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mycel.routing.kad.KadConfig;
import io.mycel.testkit.sim.DhtSimulation;
import io.mycel.testkit.sim.DhtSimulation.Report;
import io.mycel.testkit.sim.DhtSimulation.Summary;
import io.mycel.testkit.sim.SimConfig;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kademlia DHT at scale, simulated: for each network size, N nodes with links of 20-200 ms
 * join, provide keys, and run FIND_NODE and GET_PROVIDERS lookups on the settled network and
 * while 20% of the nodes leave. Prints a Markdown table and writes the figures as JSON.
 *
 * <p>Usage: {@code DhtSimBench --out FILE.json [--nodes 1000,10000] [--lookups 500]
 * [--concurrency 50] [--content 100] [--join-concurrency 1000] [--time-scale 1] [--churn 0.2]
 * [--seed 1] [--min-latency-ms 20] [--max-latency-ms 200] [--loss 0]
 * [--handshake-round-trips 2] [--query-timeout-ms 10000] [--alpha 10]}
 */
public final class DhtSimBench {

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = List.of(1000, 10_000);
    String out = null;
    int lookups = 500;
    int concurrency = 50;
    int content = 100;
    int joinConcurrency = 1000;
    double timeScale = 1;
    double churn = 0.2;
    long seed = 1;
    long minMs = 20;
    long maxMs = 200;
    double loss = 0;
    int handshakeRoundTrips = SimConfig.DEFAULT_HANDSHAKE_ROUND_TRIPS;
    KadConfig kad = KadConfig.DEFAULT;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      String v = args[i + 1];
      switch (args[i]) {
        case "--out" -> out = v;
        case "--nodes" -> {
          List<Integer> list = new ArrayList<>();
          for (String s : v.split(",")) {
            list.add(Integer.parseInt(s.trim()));
          }
          sizes = List.copyOf(list);
        }
        case "--lookups" -> lookups = Integer.parseInt(v);
        case "--concurrency" -> concurrency = Integer.parseInt(v);
        case "--content" -> content = Integer.parseInt(v);
        case "--join-concurrency" -> joinConcurrency = Integer.parseInt(v);
        case "--time-scale" -> timeScale = Double.parseDouble(v);
        case "--churn" -> churn = Double.parseDouble(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--min-latency-ms" -> minMs = Long.parseLong(v);
        case "--max-latency-ms" -> maxMs = Long.parseLong(v);
        case "--loss" -> loss = Double.parseDouble(v);
        case "--handshake-round-trips" -> handshakeRoundTrips = Integer.parseInt(v);
        case "--query-timeout-ms" ->
            kad = kad.withQueryTimeout(Duration.ofMillis(Long.parseLong(v)));
        case "--alpha" -> kad = kad.withAlpha(Integer.parseInt(v));
        case "--lookup-peer-timeout-ms" ->
            kad = kad.withLookupPeerTimeout(Duration.ofMillis(Long.parseLong(v)));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (out == null) {
      throw new IllegalArgumentException("--out FILE.json is required");
    }
    SimConfig network = new SimConfig(seed, Duration.ofMillis(minMs), Duration.ofMillis(maxMs),
        SimConfig.LatencyModel.PER_PAIR, loss, SimConfig.DEFAULT_MIN_RETRANSMIT_TIMEOUT,
        handshakeRoundTrips, SimConfig.DEFAULT_UNREACHABLE_DIAL_TIMEOUT);

    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode all = mapper.createObjectNode();
    all.put("minLatencyMs", minMs);
    all.put("maxLatencyMs", maxMs);
    all.put("lossRate", loss);
    all.put("seed", seed);
    all.put("k", kad.k());
    all.put("alpha", kad.alpha());
    all.put("queryTimeoutMs", kad.queryTimeout().toMillis());
    all.put("lookupPeerTimeoutMs", kad.lookupPeerTimeout().toMillis());
    all.put("handshakeRoundTrips", network.handshakeRoundTrips());
    all.put("unreachableDialTimeoutMs", network.unreachableDialTimeout().toMillis());
    all.put("processors", Runtime.getRuntime().availableProcessors());
    all.put("timeScale", timeScale);
    ArrayNode runs = all.putArray("runs");
    StringBuilder table = new StringBuilder();
    table.append("| N | churn | lookup | success | hops median | hops p99 | latency median |"
        + " latency p99 | answer median | answer p99 |\n");
    table.append("|---|---|---|---|---|---|---|---|---|---|\n");
    StringBuilder notes = new StringBuilder();
    for (int n : sizes) {
      DhtSimulation.Params params = DhtSimulation.Params.of(n)
          .withNetwork(network)
          .withKad(kad)
          .withContent(content, joinConcurrency)
          .withLookups(lookups, concurrency)
          .withChurn(churn)
          .withTimeScale(timeScale);
      long start = System.nanoTime();
      Report report =
          DhtSimulation.run(params, line -> System.err.println("dht-sim N=" + n + ": " + line));
      double seconds = (System.nanoTime() - start) / 1e9;
      ObjectNode run = runs.addObject();
      run.put("nodes", n);
      run.put("churnFraction", churn);
      run.put("lookupsPerKindAndPhase", lookups);
      run.put("lookupConcurrency", concurrency);
      run.put("contentKeys", content);
      run.put("wallSeconds", seconds);
      run.put("joinSeconds", report.joinSeconds());
      run.put("meanRoutingTableSize", report.meanTableSize());
      run.put("minRoutingTableSize", report.minTableSize());
      run.put("providerRecordsPerKey", report.providerReplicas());
      run.put("departed", report.departed());
      run.put("chunksSent", report.chunksSent());
      run.put("dials", report.dials());
      run.set("schedulerLateness", mapper.valueToTree(report.lateness()));
      run.put("log2N", Math.log(n) / Math.log(2));
      run.set("summaries", mapper.valueToTree(report.summaries()));
      for (Summary s : report.summaries()) {
        table.append(String.format("| %,d | %s | %s | %.1f%% | %.0f | %d | %.0f ms | %.0f ms |"
                + " %.0f ms | %.0f ms |%n",
            n, s.churn() ? (int) Math.round(churn * 100) + "% leave" : "none", s.kind(),
            100 * s.successRate(), s.medianHops(), s.p99Hops(), s.medianLatencyMs(),
            s.p99LatencyMs(), s.medianAnswerMs(), s.p99AnswerMs()));
      }
      notes.append(String.format("N=%,d: joined in %.0f s, routing tables %.0f peers on average"
              + " (smallest %d), %.1f provider records per key, whole run %.0f s;"
              + " deliveries late by %.1f ms on average, %.2f%% by more than 50 ms.%n",
          n, report.joinSeconds(), report.meanTableSize(), report.minTableSize(),
          report.providerReplicas(), seconds, report.lateness().meanMs(),
          100 * report.lateness().over50msFraction()));
    }
    mapper.writeValue(new File(out), all);
    System.out.print(table);
    System.out.println();
    System.out.print(notes);
  }
}
