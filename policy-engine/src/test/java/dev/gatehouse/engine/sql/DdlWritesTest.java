package dev.gatehouse.engine.sql;

import static dev.gatehouse.engine.sql.AnalyzerFixture.names;
import static dev.gatehouse.engine.sql.AnalyzerFixture.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.engine.sql.lineage.LineageResolver;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.ColumnUse;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What a schema change copies is found: a function body's reads, ALTER TABLE's expressions. */
class DdlWritesTest {

  private static Set<String> resultSources(StatementInfo s) {
    return s.uses().stream()
        .filter(u -> u.isWrite() && u.writtenTo().column().equals("result"))
        .flatMap(u -> u.sources().stream())
        .map(ColumnRef::qualified)
        .collect(Collectors.toSet());
  }

  @Test
  void aSqlBodysReadsFlowIntoTheFunctionsResult() {
    StatementInfo s =
        one(
            "CREATE FUNCTION app.f(i bigint) RETURNS text LANGUAGE sql AS"
                + " $$SELECT ssn FROM app.customers WHERE id = i$$");
    assertEquals(StatementClass.DDL, s.statementClass());
    assertTrue(resultSources(s).contains("app.customers.ssn"), s.uses().toString());
    assertTrue(resultSources(s).contains("app.customers.id"), "the filter answers through it");
    assertTrue(names(s.tablesRead()).contains("app.customers"));
  }

  @Test
  void aBodysWritesAreTheStatementsWrites() {
    StatementInfo s =
        one(
            "CREATE FUNCTION app.w() RETURNS void LANGUAGE sql AS"
                + " 'UPDATE app.customers SET full_name = full_name'");
    assertTrue(names(s.tablesWritten()).contains("app.customers"));
  }

  @Test
  void aBodyThatCannotBeAnalysedIsOpaque() {
    for (String sql :
        new String[] {
          "CREATE FUNCTION app.f() RETURNS text LANGUAGE plpgsql AS $$BEGIN RETURN 'x'; END$$",
          "CREATE FUNCTION app.f() RETURNS text LANGUAGE sql RETURN (SELECT 'x')",
          "CREATE FUNCTION app.f() RETURNS text LANGUAGE sql AS $$this is not sql$$",
        }) {
      assertEquals(
          Set.of(LineageResolver.TRANSFORMED_OPAQUE.qualified()), resultSources(one(sql)), sql);
    }
  }

  @Test
  void twoBodiesNeverShareACachedAnalysis() {
    CachingSqlAnalyzer cache = new CachingSqlAnalyzer(AnalyzerFixture.ANALYZER, 3);
    cache.analyze(
        "CREATE FUNCTION app.f() RETURNS text LANGUAGE sql AS $$SELECT 'x'$$",
        AnalysisContext.DEFAULT);
    Analysis second =
        cache.analyze(
            "CREATE FUNCTION app.f() RETURNS text LANGUAGE sql AS $$SELECT ssn FROM app.customers$$",
            AnalysisContext.DEFAULT);
    assertTrue(resultSources(second.statements().getFirst()).contains("app.customers.ssn"));
  }

  @Test
  void alterTableExpressionsCopyTheColumnsTheyName() {
    StatementInfo s =
        one(
            "ALTER TABLE app.payments ALTER COLUMN card_number TYPE text USING reverse(card_number)");
    assertTrue(
        s.uses().stream()
            .anyMatch(
                u ->
                    u.isWrite()
                        && u.sources()
                            .contains(
                                new ColumnRef(new TableRef("app", "payments"), "card_number"))),
        s.uses().toString());
  }

  @Test
  void alterTableWithoutExpressionsCopiesNothing() {
    StatementInfo s = one("ALTER TABLE app.payments ADD COLUMN settled boolean");
    assertTrue(s.uses().stream().noneMatch(ColumnUse::isWrite), s.uses().toString());
  }

  @Test
  void aRowTypeArgumentHandsTheFunctionTheWholeRow() {
    StatementInfo s =
        one(
            "CREATE FUNCTION public.t(app.customers) RETURNS text LANGUAGE sql AS $$SELECT $1::text$$");
    assertTrue(resultSources(s).contains("app.customers.*"), s.uses().toString());
  }
}
