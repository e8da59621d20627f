package io.mycel.node.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycel.core.cid.Cid;
import io.mycel.core.crypto.Ed25519;
import io.mycel.node.Keystore;
import io.mycel.node.Names;
import io.mycel.node.Node;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import io.mycel.node.Repo;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing, listing and removing sites in a real home, through a DHT of loopback nodes. */
class SitesTest {
  @TempDir Path dir;
  private final List<Node> nodes = new ArrayList<>();
  private NodeHome home;
  private Repo repo;
  private Sites sites;
  private Node publisher;
  private Node reader;

  @BeforeEach
  void start() throws Exception {
    NodeConfig base = NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0"));
    reader = Node.start(Ed25519.generate(), base);
    nodes.add(reader);
    publisher = Node.start(Ed25519.generate(),
        base.withBootstrap(List.of(reader.dialableAddresses().getFirst().toString())));
    nodes.add(publisher);
    publisher.joined().get(20, TimeUnit.SECONDS);
    home = new NodeHome(dir.resolve("home"));
    home.init(NodeConfig.defaults());
    repo = Repo.open(home, NodeConfig.defaults());
    sites = new Sites(home, repo);
  }

  @AfterEach
  void stop() throws Exception {
    nodes.forEach(Node::close);
    repo.close();
  }

