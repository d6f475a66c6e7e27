package dev.gatehouse.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Writes of etl-nightly whose parameter values, bound at Bind, make them change every row of a
 * table or more rows than the reference policy's bound (100): each must wait for approval on the
 * wire and over MCP. In the shop database (corpus/schema.sql): 5,000 orders, 1,000 payments. Each
 * placeholder appears once, in order, so a JDBC {@code ?} maps to it.
 */
public final class ParameterCases {

  private ParameterCases() {}

  /** A statement with {@code $n} placeholders and the values bound to them, as text. */
  public record Case(String sql, List<String> params) {}

  public static final List<Case> ALL =
      List.of(
          // the static check: a condition that names no column of the target
          new Case("DELETE FROM app.orders WHERE $1::boolean", List.of("true")),
          new Case("UPDATE app.payments SET status = status WHERE $1 = $2", List.of("x", "x")),
          new Case("DELETE FROM app.orders WHERE coalesce($1::boolean, false)", List.of("on")),
          new Case("UPDATE app.orders SET note = note WHERE $1::text = 'yes'", List.of("yes")),
          new Case("DELETE FROM app.payments WHERE $1::int IN (1, 2, 3)", List.of("2")),
          new Case(
              "UPDATE app.payments SET status = status WHERE EXISTS (SELECT 1 WHERE $1::boolean)",
              List.of("t")),
          new Case(
              "MERGE INTO app.orders o USING (SELECT 1 AS x) s ON $1::boolean"
                  + " WHEN MATCHED THEN DELETE",
              List.of("1")),
          new Case(
              "WITH d AS (DELETE FROM app.orders WHERE $1::boolean RETURNING id)"
                  + " SELECT count(*) FROM d",
              List.of("yes")),
          // the count: the parameter opens a condition over the target's columns to every row
          new Case("DELETE FROM app.orders WHERE id > $1", List.of("0")),
          new Case("UPDATE app.orders SET note = note WHERE id <> $1", List.of("-1")),
          new Case("DELETE FROM app.orders WHERE id BETWEEN $1 AND $2", List.of("0", "1000000")),
          new Case(
              "UPDATE app.orders SET note = note WHERE note IS DISTINCT FROM $1",
              List.of("nothing")),
          new Case(
              "UPDATE app.orders SET note = note WHERE note LIKE $1 OR note IS NULL", List.of("%")),
          new Case(
              "UPDATE app.payments SET status = status WHERE CASE WHEN $1::boolean THEN true"
                  + " ELSE id = 1 END",
              List.of("true")),
          new Case(
              "INSERT INTO app.orders (customer_id, total)"
                  + " SELECT 1, 1 FROM generate_series(1, $1::int)",
              List.of("500")),
          new Case(
              "UPDATE app.payments SET status = $1 WHERE status <> $2",
              List.of("void", "nothing")));

  /**
   * A digest of every order and payment (no masked column, so any principal may read it): equal
   * before and after a refused write when nothing changed (sequences aside: a counted insert that
   * was rolled back still advanced them).
   */
  public static final String FINGERPRINT =
      "SELECT (SELECT md5(string_agg(o::text, ',' ORDER BY id)) FROM app.orders o)"
          + " || (SELECT md5(string_agg(id || ':' || status || ':' || amount, ',' ORDER BY id))"
          + " FROM app.payments)";

  /** {@link #FINGERPRINT} of {@code database}, read as the administrator. */
  public static String fingerprint(String database) throws SQLException {
    try (Connection c = TestPostgres.get().connectAsAdmin(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(FINGERPRINT)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
