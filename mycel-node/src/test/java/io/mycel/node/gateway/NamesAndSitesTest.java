package io.mycel.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.content.blockstore.MemoryBlockstore;
import io.mycel.content.unixfs.ImportOptions;
import io.mycel.content.unixfs.UnixfsExporter;
import io.mycel.content.unixfs.UnixfsImporter;
import io.mycel.core.cid.Cid;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /ipns/} names, the subdomain gateway and sites' own files, over real sockets. */
class NamesAndSitesTest {
  @TempDir static Path dir;

  static Gateway gateway;
  static InetSocketAddress at;
  static String local;
  static Cid root;
  static Cid site;
  static Cid plainSite;
  static Cid bigRules;
  static Cid badRules;
  static final List<String> asked = new CopyOnWriteArrayList<>();

  /** A resolver over fixed names; a few names fail on purpose. */
  static final class FakeResolver implements NameResolver {
    @Override
    public Optional<String> resolve(String name) throws IOException {
      asked.add(name);
      return switch (name) {
        case "known", "example.com" -> Optional.of("/ipfs/" + root);
        case "docs-only" -> Optional.of("/ipfs/" + root + "/docs");
        case "site" -> Optional.of("/ipfs/" + site);
        case "broken" -> throw new IOException("no record found");
        case "rejected" -> throw new IllegalArgumentException("not an IPNS name");
        default -> Optional.empty();
      };
    }

    @Override
    public Optional<Resolution> resolveWithTtl(String name) throws IOException {
      if (name.equals("short")) {
        return Optional.of(new Resolution("/ipfs/" + root, Duration.ofSeconds(5)));
      }
      return NameResolver.super.resolveWithTtl(name);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    Path content = Files.createDirectories(dir.resolve("content"));
    Path docs = Files.createDirectories(content.resolve("docs"));
    Files.writeString(docs.resolve("a.txt"), "hello names\n");
    Path siteDir = Files.createDirectories(dir.resolve("site"));
    Files.writeString(siteDir.resolve("index.html"), "<h1>home</h1>");
    Files.writeString(siteDir.resolve("real.txt"), "real");
    Files.writeString(siteDir.resolve("404.html"), "<h1>custom not found</h1>");
    Files.writeString(siteDir.resolve("gone.html"), "<h1>gone for good</h1>");
    Files.createDirectories(siteDir.resolve("app"));
    Files.writeString(siteDir.resolve("app").resolve("index.html"), "<h1>single page app</h1>");
    Files.writeString(siteDir.resolve("_redirects"), """
        # site rules
        /old/:name   /new/:name   302
        /moved       /real.txt
        /real.txt    /moved
        /app/*       /app/index.html   200
        /gone        /gone.html   410
        /blog/*      https://blog.example.com/:splat
        """);
    Path plain = Files.createDirectories(dir.resolve("plain"));
    Files.writeString(plain.resolve("404.html"), "<h1>plain not found</h1>");
    Files.writeString(plain.resolve("index.html"), "<h1>plain</h1>");
    Path big = Files.createDirectories(dir.resolve("big"));
    Files.writeString(big.resolve("_redirects"),
        "/a /b 301\n".repeat(RedirectsFile.MAX_FILE_BYTES / 10 + 1));
    Path bad = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(bad.resolve("_redirects"), "/a /b 999\n");

    MemoryBlockstore store = new MemoryBlockstore();
    UnixfsImporter importer = new UnixfsImporter(store, ImportOptions.defaults());
    root = importer.importPath(content).cid();
    site = importer.importPath(siteDir).cid().toV1();
    plainSite = importer.importPath(plain).cid().toV1();
    bigRules = importer.importPath(big).cid().toV1();
    badRules = importer.importPath(bad).cid().toV1();

    gateway = new Gateway(store, GatewayOptions.defaults(), new FakeResolver());
    at = gateway.start(new InetSocketAddress("127.0.0.1", 0));
    local = "127.0.0.1:" + at.getPort();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static RawHttp.Reply get(String host, String target) throws IOException {
    return RawHttp.get(at, host, target);
  }

  private static String sub(String label, String ns) {
    return label + "." + ns + ".localhost:" + at.getPort();
  }

  @Test
  void aKnownNameServesItsContentWithShortLivedCaching() throws Exception {
    RawHttp.Reply r = get(local, "/ipns/known/docs/a.txt");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello names\n");
    assertThat(r.header("cache-control")).isEqualTo("public, max-age=60");
    assertThat(r.header("x-ipfs-path")).isEqualTo("/ipns/known/docs/a.txt");
    assertThat(r.header("x-ipfs-roots")).startsWith(root + ",");
  }

  @Test
  void theResolversTtlSetsMaxAge() throws Exception {
    RawHttp.Reply r = get(local, "/ipns/short/docs/a.txt");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("cache-control")).isEqualTo("public, max-age=5");
  }

