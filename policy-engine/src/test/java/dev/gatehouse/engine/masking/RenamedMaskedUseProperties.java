package dev.gatehouse.engine.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.masking.catalog.RelationInfo;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * A masked column renamed and wrapped at random (by views and views of views, subqueries, CTEs,
 * LATERAL, set operations, functions and casts) and then used where it shapes the result (a filter,
 * a join, an ordering, a grouping, a row count) is refused, exactly as the column under its own
 * name is; the same statement over an unmasked column, and a lookup, are allowed. The analysis goes
 * through {@link CatalogLineage}, as the gate does it, over a catalog with renaming views.
 */
class RenamedMaskedUseProperties {

  private static final PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer();
  private static final TableRef CUSTOMERS = TableRef.of("app.customers");
  private static final FakeCatalog catalog = catalogWithRenamingViews();

  /** {masked column, unmasked column} pairs in the same relation, each shape of rename. */
  private static final List<String[]> COLUMNS =
      List.of(
          new String[] {"x", "k"}, // app.v_rename: ssn AS x, id AS k
          new String[] {"w", "j"}, // app.v_of_view: x AS w, k AS j (a view over the view)
          new String[] {"y", "k"}, // app.v_rename: upper(card_number) AS y
          new String[] {"z", "k"}); // app.v_rename: email AS z

  private static final List<String> FROM =
      List.of(
          "app.v_rename",
          "app.v_of_view",
          "(SELECT * FROM app.v_rename) s",
          "(SELECT %1$s AS m, %2$s AS u FROM app.v_rename) s",
          "(SELECT %1$s, %2$s FROM app.v_of_view UNION ALL SELECT 'a', 0) s(m, u)",
          "app.customers c, LATERAL (SELECT %1$s AS m, %2$s AS u FROM app.v_rename) s",
          "(WITH q AS (SELECT * FROM app.v_of_view) SELECT %1$s AS m, %2$s AS u FROM q) s");

  private static final List<String> WRAPPERS =
      List.of(
          "%s",
          "upper(%s::text)",
          "substr(%s::text, 1, 1)",
          "coalesce(%s::text, '')",
          "(%s)::text || ''",
          "reverse(%s::text)",
          "md5(%s::text)",
          "CASE WHEN true THEN %s::text END",
          "(SELECT %s)",
          "to_jsonb(%s)::text",
          "ARRAY[%s::text]::text");

  /** Where a value is used: each shapes which, how many or in what order rows come back. */
  private static final List<String> USES =
      List.of(
          "SELECT 1 FROM %1$s WHERE %2$s > 'a'",
          "SELECT 1 FROM %1$s WHERE %2$s LIKE '2%%'",
          "SELECT 1 FROM %1$s ORDER BY %2$s LIMIT 1",
          "SELECT count(*) FROM %1$s GROUP BY %2$s",
          "SELECT 1 FROM %1$s, generate_series(1, ascii(%2$s::text)) g",
          "SELECT 1 FROM %1$s JOIN app.payments p ON %2$s::text = p.status",
          "SELECT row_number() OVER (ORDER BY %2$s) FROM %1$s",
          "SELECT DISTINCT ON (%2$s) 1 FROM %1$s",
          "SELECT 1 FROM %1$s WHERE EXISTS (SELECT 1 WHERE %2$s::text < 'm')",
          "SELECT count(*) FILTER (WHERE %2$s::text > 'a') FROM %1$s");

  @AfterContainer
  static void close() {
    analyzer.close();
  }

  @Property(tries = 400)
  void aRenamedMaskedColumnIsAMaskedUse(@ForAll("uses") Case c) {
    Analysis analysis = resolved(c.masked());
    if (analysis == null) {
      return; // unparsable: refused by every policy
    }
    assertThat(MaskedDataUse.check(analysis, ReferenceMasking.UNCLEARED))
        .as(c.masked())
        .isNotNull()
        .extracting(MaskedDataUse.Refusal::ruleId)
        .isEqualTo(MaskedDataUse.INFERENCE);
  }

  @Property(tries = 200)
  void theSameUseOfAnUnmaskedColumnIsAllowed(@ForAll("uses") Case c) {
    Analysis analysis = resolved(c.unmasked());
    if (analysis == null) {
      return;
    }
    assertThat(MaskedDataUse.check(analysis, ReferenceMasking.UNCLEARED)).as(c.unmasked()).isNull();
  }

