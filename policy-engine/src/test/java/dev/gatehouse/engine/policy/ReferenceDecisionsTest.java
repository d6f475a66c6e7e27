package dev.gatehouse.engine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Decisions of the reference policy beyond the shared corpus, read off corpus/README.md. */
class ReferenceDecisionsTest {

  private static final PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer();
  private static final RulePolicyEvaluator evaluator =
      new RulePolicyEvaluator(ReferencePolicy.load());

  @AfterAll
  static void close() {
    analyzer.close();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY, "DROP SCHEMA app CASCADE", Effect.REQUIRE_APPROVAL),
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY,
            "CREATE INDEX ON app.orders (placed_at)",
            Effect.REQUIRE_APPROVAL),
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY,
            "BEGIN; DELETE FROM app.orders; COMMIT",
            Effect.REQUIRE_APPROVAL),
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY,
            "UPDATE app.orders SET total = 0 WHERE true OR id = 1",
            Effect.REQUIRE_APPROVAL),
        Arguments.of(ReferencePrincipal.ETL_NIGHTLY, "TRUNCATE app.customers", Effect.DENY),
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY, "UPDATE app.customers SET email = 'x'", Effect.DENY),
        Arguments.of(ReferencePrincipal.ETL_NIGHTLY, "COPY app.orders FROM STDIN", Effect.ALLOW),
        Arguments.of(ReferencePrincipal.ETL_NIGHTLY, "COPY app.customers FROM STDIN", Effect.DENY),
        Arguments.of(ReferencePrincipal.ETL_NIGHTLY, "SELECT pg_sleep(1)", Effect.DENY),
        // A function of the database may write what the gateway cannot see (red-team S8): a
        // read-write access calls none unless it accepts the risk; a read-only one may.
        Arguments.of(ReferencePrincipal.ETL_NIGHTLY, "SELECT app.customer_email(1)", Effect.DENY),
        Arguments.of(ReferencePrincipal.ETL_NIGHTLY, "CALL app.refresh_totals()", Effect.DENY),
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY,
            "SELECT * FROM app.orders WHERE id = 1 AND app.customer_email(2) IS NOT NULL",
            Effect.DENY),
        Arguments.of(ReferencePrincipal.ANALYST, "SELECT app.customer_email(1)", Effect.ALLOW),
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY,
            "CREATE FUNCTION app.w() RETURNS bigint LANGUAGE sql AS $$WITH u AS (UPDATE app.orders"
                + " SET note = note RETURNING 1) SELECT count(*) FROM u$$",
            Effect.REQUIRE_APPROVAL),
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY,
            "CREATE FUNCTION app.sd() RETURNS text SECURITY DEFINER LANGUAGE sql AS $$UPDATE"
                + " app.customers SET full_name = full_name RETURNING current_user$$",
            Effect.DENY),
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY,
            "ALTER FUNCTION app.customer_email(bigint) OWNER TO gatehouse_writer",
            Effect.DENY),
        // Schema changes that copy no masked value still wait for a dba (S6, S7 look-alikes).
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY,
            "CREATE FUNCTION app.order_total(i bigint) RETURNS numeric LANGUAGE sql AS"
                + " $$SELECT total FROM app.orders WHERE id = i$$",
            Effect.REQUIRE_APPROVAL),
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY,
            "ALTER TABLE app.payments ADD COLUMN settled_at timestamptz DEFAULT now()",
            Effect.REQUIRE_APPROVAL),
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY,
            "ALTER TABLE app.payments ALTER COLUMN status TYPE text USING upper(status)",
            Effect.REQUIRE_APPROVAL),
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY,
            "CREATE TRIGGER t AFTER UPDATE ON app.orders FOR EACH ROW EXECUTE FUNCTION app.f()",
            Effect.DENY),
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY, "SELECT * FROM app.customers FOR UPDATE", Effect.DENY),
        Arguments.of(ReferencePrincipal.ANALYST, "COPY app.orders FROM STDIN", Effect.DENY),
        Arguments.of(ReferencePrincipal.ANALYST, "EXPLAIN ANALYZE SELECT 1", Effect.DENY),
        Arguments.of(
            ReferencePrincipal.ANALYST,
            "EXPLAIN (COSTS off) SELECT * FROM app.orders",
            Effect.ALLOW),
        Arguments.of(
            ReferencePrincipal.ANALYST, "SELECT * FROM information_schema.columns", Effect.ALLOW),
        Arguments.of(
            ReferencePrincipal.ANALYST, "SELECT * FROM pg_catalog.pg_user_mappings", Effect.DENY),
        Arguments.of(ReferencePrincipal.ANALYST, "DISCARD ALL", Effect.ALLOW),
        Arguments.of(ReferencePrincipal.ANALYST, "LISTEN orders", Effect.ALLOW),
        Arguments.of(ReferencePrincipal.ANALYST, "NOTIFY orders", Effect.DENY),
        Arguments.of(ReferencePrincipal.SUPPORT_LEAD, "SELECT * FROM app.customers", Effect.ALLOW),
        // a cursor not declared in the session cannot be traced to its columns: refused where
        // masking applies (cursorsDeclaredInTheSession... covers the declared ones)
        Arguments.of(
            ReferencePrincipal.ANALYST,
            "BEGIN; DECLARE c CURSOR FOR SELECT ssn || '' FROM app.customers; FETCH 10 FROM c",
            Effect.ALLOW), // declared earlier in the same message: fetched as its query, masked
        Arguments.of(ReferencePrincipal.ANALYST, "FETCH 10 FROM c", Effect.DENY),
        // masking aside: a cursor not declared through the gateway runs a statement nobody judged
        Arguments.of(ReferencePrincipal.SUPPORT_LEAD, "FETCH 10 FROM c", Effect.DENY),
        Arguments.of(ReferencePrincipal.SUPPORT_LEAD, "MOVE ALL IN w", Effect.DENY),
        Arguments.of(ReferencePrincipal.ETL_NIGHTLY, "MOVE ALL IN w", Effect.DENY),
        Arguments.of(
            ReferencePrincipal.ETL_NIGHTLY,
            "BEGIN; DECLARE w CURSOR FOR SELECT id FROM app.orders; MOVE ALL IN w",
            Effect.ALLOW),
        Arguments.of(
            ReferencePrincipal.SUPPORT_LEAD, "DELETE FROM app.customers WHERE id = 1", Effect.DENY),
        Arguments.of(ReferencePrincipal.DBA, "SELECT 1", Effect.DENY),
        Arguments.of(ReferencePrincipal.CONTRACTOR, "SHOW server_version", Effect.DENY));
  }

  @org.junit.jupiter.api.Test
  void etlWritesCarryTheirRowBound() {
    RequestContext context = new RequestContext(Channel.WIRE, "shop", null, null, Instant.now());
    Decision etl =
        evaluator.evaluate(
            ReferencePolicy.principal(ReferencePrincipal.ETL_NIGHTLY),
            analyzer.analyze("DELETE FROM app.orders WHERE id > 0", AnalysisContext.DEFAULT),
            context);
    assertEquals(Effect.ALLOW, etl.effect());
    assertEquals(100, etl.obligations().maxRowsAffected());
    Decision analyst =
        evaluator.evaluate(
            ReferencePolicy.principal(ReferencePrincipal.ANALYST),
            analyzer.analyze("SELECT 1", AnalysisContext.DEFAULT),
            context);
    assertEquals(0, analyst.obligations().maxRowsAffected());
  }

  @org.junit.jupiter.api.Test
  void aFetchFromACursorDeclaredInTheSessionIsJudgedAndMaskedAsItsQuery() {
    RequestContext context = new RequestContext(Channel.WIRE, "shop", null, null, Instant.now());
    AnalysisContext session =
        new AnalysisContext(
            List.of("public"),
            Map.of("c", "SELECT id, ssn FROM app.customers", "o", "SELECT * FROM app.orders"));
    var fetch = analyzer.analyze("FETCH FORWARD 10 FROM c", session);
    Decision analyst =
        evaluator.evaluate(ReferencePolicy.principal(ReferencePrincipal.ANALYST), fetch, context);
    assertEquals(Effect.ALLOW, analyst.effect(), analyst::explanation);
    assertEquals(2, fetch.statements().getFirst().outputColumns().size());
    assertEquals(
        "ssn",
        fetch.statements().getFirst().outputColumns().get(1).sources().iterator().next().column());
    // the cursor's query is judged again at each FETCH: a principal without the grant is refused
    Decision contractor =
        evaluator.evaluate(
            ReferencePolicy.principal(ReferencePrincipal.CONTRACTOR),
            analyzer.analyze("FETCH 10 FROM o", session),
            context);
    assertEquals(Effect.DENY, contractor.effect());
    // another cursor name is still unknown
    assertEquals(
        Effect.DENY,
        evaluator
            .evaluate(
                ReferencePolicy.principal(ReferencePrincipal.ANALYST),
                analyzer.analyze("FETCH 10 FROM other", session),
                context)
            .effect());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void decides(ReferencePrincipal who, String sql, Effect expected) {
    Decision d =
        evaluator.evaluate(
            ReferencePolicy.principal(who),
            analyzer.analyze(sql, AnalysisContext.DEFAULT),
            new RequestContext(Channel.WIRE, "shop", null, null, Instant.now()));
    assertEquals(expected, d.effect(), () -> sql + "\n" + d.ruleIds() + " " + d.explanation());
  }
}
