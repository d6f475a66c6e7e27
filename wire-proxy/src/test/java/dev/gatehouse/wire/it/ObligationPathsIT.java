package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.PGConnection;

/**
 * The statement timeout and the read-only session hold on every path a statement can take through
 * the wire: the simple protocol, the extended protocol, an SQL cursor (DECLARE, then FETCH runs it)
 * and COPY TO STDOUT. The reference policy with a 1 s timeout; the cleared reader (no masking, so
 * cursors may be fetched) and the analyst where masking allows the path.
 */
class ObligationPathsIT {

  private static final String ENDLESS = "SELECT count(*) FROM generate_series(1, 100000000000)";
  private static final String READ_ONLY = "SELECT current_setting('transaction_read_only')";

  static ProxyFixture proxy;

  /** How a statement reaches the server. */
  enum Path {
    SIMPLE,
    EXTENDED,
    CURSOR,
    COPY_OUT
  }

  @BeforeAll
  static void start() {
    proxy =
        ProxyFixture.reference(
            TestPostgres.get().createShopDatabase("wire_obligations"),
            policy -> policy.replace("statementTimeout: 30s", "statementTimeout: 1s"));
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void theTimeoutCancelsTheStatementOnEveryPath(Path path) throws Exception {
    try (Connection c = connect(ReferencePrincipal.SUPPORT_LEAD, path)) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> run(c, path, ENDLESS))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> assertThat(e.getSQLState()).as(path.name()).isEqualTo("57014"))
          .hasMessageContaining("statement timeout");
      assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(20_000);
      // the connection stays usable after the error
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      assertThat(run(c, path, "SELECT 1")).isEqualTo("1");
    }
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void theSessionIsReadOnlyOnEveryPath(Path path) throws Exception {
    try (Connection c = connect(ReferencePrincipal.SUPPORT_LEAD, path)) {
      assertThat(run(c, path, READ_ONLY)).isEqualTo("on");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Path.class,
      names = {"SIMPLE", "EXTENDED", "COPY_OUT"})
  void theAnalystsToo(Path path) throws Exception {
    try (Connection c = connect(ReferencePrincipal.ANALYST, path)) {
      assertThat(run(c, path, READ_ONLY)).isEqualTo("on");
      assertThatThrownBy(() -> run(c, path, ENDLESS))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
    }
  }

  /**
   * What a client may send to reset its session (DISCARD ALL, allowed: pgjdbc and poolers send it)
   * or tries to (RESET ALL, SET statement_timeout, SET ROLE, ...: refused) leaves the timeout, the
   * read-only session and the upstream role as the policy set them: the gateway sets them as
   * startup options, the values DISCARD ALL and RESET go back to.
   */
  @ParameterizedTest
  @EnumSource(
      value = Path.class,
      names = {"SIMPLE", "EXTENDED"})
  void resetsLeaveTheObligations(Path path) throws Exception {
    try (Connection c = connect(ReferencePrincipal.ANALYST, path)) {
      try (Statement s = c.createStatement()) {
        s.execute("DISCARD ALL");
      }
      for (String refused :
          List.of(
              "RESET ALL",
              "SET statement_timeout = 0",
              "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
              "SET ROLE gatehouse_writer",
              "RESET ROLE",
              "SET SESSION AUTHORIZATION DEFAULT")) {
        assertThatThrownBy(() -> run(c, path, refused))
            .as(refused)
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
      }
      assertThat(run(c, path, "SELECT current_setting('statement_timeout')")).isEqualTo("1s");
      assertThat(run(c, path, READ_ONLY)).isEqualTo("on");
      assertThat(run(c, path, "SELECT current_user")).isEqualTo("gatehouse_reader");
    }
  }

  private static Connection connect(ReferencePrincipal who, Path path) throws SQLException {
    Connection c =
        proxy.connect(
            who, TestPostgres.SHOP, path == Path.EXTENDED ? PgJdbcIT.EXTENDED : PgJdbcIT.SIMPLE);
    if (path == Path.CURSOR) {
      c.setAutoCommit(false); // a cursor lives in a transaction
    }
    return c;
  }

  /** Runs {@code select} by {@code path}; the first cell of its first row. */
  private static String run(Connection c, Path path, String select) throws Exception {
    switch (path) {
      case SIMPLE -> {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery(select)) {
          rs.next();
          return rs.getString(1);
        }
      }
      case EXTENDED -> {
        try (PreparedStatement ps = c.prepareStatement(select);
            ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
      case CURSOR -> {
        try (Statement s = c.createStatement()) {
          s.execute("DECLARE obligations CURSOR FOR " + select);
          try (ResultSet rs = s.executeQuery("FETCH 1 FROM obligations")) {
            rs.next();
            return rs.getString(1);
          } finally {
            if (!c.isClosed()) {
              c.rollback();
            }
          }
        }
      }
      case COPY_OUT -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + select + ") TO STDOUT", out);
        return out.toString(StandardCharsets.UTF_8).strip();
      }
    }
    throw new IllegalArgumentException(path.name());
  }
}
