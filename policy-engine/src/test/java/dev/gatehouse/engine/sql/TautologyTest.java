package dev.gatehouse.engine.sql;

import static dev.gatehouse.engine.sql.AnalyzerFixture.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** UPDATE and DELETE that change every row, also inside CTEs. */
class TautologyTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1 = 1",
        "true",
        "TRUE",
        "false OR true",
        "'a' = 'a'",
        "E'a' = 'a'",
        "(1 = 1)",
        "NOT false",
        "1 < 2",
        "2 >= 2",
        "1 <> 2",
        "id = id",
        "id IS NULL OR id IS NOT NULL",
        "'t'::boolean",
        "1 IN (3, 2, 1)",
        "NULL IS NULL",
        "true IS TRUE",
        "-1 = -1",
        "id = 5 OR 1 = 1",
        "1.0 = 1",
        "NOT (id <> id)",
        "NOT (id < id) AND NOT (id > id)",
        "id BETWEEN id AND id",
        "id BETWEEN SYMMETRIC id AND id",
        "NOT (id NOT BETWEEN id AND id)",
      })
  void constantlyTrueWhereIsATautology(String where) {
    StatementInfo delete = one("DELETE FROM app.orders WHERE " + where);
    assertTrue(delete.riskFlags().contains(RiskFlag.TAUTOLOGICAL_WHERE), where);
    StatementInfo update = one("UPDATE app.orders SET total = 0 WHERE " + where);
    assertTrue(update.riskFlags().contains(RiskFlag.TAUTOLOGICAL_WHERE), where);
    StatementInfo cte =
        one(
            "WITH d AS (DELETE FROM app.orders WHERE "
                + where
                + " RETURNING id) SELECT count(*) FROM d");
    assertTrue(cte.riskFlags().contains(RiskFlag.TAUTOLOGICAL_WHERE), where);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "id = 1",
        "1 = 2",
        "'a' = 'b'",
        "false",
        "true AND id = 3",
        "id > 0",
        "note = 'x' OR false",
        "id IN (SELECT id FROM app.t)",
        "NULL = NULL",
        "id <> id",
        "id BETWEEN 1 AND id",
        "id NOT BETWEEN id AND id",
      })
  void realConditionsAreNot(String where) {
    StatementInfo s = one("DELETE FROM app.orders WHERE " + where);
    assertFalse(s.riskFlags().contains(RiskFlag.TAUTOLOGICAL_WHERE), where);
    assertFalse(s.riskFlags().contains(RiskFlag.NO_WHERE), where);
  }

  @org.junit.jupiter.api.Test
  void missingWhereIsFlaggedWhereverTheWriteIs() {
    assertTrue(one("DELETE FROM app.orders").riskFlags().contains(RiskFlag.NO_WHERE));
    assertTrue(one("UPDATE app.orders SET total = 0").riskFlags().contains(RiskFlag.NO_WHERE));
    StatementInfo nested =
        one(
            "WITH a AS (SELECT 1), b AS (UPDATE app.orders SET total = 0 RETURNING id) SELECT * FROM b");
    assertTrue(nested.riskFlags().contains(RiskFlag.NO_WHERE));
    assertEquals(StatementClass.WRITE, nested.statementClass());
    assertFalse(
        one("INSERT INTO app.orders (id) VALUES (1)").riskFlags().contains(RiskFlag.NO_WHERE));
  }
}
