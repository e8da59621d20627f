package io.mycel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Joins the figures of one {@code bench/run}: prints the Markdown table for
 * docs/benchmarks.md, with each Mycel figure's ratio to js-libp2p and to raw loopback TCP,
 * and writes them together as one JSON file.
 *
 * <p>Usage: {@code NetReport OUT.json JAVA.json MEMORY.json JS-RUN.json...}; the js-libp2p
 * figures are the median of its runs.
 */
public final class NetReport {
  public static void main(String[] args) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    JsonNode java = mapper.readTree(new File(args[1]));
    JsonNode memory = mapper.readTree(new File(args[2]));
    List<JsonNode> jsRuns = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      jsRuns.add(mapper.readTree(new File(args[i])));
    }
    ObjectNode js = mapper.createObjectNode();
    js.put("libp2pVersion", jsRuns.get(0).path("libp2pVersion").asText());
    for (String key : List.of("handshakesPerSec", "handshakesPerSecConcurrent4", "oneStreamMiBps",
        "sixteenStreamsMiBps")) {
      js.put(key, median(jsRuns.stream().mapToDouble(r -> r.path(key).asDouble()).toArray()));
    }
    ObjectNode all = mapper.createObjectNode();
    all.set("mycel", java);
    all.set("jsLibp2p", js);
    all.set("jsLibp2pRuns", mapper.valueToTree(jsRuns));
    all.set("memory", memory);
    mapper.writeValue(new File(args[0]), all);

    double raw = java.get("rawLoopbackMiBps").asDouble();
    StringBuilder out = new StringBuilder();
    out.append("| figure | Mycel (Java↔Java) | js-libp2p (js↔js) | Mycel / js-libp2p | Mycel / raw TCP |\n");
    out.append("|---|---|---|---|---|\n");
    row(out, "Noise handshakes/s, sequential", java, js, "handshakesPerSec", 0);
    row(out, "Noise handshakes/s, 4 in flight", java, js, "handshakesPerSecConcurrent4", 0);
    row(out, "one Yamux stream, MiB/s", java, js, "oneStreamMiBps", raw);
    row(out, "16 parallel streams, MiB/s", java, js, "sixteenStreamsMiBps", raw);
    out.append(String.format("| raw loopback TCP copy (floor), MiB/s | %.0f | | | 1.00 |%n", raw));
    out.append('\n');
    out.append(String.format("Daemon resident memory: %.0f MiB idle, %.0f MiB with %d connections (%.1f KiB each).%n",
        memory.get("idleRssMiB").asDouble(), memory.get("rssWithConnectionsMiB").asDouble(),
        memory.get("connections").asLong(), memory.get("kibPerConnection").asDouble()));
    System.out.print(out);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void row(StringBuilder out, String name, JsonNode java, JsonNode js, String key, double raw) {
    double mine = java.get(key).asDouble();
    double theirs = js.path(key).asDouble(Double.NaN);
    out.append(String.format("| %s | %.0f | %.0f | %.2f× | %s |%n", name, mine, theirs, mine / theirs,
        raw > 0 ? String.format("%.2f", mine / raw) : ""));
  }
}
