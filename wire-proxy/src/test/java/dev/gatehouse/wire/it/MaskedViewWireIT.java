package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.Secrets;
import dev.gatehouse.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
import org.postgresql.util.PSQLException;

/**
 * A view that renames a masked column ({@code ssn AS x}) hides the name analysis matches rules by;
 * the gate resolves lineage through the catalog, so every use of the renamed column outside the
 * select list is decided like a use of {@code ssn} itself: refused unless it is a lookup, over
 * views of views too, and its error text is withheld.
 */
class MaskedViewWireIT {

  private static final String TEXT = "preferQueryMode=simple";
  private static final String BINARY = "prepareThreshold=-1&binaryTransfer=true";

  static ProxyFixture proxy;

  @BeforeAll
  static void start() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    String db = pg.createShopDatabase("wire_views");
    try (Connection c = pg.connectAsAdmin(db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE VIEW app.v_rename AS SELECT id AS k, ssn AS x, upper(card_number) AS y,"
              + " email AS z FROM app.customers");
      s.execute("CREATE VIEW app.v_of_view AS SELECT k AS j, x AS w FROM app.v_rename");
      s.execute("GRANT SELECT ON app.v_rename, app.v_of_view TO PUBLIC");
    }
    proxy = ProxyFixture.reference(db, "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT k FROM app.v_rename WHERE x > '3'",
        "SELECT k FROM app.v_rename WHERE x LIKE '219%'",
        "SELECT k FROM app.v_rename ORDER BY x LIMIT 1",
        "SELECT count(*) FROM app.v_rename GROUP BY substr(x, 1, 1)",
        "SELECT count(*) FROM app.v_rename v, generate_series(1, ascii(v.x)) g WHERE v.k = 1",
        "SELECT j FROM app.v_of_view WHERE w > '3'",
        "SELECT j FROM app.v_of_view ORDER BY upper(w) LIMIT 1",
        "SELECT 1 FROM (SELECT x AS q FROM app.v_rename) s WHERE q < '5'",
        "WITH t AS (SELECT w AS q FROM app.v_of_view) SELECT count(*) FROM t WHERE q > '2'",
        "SELECT k FROM app.v_rename WHERE y LIKE '4111%'",
        "SELECT k FROM app.v_rename v WHERE to_jsonb(v)::text LIKE '%219%'",
        "SELECT x::int FROM app.v_rename WHERE k = 1",
        "SELECT 1 FROM app.v_rename v JOIN app.payments p ON v.y = p.status",
        "SELECT count(*) FILTER (WHERE z LIKE 'a%') FROM app.v_rename"
      })
  void aRenamedMaskedColumnIsRefusedOutsideTheSelectList(String sql) throws Exception {
    for (String mode : List.of(TEXT, BINARY)) {
      try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, mode)) {
        PSQLException e = failure(c, sql);
        assertThat(e != null).as(sql + " (" + mode + ") ran").isTrue();
        assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42501");
        assertThat(e.getMessage()).contains("masking-inference").contains("masked column `app.");
        assertThat(Secrets.findIn(e.getMessage())).isNull();
      }
    }
  }

  @Test
  void aLookupThroughTheViewRunsAndItsColumnsComeBackMasked() throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, TEXT);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT k, x, z FROM app.v_rename WHERE x = '219-09-9999'")) {
      List<String> row = new ArrayList<>();
      assertThat(rs.next()).isTrue();
      for (int i = 1; i <= 3; i++) {
        row.add(rs.getString(i));
      }
      assertThat(row.get(0)).isEqualTo("1");
      assertThat(row).allSatisfy(v -> assertThat(Secrets.findIn(v)).isNull());
    }
  }

  @Test
  void aClearedPrincipalMaySortByTheRenamedColumn() throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.SUPPORT_LEAD, TestPostgres.SHOP, TEXT);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT x FROM app.v_rename WHERE k < 4 ORDER BY x")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("078-05-1120");
    }
  }

  /**
   * With {@code pg_catalog} or {@code information_schema} first on the search_path, analysis places
   * an unqualified {@code customers} there; the catalog finds the table it is, so the use of its
   * masked column is refused all the same.
   */
  @ParameterizedTest
  @ValueSource(strings = {"pg_catalog, app", "information_schema, app"})
  void aSearchPathThatMisplacesTheTableHidesNoMaskedColumn(String path) throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, TEXT);
        Statement s = c.createStatement()) {
      s.execute("SET search_path = " + path);
      PSQLException e = failure(c, "SELECT id FROM customers WHERE ssn LIKE '219%'");
      assertThat(e != null).as("ran under search_path " + path).isTrue();
      assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42501");
      assertThat(e.getMessage()).contains("masking-inference");
    }
  }

  /**
   * A SET undone by ROLLBACK leaves PostgreSQL on {@code app} while the gateway may still resolve
   * names in {@code information_schema}: the catalog finds {@code customers} in {@code app}.
   */
  @Test
  void aSearchPathUndoneByRollbackHidesNoMaskedColumn() throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, TEXT);
        Statement s = c.createStatement()) {
      s.execute("SET search_path = app");
      s.execute("BEGIN");
      s.execute("SET search_path = information_schema");
      s.execute("ROLLBACK");
      PSQLException e = failure(c, "SELECT id FROM customers WHERE ssn LIKE '219%'");
      assertThat(e != null).as("ran").isTrue();
      assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42501");
    }
  }

  private static PSQLException failure(Connection c, String sql) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql);
        ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        rs.getObject(1);
      }
      return null;
    } catch (PSQLException e) {
      return e;
    }
  }
}