  @Property(tries = 100)
  void aLookupThroughARenamingViewStaysAllowed(@ForAll("columns") String[] pair) {
    String sql =
        "SELECT %2$s FROM app.v_rename WHERE %1$s = 'a' AND %1$s IN ($1, 'b')"
            .formatted(pair[0].equals("w") ? "x" : pair[0], "k");
    assertThat(MaskedDataUse.check(resolved(sql), ReferenceMasking.UNCLEARED)).as(sql).isNull();
  }

  /** Without the catalog the renamed column is invisible: what the property guards against. */
  @Property(tries = 50)
  void withoutTheCatalogTheViewRenameWouldEscape(@ForAll("columns") String[] pair) {
    String sql =
        "SELECT 1 FROM app.v_rename WHERE " + (pair[0].equals("w") ? "x" : pair[0]) + " > 'a'";
    Analysis plain = analyzer.analyze(sql, AnalysisContext.DEFAULT);
    assertThat(MaskedDataUse.check(plain, ReferenceMasking.UNCLEARED)).as(sql).isNull();
    assertThat(MaskedDataUse.check(resolved(sql), ReferenceMasking.UNCLEARED)).as(sql).isNotNull();
  }

  record Case(String masked, String unmasked) {}

  @Provide
  Arbitrary<String[]> columns() {
    return Arbitraries.of(COLUMNS);
  }

  @Provide
  Arbitrary<Case> uses() {
    return Combinators.combine(
            Arbitraries.of(COLUMNS),
            Arbitraries.of(FROM),
            Arbitraries.of(WRAPPERS).list().ofMinSize(1).ofMaxSize(3),
            Arbitraries.of(USES))
        .as(
            (pair, from, wrappers, use) ->
                new Case(
                    statement(pair[0], pair[1], from, wrappers, use, true),
                    statement(pair[0], pair[1], from, wrappers, use, false)));
  }

  private static String statement(
      String masked, String unmasked, String from, List<String> wrappers, String use, boolean m) {
    boolean renamedAgain = from.contains("%1$s");
    // the view of the view exposes w and j; the others expose x, y, z and k
    String viewMasked = from.contains("v_of_view") ? "w" : masked.equals("w") ? "x" : masked;
    String viewUnmasked = from.contains("v_of_view") ? "j" : "k";
    String fromText = renamedAgain ? from.formatted(viewMasked, viewUnmasked) : from;
    String e = renamedAgain ? (m ? "m" : "u") : (m ? viewMasked : viewUnmasked);
    for (String w : wrappers) {
      e = w.formatted(e);
    }
    return use.formatted(fromText, e);
  }

  private static Analysis resolved(String sql) {
    Analysis analysis = analyzer.analyze(sql, AnalysisContext.DEFAULT);
    boolean unparsed =
        analysis.riskFlags().contains(RiskFlag.PARSE_FAILURE)
            || analysis.riskFlags().contains(RiskFlag.PARSE_TIMEOUT);
    Statistics.label("parsed").collect(!unparsed);
    return unparsed ? null : CatalogLineage.expand(analysis, catalog, "shop");
  }

  private static FakeCatalog catalogWithRenamingViews() {
    FakeCatalog c = new FakeCatalog();
    TableRef rename = TableRef.of("app.v_rename");
    c.add(
        new RelationInfo(
            16501,
            rename,
            'v',
            List.of("k", "x", "y", "z"),
            Map.of(
                "k", column("k", new ColumnRef(CUSTOMERS, "id")),
                "x", column("x", new ColumnRef(CUSTOMERS, "ssn")),
                "y", column("y", new ColumnRef(CUSTOMERS, "card_number")),
                "z", column("z", new ColumnRef(CUSTOMERS, "email"))),
            Set.of("k", "x", "z")));
    c.add(
        new RelationInfo(
            16502,
            TableRef.of("app.v_of_view"),
            'v',
            List.of("j", "w"),
            Map.of(
                "j", column("j", new ColumnRef(rename, "k")),
                "w", column("w", new ColumnRef(rename, "x"))),
            Set.of("j", "w")));
    return c;
  }

  private static OutputColumn column(String name, ColumnRef source) {
    return new OutputColumn(name, Set.of(source), false);
  }
}
