package io.mycel.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycel.node.Daemon;
import io.mycel.node.NodeConfig;
import io.mycel.node.NodeHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium against a real daemon (with a second daemon as its peer):
 * it shows the node's identity, peers and storage, publishes a folder as a site through the page,
 * and the site then opens through the gateway, by path and by subdomain. Screenshots go to
 * {@code target/screenshots}.
 */
@Tag("browser")
class DashboardBrowserTest {
  /** Only the nodes of the test: no peers found on the local network. */
  private static final NodeConfig.Discovery NO_MDNS = new NodeConfig.Discovery(false, 10_000);
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final List<Daemon> daemons = new ArrayList<>();
  private ChromeDriver browser;

  @BeforeEach
  void startBrowser() throws Exception {
    Browser.missing().ifPresent(why -> Assumptions.abort("the dashboard test needs Chromium: " + why));
    Files.createDirectories(SCREENSHOTS);
    browser = Browser.start(dir.resolve("chromium-profile"));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    daemons.reversed().forEach(Daemon::close);
  }

  private Daemon start(String name, List<String> bootstrap) throws Exception {
    NodeHome home = new NodeHome(dir.resolve(name));
    NodeConfig config = NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0"))
        .withGateway("/ip4/127.0.0.1/tcp/0").withApi("/ip4/127.0.0.1/tcp/0").withDiscovery(NO_MDNS).withBootstrap(bootstrap);
    home.init(config);
    Daemon daemon = Daemon.start(home, config);
    daemons.add(daemon);
    return daemon;
  }

  private void screenshot(String name) throws Exception {
    browser.executeScript("window.scrollTo(0, 0)");
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  private WebDriverWait waiting() {
    return new WebDriverWait(browser, WAIT);
  }

  @Test
  void publishesASiteThroughThePageAndOpensItThroughTheGateway() throws Exception {
    Daemon node = start("node", List.of());
    Daemon peer = start("peer", List.of(node.node().dialableAddresses().getFirst().toString()));
    peer.node().joined().get(20, java.util.concurrent.TimeUnit.SECONDS);

    browser.get(node.apiUrl() + "/");
    waiting().until(ExpectedConditions.textToBe(By.id("peer-id"), node.node().peerId().toString()));
    waiting().until(ExpectedConditions.textToBe(By.id("peer-count"), "1"));
    assertThat(browser.findElement(By.id("peers")).getText()).contains(peer.node().peerId().toString().substring(0, 10));
    assertThat(browser.findElement(By.id("addresses")).getText()).contains("/ip4/127.0.0.1/tcp/");
    waiting().until(d -> !d.findElement(By.id("storage-quota")).getText().equals("\u2013"));
    assertThat(browser.findElement(By.id("storage-used")).getText()).matches("[0-9.]+ (B|KiB|MiB)");
    waiting().until(d -> d.findElement(By.id("total-in")).getText().matches("[0-9.]+ (B|KiB|MiB)"));
    assertThat(browser.findElements(By.cssSelector("#bw-chart polyline"))).hasSize(2);
    waiting().until(ExpectedConditions.textToBe(By.id("status"), "online"));
    screenshot("dashboard.png");

    Path folder = Files.createDirectories(dir.resolve("hello-site"));
    Files.writeString(folder.resolve("index.html"),
        "<!doctype html><link rel=stylesheet href=css/site.css><h1 id=greeting>Hello from Mycel</h1>");
    Files.createDirectories(folder.resolve("css"));
    Files.writeString(folder.resolve("css").resolve("site.css"), "h1 { color: rgb(47, 125, 79) }");

    browser.findElement(By.id("site-name")).sendKeys("hello");
    browser.findElement(By.id("site-folder")).sendKeys(folder.toString());
    browser.findElement(By.id("publish-button")).click();
    WebElement published = waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("published-site")));
    String ipns = published.getAttribute("data-ipns");
    assertThat(ipns).startsWith("k51");
    waiting().until(ExpectedConditions.textToBe(By.id("site-count"), "1"));
    assertThat(browser.findElement(By.id("sites")).getText()).contains("hello");
    assertThat(node.sites().get("hello")).hasValueSatisfying(s -> assertThat(s.ipnsName()).isEqualTo(ipns));
    screenshot("published.png");

    Path note = Files.writeString(dir.resolve("note.txt"), "a file added through the page");
    browser.findElement(By.id("add-files")).sendKeys(note.toString());
    browser.findElement(By.id("add-button")).click();
    WebElement added = waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#add-result code")));
    io.mycel.core.cid.Cid noteCid = io.mycel.core.cid.Cid.parse(added.getText());
    assertThat(node.repo().pins().isPinned(noteCid)).isTrue();
    waiting().until(ExpectedConditions.textToBe(By.id("pin-count"), "2"));

    WebElement gatewayLink = browser.findElement(By.cssSelector("#publish-result a"));
    assertThat(gatewayLink.getAttribute("href")).isEqualTo(node.gatewayUrl() + "/ipns/" + ipns + "/");
    browser.get(gatewayLink.getAttribute("href"));
    WebElement greeting = waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("greeting")));
    assertThat(greeting.getText()).isEqualTo("Hello from Mycel");
    assertThat(greeting.getCssValue("color")).isEqualTo("rgba(47, 125, 79, 1)");
    screenshot("site.png");

    // The peer's gateway finds the name in the DHT and fetches the files from the node.
    browser.get("http://" + ipns + ".ipns.localhost:" + peer.gatewayAddress().getPort() + "/");
    greeting = waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("greeting")));
    assertThat(greeting.getText()).isEqualTo("Hello from Mycel");
    screenshot("site-through-peer.png");
  }

  @Test
  void aNodeWithAnApiTokenAsksForItAndThenShowsItself() throws Exception {
    String token = "a-long-enough-dashboard-token";
    NodeHome home = new NodeHome(dir.resolve("guarded"));
    NodeConfig config = NodeConfig.defaults().withListen(List.of("/ip4/127.0.0.1/tcp/0"))
        .withGateway("").withDiscovery(NO_MDNS)
        .withApi(new NodeConfig.Api("/ip4/127.0.0.1/tcp/0", token));
    home.init(config);
    Daemon node = Daemon.start(home, config);
    daemons.add(node);

    browser.get(node.apiUrl() + "/");
    WebElement form = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token-form")));
    assertThat(browser.findElement(By.id("token-message")).getText()).contains("token");
    assertThat(browser.findElement(By.id("peer-id")).getText()).isNotEqualTo(node.node().peerId().toString());

    browser.findElement(By.id("token-input")).sendKeys(token);
    browser.findElement(By.id("token-button")).click();

    waiting().until(ExpectedConditions.textToBe(By.id("peer-id"), node.node().peerId().toString()));
    waiting().until(ExpectedConditions.invisibilityOf(form));
    screenshot("token.png");
  }
}
