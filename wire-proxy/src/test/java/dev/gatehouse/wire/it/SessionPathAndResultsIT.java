package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.Secrets;
import dev.gatehouse.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The search_path the gateway analyses with follows PostgreSQL through transactions (red-team
 * R10b), and each result of a message of several statements is masked by its own statement's
 * lineage (red-team R19), against the reference policy and a real PostgreSQL.
 */
class SessionPathAndResultsIT {

  private static final String SIMPLE = "preferQueryMode=simple";

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = ProxyFixture.reference(TestPostgres.SHOP, "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  /** After each sequence PostgreSQL's search_path is `app`; `customers` is app.customers. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "BEGIN|SET search_path = information_schema|ROLLBACK",
        "BEGIN|SAVEPOINT a|SET search_path = information_schema|ROLLBACK TO SAVEPOINT a|COMMIT",
        "BEGIN|SAVEPOINT a|SET search_path = information_schema|ROLLBACK TO a|RELEASE a|COMMIT",
        "BEGIN|SET LOCAL search_path = information_schema|COMMIT",
        "BEGIN|SAVEPOINT a|SAVEPOINT b|SET search_path = information_schema|ROLLBACK TO a|COMMIT",
        "START TRANSACTION|SET search_path = information_schema|ABORT",
        "BEGIN|SET search_path = information_schema|SELECT 1/0|ROLLBACK",
        "BEGIN|SET search_path = information_schema|SELECT 1/0|COMMIT",
        "SET search_path = information_schema; SELECT 1/0",
      })
  void inferenceIsJudgedInTheSchemaPostgresUses(String sequence) throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, SIMPLE);
        Statement s = c.createStatement()) {
      s.execute("SET search_path = app");
      for (String sql : sequence.split("\\|")) {
        try {
          s.execute(sql);
        } catch (SQLException expected) {
          // a division by zero, or the failed block's refusal: part of the sequence
        }
      }
      try (ResultSet rs = s.executeQuery("SHOW search_path")) {
        rs.next();
        assertThat(rs.getString(1)).as("PostgreSQL's path").isEqualTo("app");
      }
      SQLException refused = null;
      try {
        s.executeQuery("SELECT id FROM customers WHERE ssn LIKE '219%'").close();
      } catch (SQLException e) {
        refused = e;
      }
      assertThat(refused != null).as(sequence + ": a masked column in WHERE ran").isTrue();
      assertThat(refused.getSQLState()).isEqualTo("42501");
      assertThat(refused.getMessage()).contains("masking-inference");
    }
  }

  /**
   * Red-team round 22: a message that ends a block whose end changes the path, then goes on, cannot
   * be placed: the statements after the end are refused (and with them the message), in whichever
   * message the path was set.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "BEGIN; SET LOCAL search_path = information_schema; COMMIT; SELECT id FROM customers"
            + " WHERE ssn LIKE '219%'",
        "BEGIN|SET LOCAL search_path = information_schema|COMMIT; SELECT id FROM customers"
            + " WHERE ssn LIKE '219%'",
        "BEGIN|SET search_path = information_schema|ROLLBACK; SELECT id FROM customers"
            + " WHERE ssn LIKE '219%'",
        "BEGIN|SAVEPOINT a|SET search_path = information_schema|ROLLBACK TO a; SELECT id FROM"
            + " customers WHERE ssn LIKE '219%'",
        "BEGIN; SET search_path = information_schema; ABORT; SELECT id FROM customers"
            + " WHERE ssn LIKE '219%'",
      })
  void namesAfterAnEndOfBlockThatChangesThePathAreRefused(String sequence) throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, SIMPLE);
        Statement s = c.createStatement()) {
      s.execute("SET search_path = app");
      String[] steps = sequence.split("\\|");
      for (int i = 0; i < steps.length - 1; i++) {
        s.execute(steps[i]);
      }
      SQLException refused = null;
      try {
        s.execute(steps[steps.length - 1]);
      } catch (SQLException e) {
        refused = e;
      }
      assertThat(refused != null).as(sequence + ": ran").isTrue();
      assertThat(refused.getSQLState()).isEqualTo("42501");
      assertThat(refused.getMessage()).contains("search_path");
    }
  }

  @Test
  void eachResultOfAMessageIsMaskedByItsOwnStatement() throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, SIMPLE);
        Statement s = c.createStatement()) {
      boolean rows =
          s.execute(
              "SELECT id, full_name FROM app.customers WHERE id = 1;"
                  + " SELECT email FROM app.customers WHERE id = 1;"
                  + " SELECT 7 AS n");
      List<List<String>> results = new ArrayList<>();
      while (rows || s.getUpdateCount() != -1) {
        if (rows) {
          try (ResultSet rs = s.getResultSet()) {
            List<String> cells = new ArrayList<>();
            int width = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              for (int i = 1; i <= width; i++) {
                cells.add(rs.getString(i));
              }
            }
            results.add(cells);
          }
        }
        rows = s.getMoreResults();
      }
      assertThat(results).hasSize(3);
      assertThat(results.get(0)).containsExactly("1", "Alice Archer");
      assertThat(results.get(1)).hasSize(1);
      assertThat(results.get(1).getFirst())
          .isNotEqualTo("alice@example.com")
          .endsWith("@example.com");
      assertThat(Secrets.findIn(String.join(" ", results.get(1)))).isNull();
      assertThat(results.get(2)).containsExactly("7");
    }
  }

  /** PostgreSQL reads c.name that is no column of c as name(c): refused, not run (red-team T4). */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT c.record_out FROM app.customers c",
        "SELECT (c).record_out FROM app.customers c WHERE c.id = 1",
        "WITH x AS (SELECT * FROM app.customers) SELECT x.record_out FROM x",
        "SELECT s.quote_literal FROM (SELECT * FROM app.customers) s",
        "SELECT v.record_out FROM app.customer_contacts v",
        "COPY (SELECT c.record_out FROM app.customers c) TO STDOUT",
      })
  void attributeNotationIsRefused(String sql) throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, SIMPLE);
        Statement s = c.createStatement()) {
      SQLException refused = null;
      try {
        s.executeQuery(sql).close();
      } catch (SQLException e) {
        refused = e;
      }
      assertThat(refused != null).as(sql + " ran").isTrue();
      assertThat(refused.getSQLState()).isEqualTo("42501");
      assertThat(refused.getMessage()).contains("opaque-function").contains("is not a column of");
      assertThat(Secrets.findIn(refused.getMessage())).isNull();
    }
  }

  /** Columns of any relation of the statement, and system columns, are columns. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT total FROM app.customers c, app.orders o WHERE o.customer_id = c.id AND o.id = 1",
        "SELECT c.id, c.ctid FROM app.customers c WHERE c.id = 1",
        "SELECT (SELECT count(*) FROM app.orders o WHERE o.customer_id = c.id) FROM app.customers c"
            + " WHERE c.id = 1",
      })
  void realColumnsRun(String sql) throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, SIMPLE);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
    }
  }
}
