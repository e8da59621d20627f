package io.mycel.node.metrics;

import io.mycel.node.Daemon;
import io.mycel.node.api.ApiResponse;
import io.mycel.node.api.ApiRoutes;
import io.mycel.node.api.ApiServer;

/**
 * The metrics routes of a daemon's HTTP API, documented in {@code docs/api/openapi.yaml} and
 * {@code docs/metrics.md}:
 * <ul>
 *   <li>{@code GET /metrics}: every metric in the Prometheus text format, for a scraper;</li>
 *   <li>{@code GET /api/v0/stats}: the node at a glance ({@link NodeStats}) as JSON;</li>
 *   <li>{@code GET /api/v0/stats/bandwidth}: the rate now and the last hour
 *       ({@link BandwidthHistory}) as JSON.</li>
 * </ul>
 */
public final class MetricsApi {
  /** Where Prometheus scrapes, by its convention. */
  public static final String METRICS_PATH = "/metrics";
  public static final String STATS_PATH = ApiServer.PREFIX + "stats";
  public static final String BANDWIDTH_PATH = ApiServer.PREFIX + "stats/bandwidth";

  private MetricsApi() {}

  /** Registers the metrics routes of {@code daemon} on {@code routes}. */
  public static void register(ApiRoutes routes, Daemon daemon) {
    routes.add("GET", METRICS_PATH, request ->
        ApiResponse.text(NodeMetrics.CONTENT_TYPE, daemon.metrics().render())
            .header("Cache-Control", "no-store"));
    routes.add("GET", STATS_PATH, request ->
        ApiResponse.json(daemon.metrics().stats()).header("Cache-Control", "no-store"));
    routes.add("GET", BANDWIDTH_PATH, request ->
        ApiResponse.json(daemon.bandwidth().history()).header("Cache-Control", "no-store"));
  }
}
