package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.DataRow;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Close;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SQL PREPARE and EXECUTE through the gateway, as the analyst of the reference policy: an EXECUTE
 * is judged and masked as the statement it runs, and an EXECUTE whose statement the gateway did not
 * see prepared (or saw replaced) is refused.
 */
class SqlPrepareIT {

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = ProxyFixture.reference(TestPostgres.get().createShopDatabase("wire_prepare"), "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  private static Connection analyst() throws SQLException {
    // simple protocol: the statements go as written, as psql and pg_dump send them
    return proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "preferQueryMode=simple");
  }

  @Test
  void anExecuteIsMaskedAsTheStatementItRuns() throws Exception {
    try (Connection c = analyst();
        Statement s = c.createStatement()) {
      String direct;
      try (ResultSet rs = s.executeQuery("SELECT email, ssn FROM app.customers WHERE id = 1")) {
        rs.next();
        direct = rs.getString(1) + "|" + rs.getString(2);
      }
      s.execute("PREPARE one_customer(int) AS SELECT email, ssn FROM app.customers WHERE id = $1");
      try (ResultSet rs = s.executeQuery("EXECUTE one_customer(1)")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1) + "|" + rs.getString(2)).isEqualTo(direct);
        assertThat(rs.getString(2)).isEqualTo("****");
      }
      s.execute("DEALLOCATE one_customer");
      assertThatThrownBy(() -> s.executeQuery("EXECUTE one_customer(1)"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }
  }

  @Test
  void aPrepareOfWhatThePrincipalMayNotRunIsRefused() throws Exception {
    try (Connection c = analyst();
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("PREPARE wipe AS DELETE FROM app.customers"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }
  }

  @Test
  void aProtocolStatementOfTheSameNameMakesTheSqlOneUnknown() throws Exception {
    try (RawClient raw =
        RawClient.login(
            proxy.server.port(),
            "analyst",
            TestPostgres.SHOP,
            ProxyFixture.token(ReferencePrincipal.ANALYST))) {
      raw.send(new Query("PREPARE shared_name AS SELECT id FROM app.customers WHERE id = 1"));
      assertThat(raw.until('Z')).noneMatch(ErrorResponse.class::isInstance);
      // One namespace in PostgreSQL: a protocol Close deallocates the SQL statement, and a Parse
      // under its name prepares another statement, which an EXECUTE would then run.
      raw.send(
          new Close('S', "shared_name"),
          new Parse("shared_name", "SELECT ssn FROM app.customers WHERE id = 1", List.of()),
          new Sync());
      assertThat(raw.until('Z')).noneMatch(ErrorResponse.class::isInstance);
      raw.send(new Query("EXECUTE shared_name"));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers).noneMatch(DataRow.class::isInstance);
      assertThat(answers)
          .filteredOn(ErrorResponse.class::isInstance)
          .singleElement()
          .satisfies(e -> assertThat(((ErrorResponse) e).sqlState()).isEqualTo("42501"));
    }
  }

  @Test
  void aProtocolExecuteOfAStatementPreparedAgainIsRefused() throws Exception {
    try (RawClient raw =
        RawClient.login(
            proxy.server.port(),
            "analyst",
            TestPostgres.SHOP,
            ProxyFixture.token(ReferencePrincipal.ANALYST))) {
      raw.send(new Query("PREPARE q AS SELECT id FROM app.customers WHERE id = 1"));
      assertThat(raw.until('Z')).noneMatch(ErrorResponse.class::isInstance);
      raw.send(new Parse("e", "EXECUTE q", List.of()), new Sync());
      assertThat(raw.until('Z')).noneMatch(ErrorResponse.class::isInstance);
      raw.send(new Query("DEALLOCATE q"));
      raw.until('Z');
      raw.send(new Query("PREPARE q AS SELECT ssn FROM app.customers WHERE id = 1"));
      assertThat(raw.until('Z')).noneMatch(ErrorResponse.class::isInstance);
      // "e" was judged as EXECUTE of the first q; PostgreSQL would now run the second.
      raw.send(new Bind("", "e", List.of(), List.of(), List.of()), new Execute("", 0), new Sync());
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers).noneMatch(DataRow.class::isInstance);
      assertThat(answers)
          .filteredOn(ErrorResponse.class::isInstance)
          .singleElement()
          .satisfies(e -> assertThat(((ErrorResponse) e).message()).contains("prepared again"));
    }
  }
}
