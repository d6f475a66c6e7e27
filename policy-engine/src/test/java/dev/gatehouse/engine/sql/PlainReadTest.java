package dev.gatehouse.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Only reads that cannot change anything may run before their audit record is durable. */
class PlainReadTest {

  private static boolean plain(String sql) {
    return PlainRead.test(AnalyzerFixture.ANALYZER.analyze(sql, AnalysisContext.DEFAULT));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT abalance FROM pgbench_accounts WHERE aid = 42",
        "SELECT abalance FROM pgbench_accounts WHERE aid = $1",
        "SELECT count(*), max(id) FROM app.orders",
        "SELECT * FROM app.orders",
        "SELECT id FROM app.orders WHERE 1 = 1",
        "SELECT now(), random(), clock_timestamp(), gen_random_uuid()",
        "SELECT upper(name) FROM app.customers c JOIN app.orders o ON o.customer_id = c.id",
        "WITH x AS (SELECT id FROM app.orders) SELECT * FROM x",
        "SELECT 1; SELECT 2",
        "TABLE app.orders",
        "SELECT n.nspname FROM pg_catalog.pg_namespace n"
      })
  void readsWithoutEffects(String sql) {
    assertThat(plain(sql)).as(sql).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT nextval('app.orders_id_seq')",
        "SELECT setval('app.orders_id_seq', 1)",
        "SELECT set_config('search_path', 'app', false)",
        "SELECT pg_terminate_backend(123)",
        "SELECT pg_advisory_lock(1)",
        "SELECT pg_notify('c', 'x')",
        "SELECT lo_open(1, 262144)",
        "SELECT dblink('host=x', 'DELETE FROM t')",
        "SELECT txid_current(), pg_sleep(1)",
        "SELECT app.recalculate(id) FROM app.orders",
        "SELECT my_function()",
        "SELECT * FROM app.orders FOR UPDATE",
        "SELECT * INTO app.copy FROM app.orders",
        "WITH d AS (DELETE FROM app.orders RETURNING id) SELECT * FROM d",
        "SELECT 1; DELETE FROM app.orders WHERE id = 1",
        "INSERT INTO app.orders (id) VALUES (1)",
        "SHOW search_path",
        "EXPLAIN SELECT 1",
        "COPY app.orders TO STDOUT",
        "DO $$ BEGIN PERFORM 1; END $$",
        "SELECT FROM WHERE ("
      })
  void anythingThatCouldChangeSomethingWaits(String sql) {
    assertThat(plain(sql)).as(sql).isFalse();
  }
}
