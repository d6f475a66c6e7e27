package dev.gatehouse.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.quickstart.Quickstart;
import dev.gatehouse.testkit.TestPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The console in headless Chromium against the quickstart (real PostgreSQL, real issuer, real wire
 * proxy): sign-in at the issuer's login page, an approval of a statement held on the wire, a
 * refusal, a masked read in the audit trail, the review's charts and the policy's "why". Every page
 * shown is checked with axe-core and photographed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

  @TempDir static Path dir;
  private static Quickstart qs;
  private static Browser browser;
  private static String base;
  private static boolean signInShown;

  @BeforeAll
  static void start() throws Exception {
    qs = Quickstart.start(dir, 0, 0);
    base = "http://127.0.0.1:" + qs.running().httpPort() + "/console";
    browser = new Browser();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (qs != null) {
      qs.close();
    }
  }

  @Test
  @Order(1)
  void dbaApprovesAStatementEtlNightlyHoldsOnTheWire() throws Exception {
    String table = "app.console_it_" + Long.toHexString(System.nanoTime());
    signIn("dba", "[\"dba\"]");
    page("home");
    browser.open(base + "/approvals");
    assertThat(browser.text()).doesNotContain(table);

    CompletableFuture<Void> held =
        CompletableFuture.runAsync(
            () -> {
              try (Connection c = wire("etl-nightly");
                  Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + table + " (id int)");
              } catch (SQLException e) {
                throw new CompletionException(e);
              }
            });
    // The queue polls and reloads itself: no navigation here.
    WebElement card =
        browser
            .waiting(Duration.ofSeconds(40))
            .until(
                d ->
                    d.findElements(By.cssSelector("article.request")).stream()
                        .filter(a -> a.getText().contains(table))
                        .findFirst()
                        .orElse(null));
    assertThat(card.getText())
        .contains("etl-nightly", "workload", "shop/etl-jobs", "refs/heads/main")
        .contains("etl-nightly-destructive-needs-approval")
        .containsPattern("\\(in \\d+m \\d\\ds\\)");
    assertThat(held).isNotDone();
    page("approvals");

    // By keyboard: the decision needs no mouse.
    card.findElement(By.cssSelector("button.approve")).sendKeys(Keys.ENTER);
    browser.waiting(Duration.ofSeconds(10)).until(d -> browser.text().contains("is now approved"));
    held.get(30, TimeUnit.SECONDS);
    try (Connection admin = TestPostgres.get().connectAsAdmin(TestPostgres.SHOP);
        Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
      rs.next();
      assertThat(rs.getBoolean(1)).as("the approved statement ran").isTrue();
    }
    assertThat(browser.text()).contains("History").contains("approved");

    // The statement, complete, as the audit trail has it, with its approval chain.
    browser.open(base + "/audit?text=" + URLEncoder.encode(table, StandardCharsets.UTF_8));
    browser.driver().findElement(By.cssSelector("table.records tbody tr a")).click();
    String detail = browser.text();
    assertThat(detail).contains(table, "Approval chain", "requested", "approved", "dba");
    page("audit-record-approval");
  }

  @Test
  @Order(2)
  void analystIsRefusedTheApprovalsPage() throws Exception {
    signIn("analyst", "[\"analysts\"]");
    browser.open(base + "/approvals");
    assertThat(browser.text()).contains("you approve nothing under the policy");
    assertThat(browser.driver().findElements(By.linkText("Approvals"))).isEmpty();
    assertThat(status(base + "/approvals")).isEqualTo(403);
    // The first Tab reaches the skip link, which is shown when focused.
    new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
    WebElement focused = browser.driver().switchTo().activeElement();
    assertThat(focused.getText()).isEqualTo("Skip to content");
    assertThat(focused.isDisplayed()).isTrue();
    page("approvals-refused");
  }

  @Test
  @Order(3)
  void theAuditShowsTheMaskNeverTheValue() throws Exception {
    List<String> clear = new ArrayList<>();
    try (Connection admin = TestPostgres.get().connectAsAdmin(TestPostgres.SHOP);
        Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT email, ssn FROM app.customers ORDER BY id LIMIT 3")) {
      while (rs.next()) {
        clear.add(rs.getString(1));
        clear.add(rs.getString(2));
      }
    }
    try (Connection c = wire("analyst");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT email, ssn FROM app.customers ORDER BY id LIMIT 3")) {
      while (rs.next()) {
        assertThat(clear).doesNotContain(rs.getString(1), rs.getString(2));
      }
    }
    signIn("dba", "[\"dba\"]");
    browser.open(base + "/audit?masked-column=app.customers.email&subject=analyst");
    assertThat(browser.text()).contains("app.customers.email");
    page("audit-search");
    browser.driver().findElement(By.cssSelector("table.records tbody tr a")).click();
    String detail = browser.driver().getPageSource();
    assertThat(browser.text()).contains("Masked columns", "app.customers.email", "customers-email");
    for (String value : clear) {
      assertThat(detail).doesNotContain(value);
    }
    page("audit-record-masked");

    String csv = get(base + "/audit/export?format=csv&masked-column=app.customers.email").body();
    assertThat(csv).startsWith("id,at,").contains("app.customers.email", "analyst");
    for (String value : clear) {
      assertThat(csv).doesNotContain(value);
    }
    browser.open(base + "/audit/verify");
    assertThat(browser.text()).contains("Audit trail intact", "quickstart", "intact");
    page("audit-chains");
  }

  @Test
  @Order(4)
  void theReviewDrawsItsCharts() throws Exception {
    signIn("dba", "[\"dba\"]");
    browser.open(base + "/review?since=1d");
    WebElement chart = browser.driver().findElement(By.cssSelector("#over-time svg"));
    assertThat(chart.findElements(By.tagName("polyline"))).isNotEmpty();
    assertThat(chart.getSize().getHeight()).isGreaterThan(100);
    assertThat(browser.text())
        .contains("analyst", "etl-nightly", "Unused grants", "Denials per identity");
    page("review");
  }

  @Test
  @Order(5)
  void whyExplainsTheMaskPlanWithoutRunningAnything() throws Exception {
    signIn("analyst", "[\"analysts\"]");
    browser.open(base + "/why");
    browser.driver().findElement(By.id("sql")).sendKeys("SELECT email, ssn FROM app.customers");
    browser.driver().findElement(By.cssSelector("form.why button[type=submit]")).click();
    String text = browser.text();
    assertThat(text)
        .contains("decision:    ALLOW", "analysts-read", "masked by rule `customers-email`");
    page("why");
  }

  @Test
  @Order(6)
  void formsWithoutTheSessionTokenAreRefused() throws Exception {
    signIn("dba", "[\"dba\"]");
    String cookie = cookie();
    HttpResponse<String> forged =
        send(
            HttpRequest.newBuilder(
                    URI.create(base + "/approvals/" + UUID.randomUUID() + "/approve"))
                .header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=guess"))
                .build());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("the form is stale");
    HttpResponse<String> home = get(base);
    assertThat(home.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'self'")
        .doesNotContain("unsafe-inline");
    browser.driver().findElement(By.cssSelector(".who button")).click();
    assertThat(browser.text()).contains("Sign in");
    assertThat(status(base + "/audit")).as("signed out").isEqualTo(303);
  }

  private static void signIn(String subject, String groups) throws Exception {
    browser.driver().manage().deleteAllCookies();
    browser.open(base);
    if (!signInShown) {
      page("sign-in");
      signInShown = true;
    }
    browser.driver().findElement(By.linkText("Sign in")).click();
    browser
        .waiting(Duration.ofSeconds(10))
        .until(d -> !d.findElements(By.name("username")).isEmpty());
    browser.driver().findElement(By.name("username")).sendKeys(subject);
    browser.driver().findElement(By.name("claims")).sendKeys("{\"groups\": " + groups + "}");
    browser.driver().findElement(By.cssSelector("input[type=submit]")).click();
    try {
      browser
          .waiting(Duration.ofSeconds(10))
          .until(
              d ->
                  d.findElements(By.cssSelector(".who strong")).stream()
                      .anyMatch(e -> e.getText().equals(subject)));
    } catch (org.openqa.selenium.TimeoutException e) {
      browser.shot("failed-sign-in");
      throw new AssertionError(
          "not signed in at "
              + browser.driver().getCurrentUrl()
              + ": "
              + browser.driver().getPageSource(),
          e);
    }
  }

  /** Photographs the page and checks it with axe-core: no serious or critical violation. */
  private static void page(String name) throws Exception {
    browser.shot(name);
    assertThat(browser.seriousViolations()).as("axe on " + name).isEmpty();
  }

  private static Connection wire(String principal) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", principal);
    p.setProperty("password", qs.running().tokens().get(principal));
    p.setProperty("sslmode", "disable");
    p.setProperty("preferQueryMode", "simple");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + qs.running().wirePort() + "/shop", p);
  }

  private static String cookie() {
    var c = browser.driver().manage().getCookieNamed("gatehouse_console");
    return c == null ? "" : "gatehouse_console=" + c.getValue();
  }

  private static int status(String url) throws Exception {
    return get(url).statusCode();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie()).build());
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }
}
