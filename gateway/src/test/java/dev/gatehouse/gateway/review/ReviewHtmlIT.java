package dev.gatehouse.gateway.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review's HTML rendered by headless Chromium: a screenshot that shows the page styled (the
 * flags' colours are on it, which browser-default tables never draw). With {@code
 * -Dgatehouse.review.docs=true} it also refreshes {@code docs/review-example.html} and {@code
 * .png}.
 */
class ReviewHtmlIT {

  @TempDir Path dir;

  static AccessReview example() {
    Instant from = Instant.parse("2026-11-05T00:00:00Z");
    Instant to = Instant.parse("2026-12-05T00:00:00Z");
    String iss = "https://idp.example.com";
    var none = ReviewDetails.Approvals.NONE;
    List<AccessReview.Row> rows =
        List.of(
            new AccessReview.Row(
                "analyst",
                iss,
                from.plusSeconds(3600),
                to.minusSeconds(7200),
                412,
                Map.of("READ", 410L, "SESSION", 2L),
                Set.of("app.customers", "app.orders"),
                Set.of("pg_catalog.pg_authid"),
                18_204,
                List.of("app.customers.email", "app.customers.ssn"),
                1,
                none),
            new AccessReview.Row(
                "contractor",
                iss,
                from.plusSeconds(86_400),
                from.plusSeconds(90_000),
                9,
                Map.of("READ", 9L),
                Set.of(),
                Set.of("app.customers", "app.orders"),
                0,
                List.of(),
                9,
                none),
            new AccessReview.Row(
                "dba",
                "",
                null,
                null,
                0,
                Map.of(),
                Set.of(),
                Set.of(),
                0,
                List.of(),
                0,
                new ReviewDetails.Approvals(0, 0, 0, 1, 1)),
            new AccessReview.Row(
                "etl-nightly",
                iss,
                from.plusSeconds(7200),
                to.minusSeconds(3600),
                3_120,
                Map.of("READ", 1_550L, "WRITE", 1_568L, "DDL", 2L),
                Set.of("app.orders", "app.payments"),
                Set.of(),
                1_550,
                List.of(),
                0,
                new ReviewDetails.Approvals(2, 1, 1, 0, 0)));
    Instant lastSeen = from.minusSeconds(86_400 * 12);
    List<AccessReview.Idle> idle = List.of(new AccessReview.Idle(iss, "support-lead", lastSeen));
    List<String> flags =
        List.of(
            "`analyst` reached for a credential catalog: pg_catalog.pg_authid (denied)",
            "`analyst` was denied 1 statement",
            "`contractor` was denied 9 statements, and nothing was allowed",
            "`support-lead` has no activity in the period; last seen " + lastSeen);
    return new AccessReview(from, to, "3f9c2a7d41be0c55e8a1", rows, idle, List.of(), flags);
  }

  @Test
  void chromiumRendersTheReviewStyled() throws Exception {
    File chromium = new File("/usr/bin/chromium");
    assertThat(chromium)
        .as("headless Chromium (apt-get install -y chromium; .ci/run installs it)")
        .exists();
    Path html =
        Files.writeString(
            dir.resolve("review.html"), ReviewFormats.html(example()), StandardCharsets.UTF_8);
    Path png = dir.resolve("review.png");
    Process p =
        new ProcessBuilder(
                chromium.getPath(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + dir.resolve("profile"),
                "--window-size=1600,900",
                "--screenshot=" + png,
                html.toUri().toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
    assertThat(png).as(out).exists();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1600);
    assertThat(countNear(image, 0xc2410c)).as("the flags' orange border").isGreaterThan(50);
    assertThat(countNear(image, 0xfff7ed)).as("the flags' background").isGreaterThan(1000);
    if (Boolean.getBoolean("gatehouse.review.docs")) {
      Path docs = Path.of("..", "docs");
      Files.copy(html, docs.resolve("review-example.html"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(png, docs.resolve("review-example.png"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void theCheckedInExampleIsThisReport() throws Exception {
    assertThat(Path.of("..", "docs", "review-example.html"))
        .content()
        .isEqualTo(ReviewFormats.html(example()));
    assertThat(Path.of("..", "docs", "review-example.png")).exists();
  }

  private static long countNear(BufferedImage image, int rgb) {
    long n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int c = image.getRGB(x, y);
        if (Math.abs(((c >> 16) & 0xff) - ((rgb >> 16) & 0xff)) < 6
            && Math.abs(((c >> 8) & 0xff) - ((rgb >> 8) & 0xff)) < 6
            && Math.abs((c & 0xff) - (rgb & 0xff)) < 6) {
          n++;
        }
      }
    }
    return n;
  }
}
