package dev.gatehouse.engine.sql.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.testkit.CorpusCase;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every {@code masked} case of the corpus: each sensitive output column has its true source. */
class LineageCorpusTest {

  /**
   * For each case, per output column, a source that lineage must find ({@code null}: the column
   * must instead be opaque, because the value comes from a function lineage cannot see into).
   */
  private static final Map<String, List<String>> EXPECTED =
      Map.ofEntries(
          Map.entry(
              "mask-plain",
              List.of("app.customers.email", "app.customers.ssn", "app.customers.card_number")),
          Map.entry("mask-star", List.of("app.customers.*")),
          Map.entry("mask-table", List.of("app.customers.*")),
          Map.entry("mask-alias", List.of("app.customers.email")),
          Map.entry("mask-upper", List.of("app.customers.email")),
          Map.entry("mask-concat-op", List.of("app.customers.ssn")),
          Map.entry("mask-concat-fn", List.of("app.customers.card_number")),
          Map.entry(
              "mask-split", List.of("app.customers.card_number", "app.customers.card_number")),
          Map.entry("mask-row-text", List.of("app.customers.*")),
          Map.entry("mask-row-to-json", List.of("app.customers.*")),
          Map.entry("mask-to-jsonb", List.of("app.customers.*")),
          Map.entry("mask-json-agg", List.of("app.customers.*")),
          Map.entry("mask-whole-row", List.of("app.customers.*")),
          Map.entry("mask-string-agg", List.of("app.customers.ssn")),
          Map.entry("mask-array-agg", List.of("app.payments.card_number")),
          Map.entry("mask-cte-rename", List.of("app.customers.ssn")),
          Map.entry("mask-subquery-rename", List.of("app.customers.ssn")),
          Map.entry("mask-view", List.of("app.customer_contacts.email")),
          Map.entry("mask-base64", List.of("app.customers.ssn")),
          Map.entry("mask-md5", List.of("app.customers.ssn")),
          Map.entry("mask-reverse", List.of("app.payments.card_number")),
          // red-team round 12: É and é are two names (PostgreSQL folds A to Z only)
          Map.entry("rt12-non-ascii-alias-ssn", List.of("app.customers.ssn")),
          Map.entry("rt12-non-ascii-alias-card", List.of("app.customers.card_number")),
          // red-team round 13: names cut to 63 bytes, as PostgreSQL keeps them
          Map.entry("rt13-fold-truncate-63-column", List.of("app.customers.ssn")),
          Map.entry("rt13-fold-truncate-63-multibyte", List.of("app.customers.ssn")),
          Map.entry("rt13-fold-truncate-63-cte", List.of("app.customers.ssn")),
          Map.entry("rt13-fold-truncate-63-table-alias", List.of("app.customers.ssn")),
          Map.entry("mask-union", List.of("app.customers.ssn")),
          Map.entry("mask-translate", List.of("app.customers.ssn")),
          Map.entry("mask-format", List.of("app.customers.email")),
          Map.entry("mask-correlated", List.of("app.customers.email")),
          Map.entry("mask-lateral", List.of("app.customers.email")),
          Map.entry("mask-wrap", List.of("app.payments.card_number")),
          Map.entry("mask-regexp", List.of("app.customers.ssn")),
          Map.entry("lin-r60-plain-digest-in-subquery", List.of("app.customers.email")),
          Map.entry("r60-plain-case-in-derived", List.of("app.customers.email")),
          Map.entry("r61-replace-shrinks", List.of("app.customers.ssn")),
          Map.entry("lin-r61-replace-same-length", List.of("app.customers.phone")),
          Map.entry("lin-r63-concat-of-subqueries", List.of("app.customers.ssn")),
          Map.entry("mask-etl-too", List.of("app.customers.ssn")),
          Map.entry("mask-function", java.util.Collections.singletonList(null)),
          Map.entry("lin-opaque-tsvector", java.util.Collections.singletonList(null)),
          Map.entry("lin-opaque-varchar-cut", java.util.Collections.singletonList(null)),
          Map.entry("lin-opaque-char-cut", java.util.Collections.singletonList(null)),
          Map.entry("lin-opaque-cast-varchar-13", java.util.Collections.singletonList(null)),
          Map.entry("lin-opaque-name", java.util.Collections.singletonList(null)),
          Map.entry("lin-opaque-tsquery", java.util.Collections.singletonList(null)),
          Map.entry("lin-opaque-quoted-char", java.util.Collections.singletonList(null)),
          Map.entry("lin-opaque-character-varying-9", java.util.Collections.singletonList(null)),
          Map.entry("lin-opaque-cast-char-3", java.util.Collections.singletonList(null)),
          Map.entry("lin-opaque-text-then-varchar", java.util.Collections.singletonList(null)),
          Map.entry("lin-json-populate", List.of("app.customers.ssn")),
          Map.entry("lin-lateral-values", List.of("app.customers.ssn")),
          Map.entry("lin-string-agg-order", List.of("app.customers.ssn")),
          Map.entry("lin-array-agg-first", List.of("app.customers.ssn")),
          Map.entry("lin-count-distinct", List.of("app.customers.ssn")),
          Map.entry("lin-min-max", List.of("app.customers.ssn", "app.customers.card_number")),
          Map.entry("lin-percentile-disc", List.of("app.customers.ssn")),
          Map.entry("lin-md5-column", List.of("app.customers.id", "app.customers.ssn")),
          // SEARCH and CYCLE columns carry the searched values
          Map.entry("lin-cte-search-ordering", List.of("app.customers.id", "app.customers.ssn")),
          Map.entry("lin-cte-cycle-path", List.of("app.customers.id", "app.customers.ssn")),
          Map.entry("lin-cte-search-breadth-email", List.of("app.customers.email")),
          // a column list across a star: which column a name is only the catalog knows
          Map.entry("lin-star-rename-upper", List.of("app.customers.*")),
          Map.entry("lin-star-rename-cte-reverse", List.of("app.customers.*")),
          Map.entry("lin-star-rename-concat", List.of("app.customers.*")),
          Map.entry("lin-star-rename-after-column", List.of("app.customers.*")),
          Map.entry(
              "masked-columns-key-filter",
              List.of("app.customers.id", "app.customers.email", "app.customers.card_number")));

  static Stream<CorpusCase> maskedCases() {
    // a case that may also be denied (a computation that could fail on the value) keeps its
    // lineage expectation for when a policy lets it through
    return CorpusCase.all().stream()
        .filter(
            c ->
                c.expect().equals("masked")
                    || (c.expect().equals("deny_or_masked") && EXPECTED.containsKey(c.id())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("maskedCases")
  void findsTheSensitiveSource(CorpusCase c) throws Exception {
    assertThat(EXPECTED).as("expectation for %s", c.id()).containsKey(c.id());
    List<OutputColumn> columns =
        LineageResolver.outputColumns(CCJSqlParserUtil.parse(c.sql()), AnalysisContext.DEFAULT);
    List<String> expected = EXPECTED.get(c.id());
    assertThat(columns).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      OutputColumn column = columns.get(i);
      if (expected.get(i) == null) {
        assertThat(column.opaque()).as("%s column %d opaque", c.id(), i).isTrue();
      } else {
        assertThat(column.sources().stream().map(ColumnRef::qualified))
            .as("%s column %d", c.id(), i)
            .contains(expected.get(i));
        assertThat(column.opaque()).as("%s column %d opaque", c.id(), i).isFalse();
      }
    }
  }

  @Test
  void everyMaskedCaseHasAnExpectation() {
    assertThat(maskedCases().map(CorpusCase::id).toList())
        .containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
  }
}
