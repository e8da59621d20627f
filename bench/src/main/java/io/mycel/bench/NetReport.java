package io.mycel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;

/**
 * Joins the figures of one {@code bench/run}: prints the Markdown table for
 * docs/benchmarks.md, with each Mycel figure's ratio to js-libp2p and to raw loopback TCP,
 * and writes them together as one JSON file.
 *
 * <p>Usage: {@code NetReport JAVA.json JS.json MEMORY.json OUT.json}
 */
public final class NetReport {
  public static void main(String[] args) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    JsonNode java = mapper.readTree(new File(args[0]));
    JsonNode js = mapper.readTree(new File(args[1]));
    JsonNode memory = mapper.readTree(new File(args[2]));
    ObjectNode all = mapper.createObjectNode();
    all.set("mycel", java);
    all.set("jsLibp2p", js);
    all.set("memory", memory);
    mapper.writeValue(new File(args[3]), all);

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

  private static void row(StringBuilder out, String name, JsonNode java, JsonNode js, String key, double raw) {
    double mine = java.get(key).asDouble();
    double theirs = js.path(key).asDouble(Double.NaN);
    out.append(String.format("| %s | %.0f | %.0f | %.2f× | %s |%n", name, mine, theirs, mine / theirs,
        raw > 0 ? String.format("%.2f", mine / raw) : ""));
  }
}
