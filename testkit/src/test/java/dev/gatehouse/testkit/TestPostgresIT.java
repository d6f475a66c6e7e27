package dev.gatehouse.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestPostgresIT {

  private final TestPostgres pg = TestPostgres.get();

  @Test
  void readerReadsCustomersOverScram() throws SQLException {
    try (Connection c = pg.connect(TestPostgres.SHOP, pg.reader());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT full_name FROM app.customers WHERE id = 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("Alice Archer");
    }
    try (Connection c = pg.connectAsAdmin(TestPostgres.SHOP);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT auth_method FROM pg_hba_file_rules WHERE 'all' = ANY(user_name)"
                    + " AND type = 'host' ORDER BY line_number LIMIT 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("scram-sha-256");
    }
  }

  @Test
  void wrongPasswordIsRefused() {
    var wrong = new TestPostgres.UpstreamRole(pg.reader().name(), "not-the-password");
    assertThatThrownBy(() -> pg.connect(TestPostgres.SHOP, wrong).close())
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
  }

  @Test
  void readerCannotWriteEvenWhenAsked() throws SQLException {
    try (Connection c = pg.connect(TestPostgres.SHOP, pg.reader());
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM app.orders WHERE id = 1"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
    }
  }

  @Test
  void writerWritesOrdersButNotCustomers() throws SQLException {
    String db = pg.createShopDatabase("writer_grants");
    try (Connection c = pg.connect(db, pg.writer());
        Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("UPDATE app.orders SET note = 'x' WHERE id = 1")).isEqualTo(1);
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM app.customers WHERE id = 1"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }
  }

  @Test
  void shopHoldsTheCorpusData() throws SQLException {
    try (Connection c = pg.connectAsAdmin(TestPostgres.SHOP);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM app.customers), (SELECT count(*) FROM app.orders),"
                    + " (SELECT ssn FROM app.customers WHERE id = 1)")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(1000);
      assertThat(rs.getLong(2)).isEqualTo(5000);
      assertThat(Secrets.findIn(rs.getString(3))).isNotNull();
    }
  }
}
