package dev.gatehouse.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An approval card shows the counted rows of a write held by its row bound, and only then. */
class BlastRadiusCardTest {

  private static ApprovalRequest request(List<String> rules, String reasons) {
    return new ApprovalRequest(
        UUID.randomUUID(),
        ApprovalState.PENDING,
        "https://issuer",
        "etl-nightly",
        Map.of(),
        "shop",
        "DELETE FROM app.orders WHERE id > 0",
        List.of(),
        rules,
        reasons,
        Instant.now(),
        Instant.now().plusSeconds(600),
        null,
        null,
        null);
  }

  @Test
  void aRowBoundHoldShowsTheCount() {
    String html =
        ApprovalCards.blastRadius(
            request(
                List.of("etl-nightly-write", "max-rows-affected"),
                "would delete 5,000 rows of app.orders; the grant allows at most 100 without"
                    + " approval"));
    assertThat(html).contains("would delete 5,000 rows of app.orders").doesNotContain("grant");
  }

  @Test
  void aRuleHoldSaysNothingWasCounted() {
    String html =
        ApprovalCards.blastRadius(
            request(List.of("etl-nightly-destructive-needs-approval"), "DROP needs a dba"));
    assertThat(html).contains("not counted").doesNotContain("would");
  }

  @Test
  void theCountIsEscaped() {
    String html =
        ApprovalCards.blastRadius(
            request(List.of("max-rows-affected"), "would update 3 rows of app.\"<b>x\"; rest"));
    assertThat(html).doesNotContain("<b>x").contains("&lt;b&gt;");
  }

  /** Red-team round 38: an uncountable write's card said it was held by rule, not by its rows. */
  @Test
  void anUncountableWriteSaysTheApprovalLiftsTheBound() {
    String html =
        ApprovalCards.blastRadius(
            request(
                List.of("etl-nightly-read-write", "max-rows-affected"),
                "the rows `NOTIFY` changes cannot be counted (it gives no row count); under a bound"
                    + " of 100 rows such a write needs approval; approved, the whole message runs"
                    + " once without the bound, writing app.payments"));
    assertThat(html)
        .contains("could not be counted")
        .contains("without the row bound")
        .doesNotContain("held by rule");
  }

  @Test
  void aCountOnlyCountsAtTheStartOfTheReasons() {
    String html =
        ApprovalCards.blastRadius(
            request(
                List.of("max-rows-affected"),
                "the rows `x` changes cannot be counted; note: would update 1 rows of app.t"));
    assertThat(html).contains("could not be counted").doesNotContain("would update");
  }
}
