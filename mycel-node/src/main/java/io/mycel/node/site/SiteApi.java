package io.mycel.node.site;

import io.mycel.node.Daemon;
import io.mycel.node.api.ApiException;
import io.mycel.node.api.ApiRequest;
import io.mycel.node.api.ApiResponse;
import io.mycel.node.api.ApiRoutes;
import io.mycel.node.api.ApiServer;
import io.mycel.node.gateway.GatewayOptions;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The site routes of the daemon's API, documented in {@code docs/api/openapi.yaml}:
 * <ul>
 *   <li>{@code POST /api/v0/site/publish?name=SITE} with a {@code multipart/form-data} body (the
 *       dashboard's folder picker: each file as a {@code file} part, preceded by a {@code path}
 *       part giving its path inside the folder), or {@code &arg=/local/folder} naming a folder
 *       on the node's machine (what {@code mycel site publish} sends);</li>
 *   <li>{@code GET /api/v0/site/ls};</li>
 *   <li>{@code POST /api/v0/site/rm?arg=SITE[&remove-key=true]}.</li>
 * </ul>
 */
public final class SiteApi {
  /** Extra bytes allowed in a multipart body beyond the upload limit (boundaries, part headers). */
  private static final long MULTIPART_OVERHEAD = 16L << 20;

  private final Daemon daemon;

  private SiteApi(Daemon daemon) {
    this.daemon = daemon;
  }

  /** Registers the site routes of {@code daemon} on {@code routes}. */
  public static void register(ApiRoutes routes, Daemon daemon) {
    SiteApi api = new SiteApi(Objects.requireNonNull(daemon, "daemon"));
    String p = ApiServer.PREFIX + "site/";
    routes.add("POST", p + "publish", api::publish);
    routes.add("GET", p + "ls", request -> api.list());
    routes.add("POST", p + "rm", api::remove);
  }

  private SiteUrls urls(Site site) {
    return SiteUrls.of(site, daemon.gatewayAddress(), GatewayOptions.DEFAULT_SUBDOMAIN_HOST);
  }

  private ApiResponse publish(ApiRequest request) throws Exception {
    String name = request.requiredParam("name").trim();
    Sites.checkName(name);
    Sites.Published published;
    try {
      // The folder's path is the operand (arg); path= is accepted as its other name.
      java.util.Optional<String> given = request.param("arg").or(() -> request.param("path"));
      if (given.isPresent()) {
        Path folder = Path.of(given.get());
        if (!folder.isAbsolute()) {
          throw ApiException.badRequest("the argument 'arg' must be an absolute folder path on the node's machine, was '"
              + folder + "'");
        }
        published = daemon.sites().publish(daemon.node(), folder, name, folder.normalize().toString());
      } else {
        try (SiteUpload upload = receive(request, daemon.home().dir())) {
          if (upload.files() == 0) {
            throw ApiException.badRequest("no files in the upload: send the folder's files as multipart/form-data "
                + "'file' parts, or give ?arg=/local/folder");
          }
          published = daemon.sites().publish(daemon.node(), upload.folder(), name, "upload");
        }
      }
    } catch (SiteFolderException e) {
      throw new ApiException(400, e.getMessage(), e);
    }
    Map<String, Object> result = published.site().describe(urls(published.site()));
    published.previousCid().ifPresent(c -> result.put("previousCid", c));
    return ApiResponse.json(result);
  }

  private ApiResponse list() throws IOException {
    List<Map<String, Object>> sites = new ArrayList<>();
    for (Site site : daemon.sites().list()) {
      sites.add(site.describe(urls(site)));
    }
    return ApiResponse.json(Map.of("sites", sites));
  }

  private ApiResponse remove(ApiRequest request) throws IOException {
    String name = Sites.checkName(request.param("arg").or(() -> request.param("name"))
        .orElseGet(() -> request.requiredParam("arg")).trim());
    if (daemon.sites().get(name).isEmpty()) {
      throw ApiException.notFound("no site named '" + name + "'");
    }
    boolean removeKey = request.flag("remove-key", false);
    Site removed = daemon.sites().remove(name, removeKey);
    return ApiResponse.json(Map.of("removed", removed.name(), "cid", removed.cid(), "keyRemoved", removeKey));
  }

