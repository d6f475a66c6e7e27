package dev.gatehouse.mcp.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.mcp.exec.QueryResult;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Truncation notes name the limit that cut; error positions name the line, column and token. */
class ResultNotesTest {

  private static final McpServerConfig CONFIG =
      McpServerConfig.builder("app", List.of(URI.create("https://idp.example.com")))
          .maxRows(1000)
          .defaultRows(100)
          .maxCellChars(10_000)
          .build();

  private static QueryResult cut(boolean rows, boolean cells) {
    return new QueryResult(
        List.of(new QueryResult.Column("n", "integer", false)),
        List.of(List.of("1")),
        1,
        rows,
        cells,
        List.of(),
        Duration.ZERO);
  }

  private static Obligations rowLimit(long rows) {
    return new Obligations(null, true, rows, null, MaskingPolicy.NONE);
  }

  @Test
  void eachLimitIsNamedAndOnlyTheCallersOwnIsOfferedToRaise() {
    assertThat(Truncation.note(cut(false, false), 100, null, CONFIG, Obligations.NONE)).isNull();
    assertThat(Truncation.note(cut(true, false), 100, null, CONFIG, Obligations.NONE))
        .contains("first 100 rows")
        .contains("`default-rows`")
        .contains("`max_rows` up to 1000");
    assertThat(Truncation.note(cut(true, false), 10, 10, CONFIG, Obligations.NONE))
        .contains("you asked for with `max_rows`")
        .contains("up to 1000");
    assertThat(Truncation.note(cut(true, false), 1000, 1000, CONFIG, Obligations.NONE))
        .contains("you asked for")
        .doesNotContain("up to");
    assertThat(Truncation.note(cut(true, false), 50, 500, CONFIG, rowLimit(50)))
        .contains("the policy sets for you")
        .doesNotContain("`max_rows` up to");
    String cells = Truncation.note(cut(false, true), 100, null, CONFIG, Obligations.NONE);
    assertThat(cells)
        .contains("longer than 10000 characters")
        .contains("`max-cell-chars`")
        .doesNotContain("max_rows")
        .doesNotContain("rows were returned");
  }

  @Test
  void theRenderingCarriesTheNoteOutsideTheBoundary() {
    String text = TextRendering.table(cut(true, false), "SELECT", "only the first 1 rows");
    assertThat(text).endsWith("(1 row; truncated: only the first 1 rows)");
  }

  @Test
  void positionsBecomeLineColumnAndToken() {
    String sql = "SELECT id,\n  emali FROM app.customers";
    assertThat(ErrorPosition.at(sql, 14)).isEqualTo(" (at line 2, column 3, near `emali`)");
    assertThat(ErrorPosition.at("SELECT 1 +", 11))
        .isEqualTo(" (at line 1, column 11, at the end of the statement)");
    assertThat(ErrorPosition.at("SELEC 1", 1)).isEqualTo(" (at line 1, column 1, near `SELEC`)");
    assertThat(ErrorPosition.at("SELECT é, )", 11)).isEqualTo(" (at line 1, column 11, near `)`)");
    assertThat(ErrorPosition.at("SELECT 1", 0)).isEmpty();
    assertThat(ErrorPosition.at("SELECT 1", 99)).isEmpty();
  }
}
