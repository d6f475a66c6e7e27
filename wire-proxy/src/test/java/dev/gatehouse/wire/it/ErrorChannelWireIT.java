package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ErrorEchoCases;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLWarning;
import org.postgresql.util.ServerErrorMessage;

/**
 * Every case of {@link ErrorEchoCases} over the wire, in the simple protocol (text) and the
 * extended protocol with binary results, as analyst or etl-nightly under the reference policy:
 * refused, or run; no field of any ErrorResponse or NoticeResponse (message, detail, hint, context,
 * internal query, names), no notification payload and no result cell carries a masked value, and
 * afterwards no audit record holds one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErrorChannelWireIT {

  private static final String TEXT = "preferQueryMode=simple";
  private static final String BINARY = "prepareThreshold=-1&binaryTransfer=true";

  static ProxyFixture proxy;
  static String database;

  @BeforeAll
  static void start() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    String db = pg.createShopDatabase("wire_error_channel");
    database = db;
    try (Connection c = pg.connectAsAdmin(db);
        Statement s = c.createStatement()) {
      for (String sql : ErrorEchoCases.SETUP) {
        s.execute(sql);
      }
    }
    proxy = ProxyFixture.reference(db, "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  static List<ErrorEchoCases.Case> cases() {
    return ErrorEchoCases.all();
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void noFieldCarriesAValue(ErrorEchoCases.Case c) throws Exception {
    for (String mode : List.of(TEXT, BINARY)) {
      List<String> seen = seen(c.principal(), c.sql(), mode);
      for (String f : seen) {
        assertThat(ErrorEchoCases.leakIn(f)).as("%s (%s): %s", c, mode, f).isNull();
      }
    }
  }

  @Order(1)
  @Test
  void theCheckSeesWhatACleardPrincipalGets() throws Exception {
    // the same collection, for support-lead: PostgreSQL's own text, which quotes the value
    for (String mode : List.of(TEXT, BINARY)) {
      List<String> seen =
          seen(
              ReferencePrincipal.SUPPORT_LEAD,
              "SELECT ssn::int FROM app.customers WHERE id = 1",
              mode);
      assertThat(seen).anyMatch(f -> ErrorEchoCases.leakIn(f) != null);
    }
  }

  private static List<String> seen(ReferencePrincipal who, String sql, String mode)
      throws SQLException {
    List<String> seen = new ArrayList<>();
    try (Connection conn = proxy.connect(who, TestPostgres.SHOP, mode)) {
      conn.setAutoCommit(true);
      try (Statement s = conn.createStatement()) {
        run(conn, s, sql, mode, seen);
        warnings(s.getWarnings(), seen);
        warnings(conn.getWarnings(), seen);
        PGNotification[] notes = conn.unwrap(PGConnection.class).getNotifications();
        for (PGNotification n : notes == null ? new PGNotification[0] : notes) {
          seen.add("notification " + n.getName() + ": " + n.getParameter());
        }
      }
    }
    return seen;
  }

  @Order(1)
  @Test
  void notificationPayloadsFromOtherSessionsAreWithheld() throws Exception {
    // another session (the shop application, a trigger, a cleared user) notifies with a value
    for (String mode : List.of(TEXT, BINARY)) {
      assertThat(notified(ReferencePrincipal.ANALYST, mode))
          .as(mode)
          .containsExactly("shop_events: (withheld: notification payloads may carry masked data)");
      assertThat(notified(ReferencePrincipal.SUPPORT_LEAD, mode))
          .as(mode)
          .containsExactly("shop_events: 9999-90-912");
    }
  }

  private static List<String> notified(ReferencePrincipal who, String mode) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection conn = proxy.connect(who, TestPostgres.SHOP, mode);
        Statement s = conn.createStatement()) {
      List<String> seen = new ArrayList<>();
      run(conn, s, "LISTEN shop_events", mode, seen);
      try (Connection app = TestPostgres.get().connectAsAdmin(database);
          Statement a = app.createStatement()) {
        a.execute("NOTIFY shop_events, '9999-90-912'");
      }
      // delivered while the session is idle, or with the next statement's answers
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (out.isEmpty() && System.nanoTime() < deadline) {
        run(conn, s, "SELECT 1", mode, seen);
        PGNotification[] notes = conn.unwrap(PGConnection.class).getNotifications(200);
        for (PGNotification n : notes == null ? new PGNotification[0] : notes) {
          out.add(n.getName() + ": " + n.getParameter());
        }
      }
    }
    return out;
  }

  @Order(1)
  @Test
  void aClearedPrincipalSeesTheFunctionsTextAndTheTrailDoesNot() throws Exception {
    for (String mode : List.of(TEXT, BINARY)) {
      // the function raises with SQLSTATE 42501, which otherwise says nothing about values
      List<String> seen = seen(ReferencePrincipal.SUPPORT_LEAD, "SELECT app.ssn_raised(1)", mode);
      assertThat(seen).anyMatch(f -> f.contains("9999-90-912"));
    }
    // noAuditRecordCarriesAValue, after this, reads the records
  }

  @Order(2)
  @Test
  void noAuditRecordCarriesAValue() throws Exception {
    var control = proxy.reference.engine().control().settings();
    TestPostgres pg = TestPostgres.get();
    List<String> bodies = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(control.jdbcUrl(), pg.adminUser(), pg.adminPassword());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT body FROM "
                    + control.schema()
                    + ".audit_record WHERE body LIKE '%sqlState%'")) {
      while (rs.next()) {
        bodies.add(rs.getString(1));
      }
    }
    assertThat(bodies).isNotEmpty();
    for (String body : bodies) {
      assertThat(ErrorEchoCases.leakIn(redactLiterals(body))).as(body).isNull();
    }
  }

  /** The statement text in a record is the caller's own: only what PostgreSQL said counts. */
  private static String redactLiterals(String body) {
    return body.replaceAll("\"sql\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)*\"", "\"sql\":\"\"");
  }

  private static void run(Connection conn, Statement s, String sql, String mode, List<String> seen)
      throws SQLException {
    try {
      if (mode.equals(BINARY)) {
        try (PreparedStatement p = conn.prepareStatement(sql)) {
          boolean rows = p.execute();
          collect(p, rows, seen);
          warnings(p.getWarnings(), seen);
        }
      } else {
        collect(s, s.execute(sql), seen);
      }
    } catch (PSQLException e) {
      ServerErrorMessage m = e.getServerErrorMessage();
      seen.add("error " + e.getMessage());
      if (m != null) {
        fields(m, seen);
      }
    }
  }

  private static void collect(Statement s, boolean rows, List<String> seen) throws SQLException {
    while (true) {
      if (rows) {
        try (ResultSet rs = s.getResultSet()) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= n; i++) {
              seen.add("cell " + rs.getString(i));
            }
          }
        }
      } else if (s.getUpdateCount() == -1) {
        return;
      }
      warnings(s.getWarnings(), seen);
      rows = s.getMoreResults();
    }
  }

  private static void warnings(SQLWarning w, List<String> seen) {
    for (SQLWarning x = w; x != null; x = x.getNextWarning()) {
      seen.add("warning " + x.getMessage());
      if (x instanceof PSQLWarning p && p.getServerErrorMessage() != null) {
        fields(p.getServerErrorMessage(), seen);
      }
    }
  }

  /** Every field PostgreSQL may send: message, detail, hint, context, internal query, names. */
  private static void fields(ServerErrorMessage e, List<String> seen) {
    for (String f :
        new String[] {
          e.getMessage(),
          e.getDetail(),
          e.getHint(),
          e.getWhere(),
          e.getInternalQuery(),
          e.getSchema(),
          e.getTable(),
          e.getColumn(),
          e.getDatatype(),
          e.getConstraint(),
          e.getRoutine(),
          e.getFile(),
          e.toString()
        }) {
      if (f != null) {
        seen.add("field " + f);
      }
    }
  }
}
