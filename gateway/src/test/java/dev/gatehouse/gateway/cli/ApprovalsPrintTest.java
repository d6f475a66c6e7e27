package dev.gatehouse.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalParams;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `approvals show` prints the parameters the approval is bound to, and says when they are hashed.
 */
class ApprovalsPrintTest {

  private static String show(List<String> params) {
    return show("UPDATE app.orders SET note = $1 WHERE id > $2", params);
  }

  private static String show(String sql, List<String> params) {
    ApprovalsCommand.Client client = new ApprovalsCommand.Client();
    client.format = "text";
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("id", "1");
    request.put("sql", sql);
    request.put("params", params);
    StringWriter out = new StringWriter();
    client.print(new PrintWriter(out, true), request);
    return out.toString();
  }

  @Test
  void clearParametersAreShown() {
    assertThat(show(List.of("late", "0")))
        .contains("params:    $1 = late")
        .contains("$2 = 0")
        .doesNotContain("keyed hashes");
  }

  @Test
  void hashedParametersCarryTheNote() {
    assertThat(show(List.of("hmac:0a1b", "NULL")))
        .contains("$1 = hmac:0a1b")
        .contains(ApprovalParams.NOTE);
  }

  @Test
  void nothingAClientWroteActsOnTheTerminal() {
    // Red-team round 37 (R37-6): an escape sequence and a carriage return in a comment made the
    // terminal show `NOTIFY` alone, where an UPDATE of every row was to be approved.
    String sql =
        "NOTIFY rt37; UPDATE app.payments SET status = status WHERE id > 0 /*\u001b[2K\r"
            + "sql:       NOTIFY rt37 -- nightly run */";
    String shown = show(sql, List.of("a\u202Eb"));
    assertThat(shown)
        .doesNotContain("\u001b")
        .doesNotContain("\r")
        .doesNotContain("\u202E")
        .contains("UPDATE app.payments SET status = status WHERE id > 0 /*[U+001B][2K[U+000D]sql:")
        .contains("$1 = a[U+202E]b");
  }

  @Test
  void aLineBreakInTheSqlIsIndentedUnderIt() {
    String shown = show("SELECT 1;\nrules:     [none]", List.of());
    assertThat(shown).contains("sql:       SELECT 1;\n           rules:     [none]");
    assertThat(shown.lines().filter(l -> l.startsWith("rules:"))).hasSize(1);
  }

  /** Red-team round 38: a listed request read as its leading SELECT; the UPDATE was cut off. */
  @Test
  void theListNamesTheRulesAndEveryKindOfStatementAndSaysTheSqlIsCut() {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("id", "7");
    request.put("requesterSubject", "etl-nightly");
    request.put("database", "app");
    request.put("expiresAt", "2026-12-07T03:00:00Z");
    request.put("ruleIds", List.of("etl-nightly-read-write", "max-rows-affected"));
    request.put(
        "sql",
        "SELECT count(*) FROM app.payments /* nightly reconciliation: read-only check */; "
            + "UPDATE app.payments SET status = status");
    StringWriter out = new StringWriter();
    ApprovalsCommand.table(List.of(request), new PrintWriter(out, true));
    String row = out.toString().lines().filter(l -> l.startsWith("7 ")).findFirst().orElseThrow();
    assertThat(row)
        .contains("etl-nightly-read-write,max-rows-affected")
        .contains("2: SELECT; UPDATE");
    assertThat(out.toString()).contains("gatehouse approvals show <id>");
  }

  @Test
  void statementsAreCountedAsTheEngineSplitsThem() {
    assertThat(Tables.statements("SELECT 1")).isEqualTo("SELECT");
    assertThat(Tables.statements("select $$;$$; select 2; update t set a = 1; select 3"))
        .isEqualTo("4: SELECT; UPDATE");
    assertThat(Tables.statements("SELECT 1; -- x\rDELETE FROM t")).isEqualTo("2: SELECT; DELETE");
    assertThat(Tables.statements("SELECT 'open")).isEqualTo("(cannot be split)");
    assertThat(Tables.statements("WITH x AS (UPDATE t SET a = 1 RETURNING 1) SELECT * FROM x"))
        .isEqualTo("WITH UPDATE");
  }
}
