package dev.gatehouse.engine.sql;

import static dev.gatehouse.engine.sql.AnalyzerFixture.names;
import static dev.gatehouse.engine.sql.AnalyzerFixture.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.Names;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One name, one table: the relation policy judges (tables read) and the relation lineage (and so
 * masking) traces a column to are the same, for names the two used to place differently.
 */
class NameResolutionTest {

  @ParameterizedTest(name = "[{0}] {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // a quoted schema on the path keeps its case (lineage folded it to `app`)
        "'\"App\", public' | SELECT id FROM orders | App.orders",
        // pg_catalog on the path holds only catalog relations (both said pg_catalog.customers)
        "'pg_catalog, app' | SELECT id FROM customers | app.customers",
        "'information_schema, app' | SELECT id FROM customers | information_schema.customers",
        // a user table named pg_* is not a catalog relation (lineage said pg_catalog.pg_notes)
        "app | SELECT id FROM pg_notes | app.pg_notes",
        "app | SELECT relname FROM pg_class | pg_catalog.pg_class",
        // an explicit pg_temp is searched where it is listed
        "'pg_temp, app' | SELECT id FROM scratch | pg_temp.scratch",
        // a single-quoted entry keeps its case, an unquoted one folds
        "'''Mixed'', APP' | SELECT id FROM t | Mixed.t",
        "APP | SELECT id FROM t | app.t",
        // with no usable schema the name has none (lineage said public.t)
        "'\"$user\"' | SELECT id FROM t | t",
        // qualified names: quoted parts keep their case, unquoted ones fold
        "app | SELECT id FROM \"Sales\".Orders | Sales.orders",
        "app | SELECT id FROM SALES.\"Orders\" | sales.Orders",
      })
  void policyAndLineageResolveANameToTheSameTable(String path, String sql, String table) {
    AnalysisContext context = new AnalysisContext(Names.searchPath(path));
    StatementInfo s = one(sql, context);

    assertThat(names(s.tablesRead())).containsExactly(table);
    Set<String> traced = new TreeSet<>();
    s.outputColumns().forEach(c -> c.sources().forEach(r -> traced.add(r.table().qualified())));
    assertThat(traced).containsExactly(table);
  }

  /**
   * Red-team round 21: a statement after a SET (or RESET) of search_path in the same message runs
   * under the path it sets, and is judged under it.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "SET search_path = app; SELECT id FROM customers | app.customers",
        "SET LOCAL search_path TO 'app'; SELECT id FROM customers | app.customers",
        "SET search_path = app; RESET search_path; SELECT id FROM customers | public.customers",
        "SET search_path = app; RESET ALL; SELECT id FROM customers | public.customers",
        "SET search_path = app; SET search_path TO DEFAULT; SELECT id FROM customers"
            + " | public.customers",
        "SET search_path = app; DISCARD ALL; SELECT id FROM customers | public.customers",
      })
  void aSearchPathSetEarlierInTheMessageResolvesTheNamesAfterIt(String sql, String table) {
    var statements = AnalyzerFixture.ANALYZER.analyze(sql, AnalysisContext.DEFAULT).statements();
    StatementInfo last = statements.getLast();
    assertThat(names(last.tablesRead())).containsExactly(table);
  }

  /**
   * Red-team round 22: after a change of search_path and then the end of a block in the same
   * message, the path is not known (SET LOCAL ends with the block, a rolled-back SET is undone):
   * every statement after it is flagged, and the flag fails closed. Without a change of the path
   * before it, the end of a block flags nothing.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "BEGIN; SET LOCAL search_path = information_schema; COMMIT; SELECT id FROM customers | true",
        "BEGIN; SET search_path = information_schema; ROLLBACK; SELECT id FROM customers | true",
        "BEGIN; SET search_path = information_schema; ABORT; SELECT id FROM customers | true",
        "BEGIN; SET LOCAL search_path = x; END; SELECT id FROM customers | true",
        "BEGIN; SAVEPOINT a; SET search_path = x; ROLLBACK TO a; SELECT id FROM customers | true",
        "BEGIN; SET search_path = x; PREPARE TRANSACTION 't'; SELECT id FROM customers | true",
        "BEGIN; RESET ALL; ROLLBACK; SELECT id FROM customers | true",
        "BEGIN; DISCARD ALL; COMMIT; SELECT 1; SELECT id FROM customers | true",
        "BEGIN; SELECT 1; COMMIT; SELECT id FROM customers | false",
        "SET search_path = app; SELECT id FROM customers; COMMIT | false",
        "BEGIN; SET search_path = app; RELEASE SAVEPOINT a; SELECT id FROM customers | false",
      })
  void afterAPathChangeAndTheEndOfABlockThePathIsUncertain(String sql, boolean uncertain) {
    var statements =
        AnalyzerFixture.ANALYZER.analyze(sql, new AnalysisContext(List.of("app"))).statements();
    assertThat(statements.getLast().riskFlags().contains(RiskFlag.UNCERTAIN_SEARCH_PATH))
        .isEqualTo(uncertain);
    assertThat(
            dev.gatehouse.engine.policy.Grant.FAIL_CLOSED.contains(RiskFlag.UNCERTAIN_SEARCH_PATH))
        .isTrue();
  }

  /** The same when the session's own block (a SET LOCAL sent earlier) is what the end changes. */
  @Test
  void inABlockWhoseEndChangesThePathNamesAfterTheEndAreUncertain() {
    String sql = "COMMIT; SELECT id FROM customers";
    var unsettled = new AnalysisContext(List.of("information_schema"), Map.of(), Map.of(), false);
    var settled = new AnalysisContext(List.of("information_schema"), Map.of(), Map.of(), true);
    assertThat(AnalyzerFixture.ANALYZER.analyze(sql, unsettled).statements().getLast().riskFlags())
        .contains(RiskFlag.UNCERTAIN_SEARCH_PATH);
    assertThat(AnalyzerFixture.ANALYZER.analyze(sql, settled).statements().getLast().riskFlags())
        .doesNotContain(RiskFlag.UNCERTAIN_SEARCH_PATH);
    // Without an end of the block in the message, the path in force is the session's.
    assertThat(
            AnalyzerFixture.ANALYZER
                .analyze("SELECT id FROM customers", unsettled)
                .statements()
                .getLast()
                .riskFlags())
        .doesNotContain(RiskFlag.UNCERTAIN_SEARCH_PATH);
  }

  @Test
  void aResetInTheMessageGoesBackToTheDefaultNotTheSessionsPath() {
    var statements =
        AnalyzerFixture.ANALYZER
            .analyze(
                "RESET search_path; SELECT id FROM customers", new AnalysisContext(List.of("app")))
            .statements();
    assertThat(names(statements.getLast().tablesRead())).containsExactly("public.customers");
  }

  @Test
  void searchPathValuesReadAsPostgresStoresThem() {
    assertThat(Names.searchPath("\"$user\", public")).containsExactly("$user", "public");
    assertThat(Names.searchPath("app, \"My Schema\"")).containsExactly("app", "My Schema");
    assertThat(Names.searchPath("'App', APP")).containsExactly("App", "app");
    assertThat(Names.searchPath("\"a,b\", c")).containsExactly("a,b", "c");
    assertThat(Names.searchPath("\"Say \"\"hi\"\"\"")).containsExactly("Say \"hi\"");
    assertThat(Names.searchPath("''")).isEmpty();
  }

  @Test
  void identifiersFoldAsPostgresFoldsThem() {
    assertThat(Names.identifier("Orders")).isEqualTo("orders");
    assertThat(Names.identifier("\"Orders\"")).isEqualTo("Orders");
    assertThat(Names.identifier("U&\"\\0041pp\"")).isEqualTo("App");
    assertThat(Names.function(List.of("PG_CATALOG", "Now"))).isEqualTo("now");
  }
}
