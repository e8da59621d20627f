package io.mycel.node.site;

import io.mycel.node.api.ApiRoutes;

/**
 * The dashboard: a page, its style and script, served at {@code /} from the class path folder
 * {@value #RESOURCES}. It is plain HTML, CSS and JavaScript (no build step, nothing fetched from
 * elsewhere) that reads and drives the node through the same HTTP API as every other client.
 */
public final class Dashboard {
  /** The class path folder of the page. */
  public static final String RESOURCES = "io/mycel/node/dashboard";

  private Dashboard() {}

  /** Serves the dashboard on {@code routes}. */
  public static void register(ApiRoutes routes) {
    routes.staticResources("/", RESOURCES);
  }
}
