package dev.gatehouse.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debian's headless Chromium driven by its chromedriver, with screenshots kept under {@code
 * target/console-screenshots} and axe-core (vendored in test resources) run on every page shown.
 */
final class Browser implements AutoCloseable {

  static final Path SHOTS = Path.of("target", "console-screenshots");

  private final WebDriver driver;
  private final Path profile;

  Browser() throws IOException {
    profile = Files.createTempDirectory("gatehouse-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(System.getenv().getOrDefault("GATEHOUSE_CHROMIUM", "/usr/bin/chromium"));
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(
                Path.of(
                        System.getenv()
                            .getOrDefault("GATEHOUSE_CHROMEDRIVER", "/usr/bin/chromedriver"))
                    .toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1280, 1000));
    Files.createDirectories(SHOTS);
  }

  WebDriver driver() {
    return driver;
  }

  WebDriverWait waiting(Duration d) {
    return new WebDriverWait(driver, d);
  }

  void open(String url) {
    driver.get(url);
  }

  /**
   * The page's text once it has loaded. A page that navigates by itself (the sign-in callback, the
   * approvals queue reloading when it changes) can replace the body between finding and reading it:
   * that read is retried on the new page.
   */
  String text() {
    return new WebDriverWait(driver, Duration.ofSeconds(15))
        .ignoring(StaleElementReferenceException.class)
        .until(
            d ->
                "complete"
                        .equals(
                            ((JavascriptExecutor) d).executeScript("return document.readyState"))
                    ? d.findElement(By.tagName("body")).getText()
                    : null);
  }

  /** A screenshot of the whole page as {@code name}.png. */
  Path shot(String name) throws IOException {
    JavascriptExecutor js = (JavascriptExecutor) driver;
    long height = ((Number) js.executeScript("return document.body.scrollHeight")).longValue();
    driver
        .manage()
        .window()
        .setSize(new Dimension(1280, (int) Math.min(3000, Math.max(800, height + 40))));
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    driver.manage().window().setSize(new Dimension(1280, 1000));
    return Files.write(SHOTS.resolve(name + ".png"), png);
  }

  /** Runs axe-core on the page; returns the serious and critical violations, described. */
  List<String> seriousViolations() {
    JavascriptExecutor js = (JavascriptExecutor) driver;
    js.executeScript(axeSource());
    Object raw =
        js.executeAsyncScript(
            "var done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']})"
                + ".then(function (r) { done(JSON.stringify(r.violations)); })"
                + ".catch(function (e) { done('error: ' + e); });");
    String json = String.valueOf(raw);
    assertThat(json).as("axe ran").doesNotStartWith("error:");
    List<String> out = new ArrayList<>();
    for (JsonNode v : JsonMapper.builder().build().readTree(json)) {
      String impact = v.path("impact").asString();
      if (impact.equals("serious") || impact.equals("critical")) {
        List<String> targets = new ArrayList<>();
        v.path("nodes").forEach(n -> targets.add(n.path("target").toString()));
        out.add(
            impact
                + " "
                + v.path("id").asString()
                + ": "
                + v.path("help").asString()
                + " "
                + targets);
      }
    }
    return out;
  }

  private static String cachedAxe;

  private static synchronized String axeSource() {
    if (cachedAxe == null) {
      try (InputStream in = Browser.class.getResourceAsStream("/axe/axe.min.js")) {
        cachedAxe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return cachedAxe;
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