  private Path folder(String name, String index) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(name));
    Files.writeString(folder.resolve("index.html"), index);
    Files.createDirectories(folder.resolve("css"));
    Files.writeString(folder.resolve("css").resolve("site.css"), "body { color: green }");
    return folder;
  }

  private String resolveElsewhere(Site site) throws Exception {
    return new Names(dir.resolve("elsewhere.json"), java.time.Clock.systemUTC(), Names.DEFAULT_DHT_TIMEOUT)
        .resolve(reader, site.ipnsPath());
  }

  @Test
  void publishAddsPinsAndPointsTheSitesOwnNameAtIt() throws Exception {
    Path folder = folder("blog", "<h1>hello</h1>");

    Sites.Published published = sites.publish(publisher, folder, "blog", folder.toString());

    Site site = published.site();
    assertThat(site.name()).isEqualTo("blog");
    assertThat(site.key()).isEqualTo("site-blog");
    assertThat(site.peers()).isPositive();
    assertThat(site.announced()).isTrue();
    Cid cid = Cid.parse(site.cid());
    assertThat(repo.pins().get(cid)).hasValueSatisfying(p ->
        assertThat(p.name()).contains("site:blog"));
    assertThat(new Keystore(home).exists("site-blog")).isTrue();
    assertThat(site.ipnsName()).isEqualTo(Keystore.ipnsName(new Keystore(home).load("site-blog")).toBase36());
    assertThat(resolveElsewhere(site)).isEqualTo("/ipfs/" + cid);
    assertThat(sites.list()).containsExactly(site);
    assertThat(Files.readString(home.dir().resolve(Sites.FILE))).contains("\"blog\"", site.cid());
  }

  @Test
  void publishingAgainMovesTheNameAndReleasesTheOldVersion() throws Exception {
    Path folder = folder("blog", "<h1>first</h1>");
    Site first = sites.publish(publisher, folder, "blog", folder.toString()).site();
    Files.writeString(folder.resolve("index.html"), "<h1>second</h1>");

    Sites.Published again = sites.publish(publisher, folder, "blog", folder.toString());

    Site second = again.site();
    assertThat(second.ipnsName()).isEqualTo(first.ipnsName());
    assertThat(second.cid()).isNotEqualTo(first.cid());
    assertThat(second.sequence()).isEqualTo(first.sequence() + 1);
    assertThat(again.previousCid()).contains(first.cid());
    assertThat(repo.pins().isPinned(Cid.parse(first.cid()))).isFalse();
    assertThat(repo.pins().isPinned(Cid.parse(second.cid()))).isTrue();
    assertThat(resolveElsewhere(second)).isEqualTo("/ipfs/" + second.cid());
    assertThat(sites.list()).containsExactly(second);
  }

  @Test
  void removeUnpinsAndForgetsButKeepsTheKeyUnlessAsked() throws Exception {
    Path blog = folder("blog", "<h1>blog</h1>");
    Path shop = folder("shop", "<h1>shop</h1>");
    Site blogSite = sites.publish(publisher, blog, "blog", blog.toString()).site();
    Site shopSite = sites.publish(publisher, shop, "shop", shop.toString()).site();

    sites.remove("blog", false);
    assertThat(sites.list()).containsExactly(shopSite);
    assertThat(repo.pins().isPinned(Cid.parse(blogSite.cid()))).isFalse();
    assertThat(new Keystore(home).exists("site-blog")).isTrue();

    Site again = sites.publish(publisher, blog, "blog", blog.toString()).site();
    assertThat(again.ipnsName()).as("the kept key gives the same address").isEqualTo(blogSite.ipnsName());

    sites.remove("shop", true);
    assertThat(new Keystore(home).exists("site-shop")).isFalse();
    assertThat(sites.list()).containsExactly(again);
  }

  @Test
  void aUserPinOnTheSameContentSurvivesRemoval() throws Exception {
    Path blog = folder("blog", "<h1>blog</h1>");
    Cid cid = repo.add(blog, io.mycel.content.unixfs.ImportOptions.defaults(), false, true,
        io.mycel.content.unixfs.ImportProgress.NONE).cid();
    repo.pins().pinRecursive(cid, "mine");
    Site site = sites.publish(publisher, blog, "blog", blog.toString()).site();
    assertThat(site.cid()).isEqualTo(cid.toString());

    sites.remove("blog", false);

    assertThat(repo.pins().isPinned(cid)).isTrue();
  }

  @Test
  void removingAnUnknownSiteSaysSo() {
    assertThatThrownBy(() -> sites.remove("nothing", false))
        .hasMessageContaining("no site named 'nothing'");
  }

  @Test
  void aBadSiteNameIsRefusedBeforeAnythingIsStored() throws Exception {
    Path blog = folder("blog", "<h1>blog</h1>");
    assertThatThrownBy(() -> sites.publish(publisher, blog, "../etc", blog.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid site name '../etc'");
    assertNothingPublished();
  }

  @Test
  void aSymlinkLoopIsNamedAndNothingIsPublished() throws Exception {
    Path blog = folder("blog", "<h1>blog</h1>");
    Files.createSymbolicLink(blog.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(blog.resolve("b"), Path.of("a"));

    assertThatThrownBy(() -> sites.publish(publisher, blog, "blog", blog.toString()))
        .isInstanceOf(SiteFolderException.class)
        .hasMessageContaining("symbolic link loop")
        .hasMessageMatching("(?s).*" + java.util.regex.Pattern.quote(blog.toString()) + "/[ab].*");
    assertNothingPublished();
  }

  @Test
  void aSymlinkToAnEnclosingFolderIsNamedAndNothingIsPublished() throws Exception {
    Path blog = folder("blog", "<h1>blog</h1>");
    Path link = blog.resolve("css").resolve("up");
    Files.createSymbolicLink(link, Path.of(".."));

    assertThatThrownBy(() -> sites.publish(publisher, blog, "blog", blog.toString()))
        .isInstanceOf(SiteFolderException.class)
        .hasMessageContaining(link.toString())
        .hasMessageContaining("a folder that contains it");
    assertNothingPublished();
  }

  @Test
  void aFolderHoldingTheNodeHomeIsRefused() throws Exception {
    assertThatThrownBy(() -> sites.publish(publisher, dir, "everything", dir.toString()))
        .isInstanceOf(SiteFolderException.class)
        .hasMessageContaining("contains the node home");
    assertThatThrownBy(() -> sites.publish(publisher, home.dir(), "home", home.dir().toString()))
        .isInstanceOf(SiteFolderException.class)
        .hasMessageContaining("is inside the node home");
    assertThat(repo.pins().list()).isEmpty();
    assertThat(Files.exists(home.dir().resolve(Sites.FILE))).isFalse();
  }

  @Test
  void aMissingFolderIsNamed() {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> sites.publish(publisher, missing, "blog", missing.toString()))
        .isInstanceOf(SiteFolderException.class)
        .hasMessageContaining("no such folder: " + missing);
  }

  @Test
  void urlsNameTheGatewayTheSubdomainAndThePath() {
    Site site = new Site("blog", "site-blog", "k51qzi5uqu5dexample", "bafyexample", "/x",
        "2026-01-01T00:00:00Z", 0, 1);
    SiteUrls urls = SiteUrls.of(site, new InetSocketAddress("127.0.0.1", 8180), "localhost");
    assertThat(urls.gateway()).isEqualTo("http://127.0.0.1:8180/ipns/k51qzi5uqu5dexample/");
    assertThat(urls.subdomain()).isEqualTo("http://k51qzi5uqu5dexample.ipns.localhost:8180/");
    assertThat(urls.path()).isEqualTo("/ipns/k51qzi5uqu5dexample");
    assertThat(SiteUrls.of(site, null, "localhost").gateway()).isEmpty();
  }

  private void assertNothingPublished() throws Exception {
    assertThat(repo.pins().list()).isEmpty();
    assertThat(Files.exists(home.dir().resolve(Sites.FILE))).isFalse();
    assertThat(new Keystore(home).exists("site-blog")).isFalse();
    assertThat(Files.exists(home.dir().resolve(Names.STATE_FILE))).isFalse();
  }
}
