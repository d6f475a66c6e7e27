package dev.gatehouse.engine.sql;

import static dev.gatehouse.engine.sql.AnalyzerFixture.one;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Writes that may change every row, however the condition is spelled, need approval. */
class EveryRowWriteTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(SELECT true)",
        "EXISTS (SELECT 1)",
        "NOT EXISTS (SELECT 1 WHERE false)",
        "EXISTS (SELECT 1 FROM app.customers WHERE id = 1)",
        "1::boolean",
        "'t'::bool",
        "'yes'::boolean",
        "' TRUE '::boolean",
        "true::text::bool",
        "1::text = '1'",
        "CAST(1 AS boolean)",
        "coalesce(NULL, true)",
        "COALESCE(null, null, 1 = 1)",
        "nullif(1, 2) = 1",
        "greatest(false, true)",
        "least(1, 2) = 1",
        "CASE WHEN true THEN true ELSE false END",
        "CASE WHEN id > 5 THEN true ELSE true END",
        "CASE 1 WHEN 1 THEN true END",
        "id IS NOT NULL",
        "NOT (id IS NULL)",
        "status IS NOT NULL",
        "id IN (SELECT id FROM app.payments)",
        "id = ANY (SELECT id FROM app.payments)",
        "id IN (SELECT p.id FROM app.payments p WHERE true)",
        "total > 5 OR total <= 5",
        "5 < total OR total <= 5",
        "status = 'x' OR status <> 'x'",
        "status = 'x' OR NOT status = 'x'",
        "id > 5 OR id = 3 OR NOT (id > 5)",
        "id = id",
        "(id, status) = (id, status)",
        "coalesce(status, '') = coalesce(status, '')",
        "id IS NOT DISTINCT FROM id",
        "status IS DISTINCT FROM NULL",
        "status LIKE '%'",
        "status ILIKE '%%'",
        "(status = 'x') IS TRUE OR (status = 'x') IS NOT TRUE",
        "$1::boolean",
        "$1",
        "id = $1 OR $2",
        "id = 1 OR $2::bool",
        "$1 AND $2",
        "current_user = 'etl'",
        "now() > '2000-01-01'",
        "random() < 2",
        "1 = 1 AND true",
        "app.customers.id = 1",
        "x.id = 1",
        "(((true)))",
        "NOT NOT true",
        "NOT false AND NOT false",
        // red-team round 26: a column compared with itself, spelled or converted otherwise
        "id = \"id\"",
        "\"status\" = status",
        "\"payments\".status = payments.status",
        "U&\"\\0069d\" = id",
        "NOT (\"id\" <> id)",
        "id::bigint = id",
        "CAST(id AS numeric) >= id",
        "id IN (id)",
        "id IN (1, \"id\")",
        "ROW(id) = ROW(id)",
        "status = status COLLATE \"C\"",
        "id IS NOT DISTINCT FROM \"id\"",
        "status LIKE status",
        "id BETWEEN id - 1 AND id + 1",
        "status ~ status",
        "id <= id + 0",
        "lower(status) = lower(status::text)",
      })
  void everyRowConditionsAreCaught(String where) {
    for (String sql :
        new String[] {
          "UPDATE app.payments SET status = status WHERE " + where,
          "DELETE FROM app.payments WHERE " + where,
          "WITH d AS (DELETE FROM app.payments WHERE " + where + " RETURNING id) SELECT 1",
        }) {
      assertTrue(one(sql).riskFlags().contains(RiskFlag.TAUTOLOGICAL_WHERE), sql);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "UPDATE app.payments p SET status = 'x' FROM app.customers c WHERE c.id = 1",
        "DELETE FROM app.payments USING app.customers c WHERE c.id = 1",
        "DELETE FROM app.payments p USING app.payments q WHERE p.id = q.id",
        "UPDATE app.payments p SET status = 'x' FROM app.payments q WHERE p.id = q.id",
        "MERGE INTO app.payments p USING app.customers c ON true WHEN MATCHED THEN DELETE",
        "MERGE INTO app.payments p USING app.customers c ON c.id = 1"
            + " WHEN MATCHED THEN UPDATE SET status = 'x'",
        "MERGE INTO app.payments p USING app.payments q ON p.id = q.id WHEN MATCHED THEN DELETE",
        "MERGE INTO app.payments p USING (SELECT id FROM app.payments) q ON p.id = q.id"
            + " WHEN MATCHED THEN DELETE",
        "MERGE INTO app.payments p USING app.customers c ON 1 = 1 WHEN MATCHED THEN DELETE",
        "INSERT INTO app.payments (id, customer_id, amount, card_number)"
            + " SELECT id, customer_id, amount, card_number FROM app.payments"
            + " ON CONFLICT (id) DO UPDATE SET status = 'x'",
        "UPDATE app.payments SET status = 'x' WHERE (SELECT count(*) FROM app.customers) > 0",
        // red-team round 25: with another relation beside the target, an unqualified column may
        // be that relation's; which one it is needs the catalog, so it restricts nothing
        "UPDATE app.payments SET status = status FROM (VALUES (1)) v(k) WHERE k = 1",
        "UPDATE app.payments SET status = status FROM app.customers WHERE email = 'a'",
        "UPDATE app.payments SET status = 'x' FROM app.customers c WHERE c.id = 1 AND id = 2",
        "DELETE FROM app.payments USING app.customers WHERE email = 'a'",
        "DELETE FROM app.payments USING app.customers WHERE full_name = 'a' AND (1 = 1)",
        "MERGE INTO app.payments USING (VALUES (1)) v(k) ON k = 1 WHEN MATCHED THEN DELETE",
        "WITH u AS (UPDATE app.payments SET status = 'x' FROM (VALUES (1)) v(k) WHERE k = 1"
            + " RETURNING id) SELECT 1",
      })
  void everyRowShapesAreCaught(String sql) {
    assertTrue(one(sql).riskFlags().contains(RiskFlag.TAUTOLOGICAL_WHERE), sql);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "UPDATE app.payments SET status = 'settled' WHERE id = $1",
        "UPDATE app.payments SET status = $1 WHERE id = $2 AND status = 'pending'",
        "DELETE FROM app.payments WHERE id IN (1, 2, 3)",
        "DELETE FROM app.payments WHERE id IN (SELECT id FROM app.orders)",
        "DELETE FROM app.payments WHERE status = 'x' AND $1::boolean",
        "DELETE FROM app.payments WHERE created_at < now() - interval '1 year'",
        "UPDATE app.payments p SET status = 'x' FROM app.customers c"
            + " WHERE c.id = p.customer_id AND c.id = 1",
        "DELETE FROM app.payments WHERE EXISTS"
            + " (SELECT 1 FROM app.customers c WHERE c.id = payments.customer_id)",
        "MERGE INTO app.payments p USING app.customers c ON p.customer_id = c.id"
            + " WHEN MATCHED THEN DELETE",
        "INSERT INTO app.payments (customer_id, amount, card_number) VALUES (1, 2, 'x')"
            + " ON CONFLICT (id) DO UPDATE SET status = 'x'",
        "INSERT INTO app.payments (customer_id, amount, card_number)"
            + " SELECT 1, 2, 'x' FROM app.customers ON CONFLICT DO NOTHING",
        "DELETE FROM app.payments WHERE id = 1 OR id = 2",
        "DELETE FROM app.payments WHERE status IS NULL",
        // a conjunct that restricts still restricts beside one that reads a column twice
        "UPDATE app.payments SET status = 'x' WHERE id = 5 AND id::bigint = id",
        // qualified with the target, a column restricts the target's rows beside a join too
        "UPDATE app.payments SET status = 'x' FROM (VALUES (1)) v(k) WHERE payments.id = v.k",
        "DELETE FROM app.payments p USING app.customers c WHERE p.id = 7",
      })
  void boundedWritesAreNot(String sql) {
    assertFalse(one(sql).riskFlags().contains(RiskFlag.TAUTOLOGICAL_WHERE), sql);
  }
}
