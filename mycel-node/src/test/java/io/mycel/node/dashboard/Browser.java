package io.mycel.node.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system Chromium (Debian's {@code chromium} and {@code chromium-driver}), headless, driven
 * through its WebDriver; no browser or driver is downloaded.
 */
final class Browser {
  static final List<Path> CHROMIUM = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));
  static final List<Path> DRIVER = List.of(Path.of("/usr/bin/chromedriver"), Path.of("/usr/lib/chromium/chromedriver"));

  private Browser() {}

  static Optional<Path> chromium() {
    return CHROMIUM.stream().filter(Files::isExecutable).findFirst();
  }

  static Optional<Path> driver() {
    return DRIVER.stream().filter(Files::isExecutable).findFirst();
  }

  /** Why no browser can run here, or empty when one can. */
  static Optional<String> missing() {
    if (chromium().isEmpty()) {
      return Optional.of("no Chromium at " + CHROMIUM + ": install it with `apt-get install -y chromium chromium-driver`");
    }
    if (driver().isEmpty()) {
      return Optional.of("no chromedriver at " + DRIVER + ": install it with `apt-get install -y chromium-driver`");
    }
    return Optional.empty();
  }

  static ChromeDriver start(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium().orElseThrow().toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,1400", "--no-first-run", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(driver().orElseThrow().toFile())
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return driver;
  }
}
