package dev.gatehouse.engine.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Functions, set-returning functions, subqueries, CTEs, LATERAL and table functions composed at
 * random over masked columns: no output column may come out without a masked source (unless the
 * statement cannot be parsed, which policy denies).
 */
class MaskedLineageProperties {

  private static final PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer();
  private static final MaskedColumns masked = MaskedColumns.of(ReferenceMasking.UNCLEARED.rules());

  private static final List<String> MASKED =
      List.of("c.ssn", "c.email", "c.card_number", "c.phone", "c", "c::text", "c.*::text");

  private static final List<String> WRAPPERS =
      List.of(
          "upper(%s::text)",
          "md5(%s::text)",
          "%s::text || 'x'",
          "substr(%s::text, 1, 3)",
          "coalesce(%s::text, '')",
          "app.f(%s)",
          "unknown_fn(%s)",
          "reverse(%s::text)",
          "CASE WHEN c.id > 0 THEN %s::text END",
          "format('%%s', %s)",
          "(SELECT %s)",
          "to_json(%s)::text",
          "array_to_string(ARRAY[%s::text], ',')",
          "encode(convert_to(%s::text, 'UTF8'), 'base64')",
          "string_agg(%s::text, ',')",
          "(%s)::text COLLATE \"C\"",
          "regexp_replace(%s::text, '-', '', 'g')",
          "jsonb_build_object('k', %s)->>'k'",
          "xmlelement(name x, %s)::text",
          "row(%s)::text",
          "overlay(%s::text placing 'x' from 1 for 1)",
          "translate(%s::text, '0123456789', 'abcdefghij')",
          "lag(%s::text) OVER (ORDER BY c.id)",
          "max(%s::text) FILTER (WHERE c.id > 0)");

  private static final List<String> RELATIONS =
      List.of(
          "(SELECT %s AS v FROM app.customers c) r",
          "app.customers c, LATERAL (SELECT %s AS v) r",
          "app.customers c, ROWS FROM (upper(%s::text)) r(v)",
          "app.customers c, ROWS FROM (upper(%s::text), generate_series(1, 2)) r(v, n)",
          "app.customers c, unnest(ARRAY[%s::text]) r(v)",
          "app.customers c, xmltable('/r' PASSING xmlelement(name r, %s) COLUMNS v text PATH '.') r",
          "app.customers c, regexp_split_to_table(%s::text, '-') r(v)",
          "app.customers c, jsonb_to_record(jsonb_build_object('v', %s)) r(v text)",
          "app.customers c, app.srf(%s) r(v)",
          "app.customers c, LATERAL app.srf(%s) r",
          "(SELECT %s AS v FROM app.customers c UNION ALL SELECT 'x') r",
          "(SELECT 'x' AS v UNION SELECT %s FROM app.customers c) r",
          "(SELECT * FROM (SELECT %s AS v FROM app.customers c) i) r",
          "app.customers c JOIN LATERAL (VALUES (%s)) r(v) ON true");

  private static final List<String> SHAPES =
      List.of(
          "SELECT %2$s FROM %1$s",
          "SELECT q.w FROM (SELECT %2$s AS w FROM %1$s) q",
          "WITH q AS (SELECT %2$s AS w FROM %1$s) SELECT w FROM q",
          "WITH q(w) AS (SELECT %2$s FROM %1$s) SELECT * FROM q",
          "SELECT (SELECT %2$s FROM %1$s LIMIT 1)",
          "SELECT %2$s FROM %1$s ORDER BY 1",
          "SELECT x FROM (SELECT %2$s FROM %1$s) AS t(x)");

  /** Most generated statements must parse, or the property would check little. */
  @Property(tries = 200)
  void mostParse(@ForAll("statements") String sql) {
    Statistics.label("parsed")
        .collect(
            !analyzer
                .analyze(sql, AnalysisContext.DEFAULT)
                .riskFlags()
                .contains(RiskFlag.PARSE_FAILURE))
        .coverage(c -> c.check(true).percentage(p -> p > 60));
  }

  @AfterContainer
  static void close() {
    analyzer.close();
  }

  @Provide
  Arbitrary<String> statements() {
    Arbitrary<String> inner = wrapped(Arbitraries.of(MASKED));
    Arbitrary<String> relation =
        Combinators.combine(Arbitraries.of(RELATIONS), inner).as(String::formatted);
    Arbitrary<String> outer = wrapped(Arbitraries.of("r.v", "r", "v"));
    return Combinators.combine(Arbitraries.of(SHAPES), relation, outer).as(String::formatted);
  }

  private static Arbitrary<String> wrapped(Arbitrary<String> base) {
    return Combinators.combine(base, Arbitraries.of(WRAPPERS).list().ofMaxSize(3))
        .as(
            (b, ws) -> {
              String e = b;
              for (String w : ws) {
                e = w.formatted(e);
              }
              return e;
            });
  }

  @Property(tries = 400)
  void nothingComesOutClear(@ForAll("statements") String sql) {
    Analysis analysis = analyzer.analyze(sql, AnalysisContext.DEFAULT);
    StatementInfo s = analysis.statements().getFirst();
    boolean unparsed =
        s.riskFlags().contains(RiskFlag.PARSE_FAILURE)
            || s.riskFlags().contains(RiskFlag.PARSE_TIMEOUT);
    Statistics.label("parsed").collect(!unparsed);
    if (unparsed) {
      return; // denied by every policy
    }
    assertThat(s.outputColumns()).as(sql).isNotEmpty();
    for (OutputColumn c : s.outputColumns()) {
      assertThat(masked.first(c.sources())).as(sql + "\n  column " + c).isNotNull();
    }
  }
}