  @Test
  void aNameMayPointInsideADag() throws Exception {
    RawHttp.Reply r = get(local, "/ipns/docs-only/a.txt");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello names\n");
  }

  @Test
  void aNamedFolderWithoutSlashRedirectsOnTheIpnsPath() throws Exception {
    RawHttp.Reply r = get(local, "/ipns/known/docs?x=1");
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.header("location")).isEqualTo("/ipns/known/docs/?x=1");
  }

  @Test
  void anUnknownNameIs404() throws Exception {
    RawHttp.Reply r = get(local, "/ipns/nobody/x");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).contains("&#39;nobody&#39; is not known");
  }

  @Test
  void anInvalidNameIs400() throws Exception {
    RawHttp.Reply r = get(local, "/ipns/bad%20name");
    assertThat(r.status()).isEqualTo(400);
    assertThat(asked).doesNotContain("bad name");
  }

  @Test
  void aNameTheResolverRefusesIs400() throws Exception {
    RawHttp.Reply r = get(local, "/ipns/rejected");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("not an IPNS name");
  }

  @Test
  void aResolverFailureIs502() throws Exception {
    RawHttp.Reply r = get(local, "/ipns/broken");
    assertThat(r.status()).isEqualTo(502);
    assertThat(r.body()).contains("no record found");
  }

  @Test
  void aCidV1SubdomainServesItsRoot() throws Exception {
    String v1 = root.toV1().toString();
    RawHttp.Reply r = get(sub(v1, "ipfs"), "/docs/a.txt");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello names\n");
    assertThat(r.header("x-ipfs-path")).isEqualTo("/ipfs/" + v1 + "/docs/a.txt");
    assertThat(r.header("cache-control")).contains("immutable");
  }

  @Test
  void aCidV0SubdomainRedirectsToBase32() throws Exception {
    Cid v0 = root.toV0();
    RawHttp.Reply r = get(sub(v0.toString(), "ipfs"), "/docs/a.txt?q=1");
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.header("location")).isEqualTo("http://" + sub(root.toV1().toString(), "ipfs")
        + "/docs/a.txt?q=1");
  }

  @Test
  void anInvalidCidSubdomainIs400() throws Exception {
    assertThat(get(sub("notacid", "ipfs"), "/").status()).isEqualTo(400);
  }

  @Test
  void thePathGatewayOnLocalhostRedirectsToTheSubdomain() throws Exception {
    RawHttp.Reply r = get("localhost:" + at.getPort(), "/ipfs/" + root.toV0() + "/docs/a.txt?q=1");
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.header("location")).isEqualTo("http://" + sub(root.toV1().toString(), "ipfs")
        + "/docs/a.txt?q=1");
  }

  @Test
  void aDnsNameOnLocalhostRedirectsInlined() throws Exception {
    RawHttp.Reply r = get("localhost:" + at.getPort(), "/ipns/my-site.example.com/a");
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.header("location"))
        .isEqualTo("http://" + sub("my--site-example-com", "ipns") + "/a");
  }

  @Test
  void thePathGatewayOnAnIpAddressDoesNotRedirect() throws Exception {
    assertThat(get(local, "/ipfs/" + root + "/docs/a.txt").status()).isEqualTo(200);
  }

  @Test
  void anIpnsSubdomainServesTheName() throws Exception {
    RawHttp.Reply r = get(sub("known", "ipns"), "/docs/a.txt");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello names\n");
    assertThat(r.header("x-ipfs-path")).isEqualTo("/ipns/known/docs/a.txt");
    assertThat(r.header("cache-control")).isEqualTo("public, max-age=60");
  }

  @Test
  void anInlinedDnsNameSubdomainIsResolvedWithDots() throws Exception {
    RawHttp.Reply r = get(sub("example-com", "ipns"), "/docs/a.txt");
    assertThat(r.status()).isEqualTo(200);
    assertThat(asked).contains("example.com");
  }

  @Test
  void aSubdomainHostTurnedOffServesOnlyPaths() throws Exception {
    try (Gateway plain = new Gateway(new MemoryBlockstore(),
        GatewayOptions.defaults().withSubdomainHost(""))) {
      InetSocketAddress other = plain.start(new InetSocketAddress("127.0.0.1", 0));
      RawHttp.Reply r = RawHttp.get(other, "localhost:" + other.getPort(), "/ipfs/" + root);
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.header("location")).isNull();
      assertThat(RawHttp.get(other, "localhost", "/ipns/known").status()).isEqualTo(501);
    }
  }

  @Test
  void aSiteRedirectRuleAnswersWithItsStatusAndPlaceholders() throws Exception {
    RawHttp.Reply r = get(sub(site.toString(), "ipfs"), "/old/page");
    assertThat(r.status()).isEqualTo(302);
    assertThat(r.header("location")).isEqualTo("/new/page");
  }

  @Test
  void aSiteRedirectRuleDefaultsTo301() throws Exception {
    RawHttp.Reply r = get(sub(site.toString(), "ipfs"), "/moved");
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.header("location")).isEqualTo("/real.txt");
  }

  @Test
  void aSplatCarriesTheRestToAnotherOrigin() throws Exception {
    RawHttp.Reply r = get(sub(site.toString(), "ipfs"), "/blog/2024/post");
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.header("location")).isEqualTo("https://blog.example.com/2024/post");
  }

  @Test
  void aRewriteServesTheTargetWith200() throws Exception {
    RawHttp.Reply r = get(sub(site.toString(), "ipfs"), "/app/some/route");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("<h1>single page app</h1>");
  }

  @Test
  void a410RuleServesItsPageWithThatStatus() throws Exception {
    RawHttp.Reply r = get(sub(site.toString(), "ipfs"), "/gone");
    assertThat(r.status()).isEqualTo(410);
    assertThat(r.body()).isEqualTo("<h1>gone for good</h1>");
  }

  @Test
  void existingContentWinsOverRules() throws Exception {
    RawHttp.Reply r = get(sub(site.toString(), "ipfs"), "/real.txt");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("real");
  }

  @Test
  void aPathNoRuleMatchesGetsTheSites404Page() throws Exception {
    RawHttp.Reply r = get(sub(site.toString(), "ipfs"), "/nothing/here");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("<h1>custom not found</h1>");
    assertThat(r.header("content-type")).startsWith("text/html");
  }

  @Test
  void aSiteWithOnlyA404PageServesIt() throws Exception {
    RawHttp.Reply r = get(sub(plainSite.toString(), "ipfs"), "/missing");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("<h1>plain not found</h1>");
  }

  @Test
  void siteRulesApplyOnAnIpnsSubdomain() throws Exception {
    RawHttp.Reply r = get(sub("site", "ipns"), "/old/x");
    assertThat(r.status()).isEqualTo(302);
    assertThat(r.header("location")).isEqualTo("/new/x");
    assertThat(r.header("cache-control")).isEqualTo("public, max-age=60");
    RawHttp.Reply missing = get(sub("site", "ipns"), "/nothing");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("<h1>custom not found</h1>");
  }

  @Test
  void siteFilesDoNotApplyOnThePathGateway() throws Exception {
    RawHttp.Reply r = get(local, "/ipfs/" + site + "/old/page");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("location")).isNull();
    assertThat(r.body()).doesNotContain("custom not found");
  }

  @Test
  void aRedirectsFileOver64KibIs500() throws Exception {
    RawHttp.Reply r = get(sub(bigRules.toString(), "ipfs"), "/a");
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.body()).contains("_redirects").contains(String.valueOf(
        RedirectsFile.MAX_FILE_BYTES));
  }

  @Test
  void anInvalidRedirectsFileIs500NamingTheLine() throws Exception {
    RawHttp.Reply r = get(sub(badRules.toString(), "ipfs"), "/a");
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.body()).contains("line 1").contains("999");
  }

  @Test
  void theNameIsResolvedOncePerRequestOnly() throws Exception {
    asked.clear();
    get(local, "/ipns/known/docs/a.txt");
    assertThat(asked).containsExactly("known");
  }
}
