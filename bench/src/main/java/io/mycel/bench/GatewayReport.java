package io.mycel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints the gateway figures of {@link GatewayBench} as Markdown, with the goals, and copies the
 * raw JSON to the results file.
 *
 * <p>Usage: {@code GatewayReport <results.json> <gateway.json>}.
 */
public final class GatewayReport {
  /** Goal: the gateway's requests/s for a cached 4 KiB file, as a share of nginx's. */
  static final double GOAL_SMALL = 0.50;
  /** Goal: the gateway's bytes/s for a 1 MiB file, as a share of nginx's. */
  static final double GOAL_LARGE = 0.80;

  public static void main(String[] args) throws Exception {
    JsonNode r = new ObjectMapper().readTree(Path.of(args[1]).toFile());
    Files.writeString(Path.of(args[0]), r.toPrettyString() + "\n");
    JsonNode http = r.get("http");
    StringBuilder out = new StringBuilder();
    out.append("| figure | Mycel gateway | nginx | Mycel / nginx | goal |\n");
    out.append("|---|---|---|---|---|\n");
    double smallMycel = http.at("/mycel-4KiB/requestsPerSecond").asDouble();
    double smallNginx = http.at("/nginx-4KiB/requestsPerSecond").asDouble();
    out.append(row("cached 4 KiB file, requests/s", smallMycel, smallNginx, GOAL_SMALL, "%.0f"));
    double largeMycel = http.at("/mycel-1MiB/bytesPerSecond").asDouble() / (1024 * 1024);
    double largeNginx = http.at("/nginx-1MiB/bytesPerSecond").asDouble() / (1024 * 1024);
    out.append(row("1 MiB file, MiB/s", largeMycel, largeNginx, GOAL_LARGE, "%.0f"));
    out.append(String.format(Locale.ROOT, "\n%s, median of %d rounds; %s; %d cores.%n%n",
        http.get("wrk").asText(), http.get("rounds").asInt(), http.get("nginx").asText(),
        r.get("cores").asInt()));
    JsonNode site = r.get("site");
    out.append(String.format(Locale.ROOT, "Site of %d files, %.1f MiB, opened through a gateway"
        + " node that has none of it (median of the runs):%n%n", site.get("files").asInt(),
        site.get("bytes").asDouble() / (1024 * 1024)));
    out.append("| fetched from | time to first byte, ms | full load, ms |\n|---|---|---|\n");
    out.append(String.format(Locale.ROOT, "| 1 publisher | %.0f | %.0f |%n",
        site.at("/fromPublisher/firstByteMs").asDouble(),
        site.at("/fromPublisher/fullLoadMs").asDouble()));
    out.append(String.format(Locale.ROOT, "| 3 caching nodes (publisher gone) | %.0f | %.0f |%n",
        site.at("/fromThreeCachingNodes/firstByteMs").asDouble(),
        site.at("/fromThreeCachingNodes/fullLoadMs").asDouble()));
    JsonNode daemon = r.get("daemon");
    out.append(String.format(Locale.ROOT, "%nDaemon start to ready: %.0f ms; idle resident"
        + " memory: %.1f MiB (median of the runs).%n", daemon.get("startToReadyMs").asDouble(),
        daemon.get("idleRssMiB").asDouble()));
    System.out.print(out);
  }

  private static String row(String figure, double mycel, double nginx, double goal,
      String format) {
    double ratio = mycel / nginx;
    return String.format(Locale.ROOT,
        "| %s | " + format + " | " + format + " | %.2f | ≥ %.2f: %s |%n",
        figure, mycel, nginx, ratio, goal, ratio >= goal ? "met" : "not met");
  }
}
