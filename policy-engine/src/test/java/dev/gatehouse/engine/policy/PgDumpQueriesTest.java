package dev.gatehouse.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * pg_dump's session setup, as a reader of the reference policy sends it: the exact forms are
 * admitted, and every widening of them still fails closed.
 */
class PgDumpQueriesTest {

  private static final PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer();
  private static final RulePolicyEvaluator evaluator =
      new RulePolicyEvaluator(ReferencePolicy.load());

  @AfterAll
  static void close() {
    analyzer.close();
  }

  private static Decision decide(String sql, AnalysisContext context) {
    return evaluator.evaluate(
        ReferencePolicy.principal(ReferencePrincipal.ANALYST),
        analyzer.analyze(sql, context),
        new RequestContext(Channel.WIRE, "shop", "pg_dump", "127.0.0.1", Instant.now()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT pg_catalog.set_config('search_path', '', false);",
        "SELECT set_config('search_path', 'app', false)",
        "SELECT set_config(name, 'view, foreign-table', false) FROM pg_settings"
            + " WHERE name = 'restrict_nonsystem_relation_kind'",
        "SET row_security = off",
        "SET row_security = on",
        "RESET search_path",
        "SET search_path TO DEFAULT",
        "SET DATESTYLE = ISO",
        "SET INTERVALSTYLE = POSTGRES",
        "SET extra_float_digits TO 3",
        "SET synchronize_seqscans TO off",
        "SET lock_timeout = 0",
        "SET idle_in_transaction_session_timeout = 0",
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        "LOCK TABLE app.customers IN ACCESS SHARE MODE",
        "LOCK TABLE app.customers, app.orders IN ACCESS SHARE MODE NOWAIT",
        "COPY app.customers (id, full_name, email, ssn) TO stdout;",
        "SELECT n.tableoid, n.oid, n.nspname, n.nspowner, n.nspacl, acldefault('n', n.nspowner)"
            + " AS acldefault FROM pg_namespace n",
      })
  void pgDumpSetupIsAllowed(String sql) {
    Decision d = decide(sql, AnalysisContext.DEFAULT);
    assertThat(d.effect()).as(sql + "\n" + d.explanation()).isEqualTo(Effect.ALLOW);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // set_config anywhere but alone, or with anything but constants, is a dangerous function
        "SELECT set_config('search_path', 'evil, app', false)",
        "SELECT set_config('search_path', '', true)",
        "SELECT set_config('search_path', current_setting('search_path'), false)",
        "SELECT set_config('search_path', 'app', false) FROM app.customers",
        "SELECT set_config('search_path', 'app', false), ssn FROM app.customers",
        "SELECT set_config('role', 'postgres', false)",
        "SELECT set_config('default_transaction_read_only', 'off', false)",
        "SELECT set_config('statement_timeout', '0', false)",
        "SELECT set_config('row_security', 'off', false) || ''",
        "SELECT set_config(name, 'postgres', false) FROM pg_settings WHERE name = 'role'",
        "SELECT set_config(name, 'evil', false) FROM pg_settings WHERE name = 'search_path'",
        "SELECT set_config(name, 'x', false) FROM pg_settings WHERE name LIKE '%'",
        // row_security only to a known value; other modes than ACCESS SHARE lock out readers
        "SET row_security = maybe",
        "LOCK TABLE app.customers",
        "LOCK TABLE app.customers IN ACCESS EXCLUSIVE MODE",
        "LOCK TABLE app.customers IN SHARE MODE",
        "LOCK TABLE app.customers IN ACCESS SHARE MODE; DELETE FROM app.orders",
        // the timeout of the grant is lifted only where the policy names the setting
        "SET statement_timeout = 0",
      })
  void widerFormsAreRefused(String sql) {
    Decision d = decide(sql, AnalysisContext.DEFAULT);
    assertThat(d.effect()).as(sql + "\n" + d.explanation()).isEqualTo(Effect.DENY);
  }

  @Test
  void setConfigIsASettingChangeOfItsExactValue() {
    Analysis a =
        analyzer.analyze(
            "SELECT pg_catalog.set_config('search_path', '', false)", AnalysisContext.DEFAULT);
    assertThat(a.statements().getFirst().settings()).isEqualTo(Map.of("search_path", ""));
    assertThat(a.statements().getFirst().functions()).isEmpty();
    Analysis b =
        analyzer.analyze(
            "SELECT set_config('Search_Path', 'app, \"My\"', false);", AnalysisContext.DEFAULT);
    assertThat(b.statements().getFirst().settings())
        .isEqualTo(Map.of("search_path", "app, \"My\""));
  }

  /** With an empty search_path only the catalogs resolve unqualified names: nothing is granted. */
  @Test
  void anUnqualifiedNameUnderAnEmptySearchPathIsNotGranted() {
    AnalysisContext empty = new AnalysisContext(List.of());
    assertThat(decide("SELECT ssn FROM customers", empty).effect()).isEqualTo(Effect.DENY);
    assertThat(decide("SELECT relname FROM pg_class", empty).effect()).isEqualTo(Effect.ALLOW);
  }

  /** A cursor declared earlier in the same message is the FETCH's query: judged and masked so. */
  @Test
  void aFetchAfterItsDeclareInOneMessageIsJudgedAsTheDeclaredQuery() {
    Decision d =
        decide(
            "BEGIN; DECLARE c CURSOR FOR SELECT id, email FROM app.customers; FETCH 2 FROM c;"
                + " COMMIT",
            AnalysisContext.DEFAULT);
    assertThat(d.effect()).as(d.explanation()).isEqualTo(Effect.ALLOW);
    Analysis a =
        analyzer.analyze(
            "DECLARE c CURSOR FOR SELECT email FROM app.customers; FETCH 2 FROM c",
            AnalysisContext.DEFAULT);
    assertThat(a.statements().get(1).outputColumns()).hasSize(1);
    assertThat(a.statements().get(1).outputColumns().getFirst().sources().toString())
        .contains("app.customers.email");
    // closed before the FETCH: unknown again, refused under masking
    assertThat(
            decide(
                    "BEGIN; DECLARE c CURSOR FOR SELECT id FROM app.customers; CLOSE c;"
                        + " FETCH 2 FROM c; COMMIT",
                    AnalysisContext.DEFAULT)
                .effect())
        .isEqualTo(Effect.DENY);
  }
}
