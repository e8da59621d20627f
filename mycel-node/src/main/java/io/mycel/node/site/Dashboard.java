package io.mycel.node.site;

import io.mycel.content.blockstore.Blockstore;
import io.mycel.content.pin.Pin;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.ImportProgress;
import io.mycel.content.unixfs.ImportResult;
import io.mycel.node.Daemon;
import io.mycel.node.api.ApiException;
import io.mycel.node.api.ApiRequest;
import io.mycel.node.api.ApiResponse;
import io.mycel.node.api.ApiRoutes;
import io.mycel.node.api.ApiServer;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard: the page, its style and script served at {@code /} from the class path folder
 * {@value #RESOURCES}, and the few reads and the file upload it needs that the API does not
 * offer itself (each registered only when absent, so the API's own route wins).
 */
public final class Dashboard {
  /** The class path folder of the page. */
  public static final String RESOURCES = "io/mycel/node/dashboard";

  private final Daemon daemon;

  private Dashboard(Daemon daemon) {
    this.daemon = daemon;
  }

  /** Serves the dashboard of {@code daemon} on {@code routes}. */
  public static void register(ApiRoutes routes, Daemon daemon) {
    Dashboard dashboard = new Dashboard(daemon);
    String p = ApiServer.PREFIX;
    addIfAbsent(routes, "GET", p + "repo/stat", request -> dashboard.repoStat());
    addIfAbsent(routes, "GET", p + "pin/ls", request -> dashboard.pins());
    addIfAbsent(routes, "POST", p + "add", dashboard::add);
    routes.staticResources("/", RESOURCES);
  }

  private static void addIfAbsent(ApiRoutes routes, String method, String path,
      io.mycel.node.api.ApiHandler handler) {
    boolean present = routes.list().stream()
        .anyMatch(r -> r.method().equals(method) && r.path().equals(path));
    if (!present) {
      routes.add(method, path, handler);
    }
  }

  private ApiResponse repoStat() throws IOException {
    Blockstore.BlockstoreStats stats = daemon.repo().blocks().stats();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("blocks", stats.blocks());
    result.put("usedBytes", stats.bytes());
    result.put("quotaBytes", stats.quotaBytes());
    result.put("pins", daemon.repo().pins().size());
    return ApiResponse.json(result);
  }

  private ApiResponse pins() {
    List<Map<String, Object>> pins = new ArrayList<>();
    for (Pin pin : daemon.repo().pins().list()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("cid", pin.cid().toString());
      entry.put("type", pin.type().toString().toLowerCase(Locale.ROOT));
      entry.put("name", pin.name().orElse(""));
      pins.add(entry);
    }
    return ApiResponse.json(Map.of("pins", pins));
  }

  /** Adds and pins each uploaded file (multipart {@code file} parts) on its own. */
  private ApiResponse add(ApiRequest request) throws IOException {
    List<Map<String, Object>> added = new ArrayList<>();
    try (SiteUpload upload = SiteApi.receive(request, daemon.home().dir())) {
      if (upload.files() == 0) {
        throw ApiException.badRequest("no files in the upload: send them as multipart/form-data 'file' parts");
      }
      List<Path> files = new ArrayList<>();
      collect(upload.folder(), files);
      for (Path file : files) {
        ImportResult result = daemon.repo().add(file, ImportOptions.defaults(), false, true, ImportProgress.NONE);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", upload.folder().relativize(file).toString());
        entry.put("cid", result.cid().toString());
        entry.put("size", result.contentSize());
        added.add(entry);
      }
    }
    daemon.node().provide(added.stream().map(e -> io.mycel.core.cid.Cid.parse((String) e.get("cid"))).toList());
    return ApiResponse.json(added.size() == 1 ? added.getFirst() : Map.of("added", added));
  }

  private static void collect(Path dir, List<Path> into) throws IOException {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        if (Files.isDirectory(child)) {
          collect(child, into);
        } else {
          into.add(child);
        }
      }
    }
    into.sort(null);
  }
}
