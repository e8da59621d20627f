package io.mycel.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.car.CarImport;
import io.mycel.content.car.CarReader;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.UnixfsExporter;
import io.mycel.content.unixfs.UnixfsImporter;
import io.mycel.core.cid.Cid;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTP requests against a gateway on loopback over an in-memory store. */
class GatewayTest {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};
  private static final String ODD_NAME = "<b>&\"odd\".txt";

  @TempDir static Path dir;

  static MemoryBlockstore store;
  static Gateway gateway;
  static HttpClient client;
  static String base;
  static Cid root;
  static byte[] big;
  static Cid docs;
  static Cid aTxt;

  @BeforeAll
  static void start() throws Exception {
    Path content = Files.createDirectories(dir.resolve("content"));
    Path site = Files.createDirectories(content.resolve("site"));
    Files.writeString(site.resolve("index.html"), "<!DOCTYPE html><h1>welcome</h1>");
    Files.writeString(site.resolve("style.css"), "h1 { color: red }");
    Path docsDir = Files.createDirectories(content.resolve("docs"));
    Files.writeString(docsDir.resolve("a.txt"), "hello gateway\n");
    Files.writeString(docsDir.resolve(ODD_NAME), "odd");
    Files.createDirectories(docsDir.resolve("sub"));
    Files.writeString(docsDir.resolve("sub").resolve("deep.json"), "{}");
    big = new byte[2 * 1024 * 1024 + 123];
    new Random(42).nextBytes(big);
    Files.write(docsDir.resolve("big.bin"), big);
    Files.write(docsDir.resolve("picture"), PNG);
    Files.writeString(docsDir.resolve("page"), "  <html><body>sniffed</body></html>");
    Files.write(docsDir.resolve("blob"), new byte[] {1, 2, 3, 4});

    store = new MemoryBlockstore();
    root = new UnixfsImporter(store, ImportOptions.defaults()).importPath(content).cid();
    UnixfsExporter exporter = new UnixfsExporter(store);
    docs = exporter.resolve(root, "docs");
    aTxt = exporter.resolve(root, "docs/a.txt");

    gateway = new Gateway(store, GatewayOptions.defaults());
    InetSocketAddress at = gateway.start(new InetSocketAddress("127.0.0.1", 0));
    base = "http://127.0.0.1:" + at.getPort();
    client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (client != null) {
      client.close();
    }
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
  }

  private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = request(path).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  @Test
  void servesAFileWithImmutableHeaders() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs/a.txt");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("hello gateway\n");
    assertThat(header(r, "content-type")).startsWith("text/plain");
    assertThat(header(r, "etag")).isEqualTo("\"" + aTxt + "\"");
    assertThat(header(r, "cache-control")).isEqualTo("public, max-age=29030400, immutable");
    assertThat(header(r, "x-ipfs-path")).isEqualTo("/ipfs/" + root + "/docs/a.txt");
    assertThat(header(r, "x-ipfs-roots")).isEqualTo(root + "," + docs + "," + aTxt);
    assertThat(header(r, "content-length")).isEqualTo("14");
  }

  @Test
  void ifNoneMatchWithTheEtagAnswers304() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs/a.txt",
        "If-None-Match", "\"" + aTxt + "\"");
    assertThat(r.statusCode()).isEqualTo(304);
    assertThat(r.body()).isEmpty();
    assertThat(header(r, "etag")).isEqualTo("\"" + aTxt + "\"");
    assertThat(header(r, "content-length")).isNull();
  }

  @Test
  void ifNoneMatchOnAListingAnswers304() throws Exception {
    String etag = header(get("/ipfs/" + root + "/docs/"), "etag");
    assertThat(get("/ipfs/" + root + "/docs/", "If-None-Match", etag).statusCode())
        .isEqualTo(304);
  }

  @Test
  void anotherEtagIsServedInFull() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs/a.txt", "If-None-Match", "\"other\"");
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void streamsALargeMultiBlockFile() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs/big.bin");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "content-type")).isEqualTo("application/octet-stream");
    assertThat(r.body()).isEqualTo(big);
  }

  @Test
  void streamsALargeFileToASlowReader() throws Exception {
    HttpResponse<InputStream> r = client.send(request("/ipfs/" + root + "/docs/big.bin").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      byte[] first = in.readNBytes(1000);
      assertThat(first).isEqualTo(Arrays.copyOf(big, 1000));
      byte[] rest = in.readAllBytes();
      assertThat(rest).isEqualTo(Arrays.copyOfRange(big, 1000, big.length));
    }
  }

  @Test
  void headAnswersHeadersWithoutABody() throws Exception {
    HttpResponse<byte[]> r = client.send(request("/ipfs/" + root + "/docs/big.bin")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "content-length")).isEqualTo(String.valueOf(big.length));
    assertThat(r.body()).isEmpty();
  }

  @Test
  void aRangeIsServedAsPartialContent() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs/big.bin",
        "Range", "bytes=300000-1300000");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(header(r, "content-range"))
        .isEqualTo("bytes 300000-1300000/" + big.length);
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(big, 300000, 1300001));
  }

  @Test
  void aRangeOfASingleBlockFileIsServedAsPartialContent() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs/a.txt", "Range", "bytes=6-12");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(header(r, "content-range")).isEqualTo("bytes 6-12/14");
    assertThat(header(r, "content-length")).isEqualTo("7");
    assertThat(text(r)).isEqualTo("gateway");
  }

  @Test
  void headOfASingleBlockFileAnswersItsLengthWithoutABody() throws Exception {
    HttpResponse<byte[]> r = client.send(request("/ipfs/" + aTxt)
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "content-length")).isEqualTo("14");
    assertThat(header(r, "accept-ranges")).isEqualTo("bytes");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void aSuffixRangeServesTheEnd() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs/big.bin", "Range", "bytes=-100");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(big, big.length - 100, big.length));
  }

  @Test
  void aRangeOutsideTheFileIs416() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs/a.txt", "Range", "bytes=100-200");
    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(header(r, "content-range")).isEqualTo("bytes */14");
  }

  @Test
  void contentTypeComesFromTheExtension() throws Exception {
    assertThat(header(get("/ipfs/" + root + "/site/style.css"), "content-type"))
        .startsWith("text/css");
    assertThat(header(get("/ipfs/" + root + "/docs/sub/deep.json"), "content-type"))
        .isEqualTo("application/json");
  }

  @Test
  void contentTypeIsSniffedWithoutAnExtension() throws Exception {
    assertThat(header(get("/ipfs/" + root + "/docs/picture"), "content-type"))
        .isEqualTo("image/png");
    assertThat(header(get("/ipfs/" + root + "/docs/page"), "content-type"))
        .startsWith("text/html");
    assertThat(header(get("/ipfs/" + root + "/docs/blob"), "content-type"))
        .isEqualTo("application/octet-stream");
  }

  @Test
  void aFolderWithoutATrailingSlashRedirects() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/site?x=1");
    assertThat(r.statusCode()).isEqualTo(301);
    assertThat(header(r, "location")).isEqualTo("/ipfs/" + root + "/site/?x=1");
  }

  @Test
  void aFolderWithIndexHtmlServesIt() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/site/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "content-type")).startsWith("text/html");
    assertThat(text(r)).isEqualTo("<!DOCTYPE html><h1>welcome</h1>");
  }

  @Test
  void aFolderWithoutIndexIsListedWithEscapedNames() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "content-type")).startsWith("text/html");
    String html = text(r);
    assertThat(html).contains("&lt;b&gt;&amp;&quot;odd&quot;.txt")
        .doesNotContain(ODD_NAME)
        .contains("href=\"%3Cb%3E%26%22odd%22.txt\"")
        .contains("href=\"a.txt\"")
        .contains("href=\"sub/\"")
        .contains("2.0 MiB")
        .contains("href=\"..\"");
  }

  @Test
  void aListedLinkLeadsToTheEntry() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs/%3Cb%3E%26%22odd%22.txt");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("odd");
  }

  @Test
  void formatRawAnswersTheBlock() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + aTxt + "?format=raw");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "content-type")).isEqualTo("application/vnd.ipld.raw");
    assertThat(r.body()).isEqualTo(store.get(aTxt).orElseThrow());
  }

  @Test
  void acceptRawAnswersTheBlock() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root, "Accept", "application/vnd.ipld.raw");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(store.get(root).orElseThrow());
  }

  @Test
  void rawWithAPathIs400() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs?format=raw");
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void formatCarStreamsTheWholeDag() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs?format=car");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "content-type")).startsWith("application/vnd.ipld.car");
    assertThat(header(r, "x-ipfs-roots")).isEqualTo(root + "," + docs);
    MemoryBlockstore copy = new MemoryBlockstore();
    CarImport imported = CarReader.importInto(new ByteArrayInputStream(r.body()), copy);
    assertThat(imported.roots()).containsExactly(docs);
    try (InputStream in = new UnixfsExporter(copy).open(
        new UnixfsExporter(copy).resolve(docs, "big.bin"))) {
      assertThat(in.readAllBytes()).isEqualTo(big);
    }
  }

  @Test
  void acceptCarStreamsTheDag() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + aTxt, "Accept", "application/vnd.ipld.car");
    assertThat(r.statusCode()).isEqualTo(200);
    CarImport imported = CarReader.importInto(new ByteArrayInputStream(r.body()),
        new MemoryBlockstore());
    assertThat(imported.roots()).containsExactly(aTxt);
    assertThat(imported.blocks()).isEqualTo(1);
  }

  @Test
  void anUnknownFormatIs400() throws Exception {
    assertThat(get("/ipfs/" + root + "?format=tar").statusCode()).isEqualTo(400);
  }

  @Test
  void anInvalidCidIs400WithAClearPage() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/not-a-cid/x");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(header(r, "content-type")).startsWith("text/html");
    assertThat(text(r)).contains("invalid CID &#39;not-a-cid&#39;");
  }

  @Test
  void dotDotSegmentsAre400() throws Exception {
    String reply = rawRequest("GET /ipfs/" + root + "/docs/../site/index.html");
    assertThat(reply).startsWith("HTTP/1.1 400 ").contains("&#39;..&#39; is not allowed")
        .doesNotContain("welcome");
  }

  @Test
  void percentEncodedDotDotSegmentsAre400() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs/%2e%2e/site/index.html");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(text(r)).contains("&#39;..&#39; is not allowed");
  }

  @Test
  void encodedSlashesAre400() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs%2Fa.txt");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(text(r)).contains("separator");
  }

  @Test
  void aMissingEntryIs404() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/docs/nothing-here");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(text(r)).contains("nothing-here");
  }

  @Test
  void contentNotInTheStoreIs404SayingSo() throws Exception {
    Cid elsewhere = new UnixfsImporter(new MemoryBlockstore(), ImportOptions.defaults())
        .importBytes("held by someone else".getBytes(StandardCharsets.UTF_8)).cid();
    HttpResponse<byte[]> r = get("/ipfs/" + elsewhere);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(text(r)).contains(elsewhere.toString()).contains("does not hold");
  }

  @Test
  void otherMethodsAre405() throws Exception {
    HttpResponse<byte[]> r = client.send(request("/ipfs/" + root)
        .method("DELETE", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(header(r, "allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void postIs405() throws Exception {
    HttpResponse<byte[]> r = client.send(request("/ipfs/" + root)
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(405);
  }

  @Test
  void anOverLongUrlIs414() throws Exception {
    HttpResponse<byte[]> r = get("/ipfs/" + root + "/" + "a".repeat(9000));
    assertThat(r.statusCode()).isEqualTo(414);
  }

  @Test
  void ipnsIsNotImplementedYet() throws Exception {
    assertThat(get("/ipns/example.com").statusCode()).isEqualTo(501);
  }

  @Test
  void pathsOutsideIpfsAre404() throws Exception {
    assertThat(get("/etc/passwd").statusCode()).isEqualTo(404);
  }

  @Test
  void manyRequestsShareOneConnection() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(get("/ipfs/" + root + "/docs/a.txt").statusCode()).isEqualTo(200);
    }
  }

  /** Sends a request line as written, since URI-based clients may normalise dot segments. */
  private static String rawRequest(String requestLine) throws Exception {
    InetSocketAddress at = gateway.address();
    try (Socket socket = new Socket(at.getAddress(), at.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write((requestLine + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