  /**
   * Reads a multipart body into a staged upload: a {@code path} part names the next file's path
   * inside the folder (else the file part's own file name is used).
   */
  static SiteUpload receive(ApiRequest request, Path homeDir) throws IOException {
    String type = request.header("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
      throw ApiException.badRequest("send the folder as multipart/form-data (Content-Type was '" + type
          + "'), or give ?arg=/local/folder");
    }
    SiteUpload upload = SiteUpload.begin(homeDir);
    Path spool = Files.createDirectories(upload.folder().resolveSibling(upload.folder().getFileName() + ".parts"));
    DefaultHttpDataFactory factory = new DefaultHttpDataFactory(true);
    factory.setBaseDir(spool.toString());
    factory.setDeleteOnExit(false);
    factory.setMaxLimit(SiteUpload.DEFAULT_MAX_BYTES);
    HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, request.path());
    head.headers().set("Content-Type", type);
    HttpPostRequestDecoder decoder;
    try {
      decoder = new HttpPostRequestDecoder(factory, head);
    } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
      closeQuietly(upload, spool);
      throw ApiException.badRequest("not a multipart body: " + e.getMessage());
    }
    boolean done = false;
    try {
      String[] nextPath = {null};
      InputStream body = request.body();
      byte[] buffer = new byte[1 << 16];
      long total = 0;
      int n;
      while ((n = body.read(buffer)) >= 0) {
        total += n;
        if (total > SiteUpload.DEFAULT_MAX_BYTES + MULTIPART_OVERHEAD) {
          throw new ApiException(413, "the upload is larger than " + SiteUpload.DEFAULT_MAX_BYTES
              + " bytes; publish a smaller folder");
        }
        DefaultHttpContent chunk = new DefaultHttpContent(Unpooled.wrappedBuffer(buffer, 0, n));
        try {
          decoder.offer(chunk); // the decoder copies what it keeps
        } finally {
          chunk.release();
        }
        drain(decoder, upload, nextPath);
      }
      decoder.offer(LastHttpContent.EMPTY_LAST_CONTENT);
      drain(decoder, upload, nextPath);
      done = true;
      return upload;
    } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
      throw ApiException.badRequest("the multipart body is malformed: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    } catch (SiteUpload.TooLargeException e) {
      throw new ApiException(413, e.getMessage(), e);
    } finally {
      decoder.destroy();
      deleteTree(spool);
      if (!done) {
        closeQuietly(upload, spool);
      }
    }
  }

  private static void drain(HttpPostRequestDecoder decoder, SiteUpload upload, String[] nextPath)
      throws IOException {
    try {
      while (decoder.hasNext()) {
        InterfaceHttpData data = decoder.next();
        try {
          if (data instanceof FileUpload file && file.isCompleted()) {
            String path = nextPath[0] != null ? nextPath[0] : file.getFilename();
            nextPath[0] = null;
            try (InputStream in = file.isInMemory()
                ? new java.io.ByteArrayInputStream(file.get()) : Files.newInputStream(file.getFile().toPath())) {
              upload.add(path, in);
            }
          } else if (data instanceof Attribute attribute && attribute.getName().equals("path")) {
            nextPath[0] = attribute.getValue();
          }
        } finally {
          decoder.removeHttpDataFromClean(data);
          data.release();
        }
      }
    } catch (HttpPostRequestDecoder.EndOfDataDecoderException e) {
      // every complete part has been taken
    }
  }

  private static void closeQuietly(SiteUpload upload, Path spool) {
    try {
      upload.close();
    } catch (IOException e) {
      // the staging folder is under the home's tmp/ and is emptied on the next upload's failure
    }
    deleteTree(spool);
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // left for the next cleanup
        }
      });
    } catch (IOException e) {
      // left for the next cleanup
    }
  }
}
