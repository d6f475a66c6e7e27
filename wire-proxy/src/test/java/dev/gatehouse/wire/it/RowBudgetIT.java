package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLWarning;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The analyst's row limit (10,000 in the reference policy) holds however the rows are fetched:
 * portal by portal (JDBC setFetchSize), FETCH by FETCH from an SQL cursor, and COPY TO STDOUT.
 */
class RowBudgetIT {

  private static final String MANY = "SELECT g FROM generate_series(1, 25000) AS g";

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = ProxyFixture.reference(TestPostgres.get().createShopDatabase("wire_budget"), "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void fetchSizeCountsPerPortal() throws Exception {
    try (Connection c = connect(PgJdbcIT.EXTENDED)) {
      c.setAutoCommit(false); // pgjdbc fetches by portal only inside a transaction
      try (Statement s = c.createStatement()) {
        s.setFetchSize(1000);
        long rows = 0;
        try (ResultSet rs = s.executeQuery(MANY)) {
          while (rs.next()) {
            rows++;
          }
          assertThat(warnings(s.getWarnings(), rs.getWarnings())).contains("truncated");
        }
        assertThat(rows).isEqualTo(10_000);
      }
      c.rollback();
    }
  }

  @Test
  void sqlCursorCountsAcrossFetches() throws Exception {
    // Rows of a cursor cannot be masked, so only a principal exempt from masking may FETCH.
    try (Connection c =
            proxy.connect(ReferencePrincipal.SUPPORT_LEAD, TestPostgres.SHOP, PgJdbcIT.SIMPLE);
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("DECLARE big CURSOR FOR " + MANY);
      long rows = 0;
      String warned = "";
      for (int i = 0; i < 5; i++) {
        try (ResultSet rs = s.executeQuery("FETCH 5000 FROM big")) {
          while (rs.next()) {
            rows++;
          }
          warned += warnings(s.getWarnings(), rs.getWarnings());
        }
      }
      assertThat(rows).isEqualTo(10_000);
      assertThat(warned).contains("truncated");
      c.rollback();
    }
  }

  @Test
  void copyOutIsLimited() throws Exception {
    try (Connection c = connect(PgJdbcIT.SIMPLE)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long copied =
          c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + MANY + ") TO STDOUT", out);
      String text = out.toString(StandardCharsets.UTF_8);
      assertThat(text.lines().count()).isEqualTo(10_000);
      assertThat(copied).isEqualTo(10_000);
    }
  }

  private static String warnings(SQLWarning... all) {
    StringBuilder b = new StringBuilder();
    for (SQLWarning w : all) {
      for (SQLWarning x = w; x != null; x = x.getNextWarning()) {
        b.append(x.getMessage()).append('\n');
      }
    }
    return b.toString();
  }

  static Connection connect(String mode) throws Exception {
    return proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, mode);
  }
}
