package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.Secrets;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLWarning;
import org.postgresql.util.ServerErrorMessage;

/**
 * Errors and notices that echo masked values, over the wire in the simple protocol (text) and the
 * extended protocol with binary results: no field of the ErrorResponse or NoticeResponse carries a
 * secret for a principal without clearance, the SQLSTATE stays, and the audit record holds the
 * redacted text. A cleared principal gets PostgreSQL's own text.
 */
class ErrorRedactionWireIT {

  private static final String TEXT = "preferQueryMode=simple";
  private static final String BINARY = "prepareThreshold=-1&binaryTransfer=true";

  static ProxyFixture proxy;

  @BeforeAll
  static void start() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    String db = pg.createShopDatabase("wire_errors");
    try (Connection c = pg.connectAsAdmin(db);
        Statement s = c.createStatement()) {
      // a shop function that reports the customer's SSN in a NOTICE
      s.execute(
          "CREATE FUNCTION app.noted(customer bigint) RETURNS text LANGUAGE plpgsql AS $$"
              + " DECLARE t text; BEGIN SELECT ssn INTO t FROM app.customers WHERE id = customer;"
              + " RAISE NOTICE 'checking %', t USING DETAIL = t, HINT = t; RETURN 'ok'; END $$");
      s.execute("GRANT EXECUTE ON FUNCTION app.noted(bigint) TO PUBLIC");
    }
    proxy = ProxyFixture.reference(db, "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @ParameterizedTest(name = "{0} ({2})")
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT ssn::int FROM app.customers WHERE id = 1|22P02|" + TEXT,
        "SELECT ssn::int FROM app.customers WHERE id = 1|22P02|" + BINARY,
        "SELECT ssn::json FROM app.customers WHERE id = 1|22P02|" + TEXT,
        "SELECT ssn::json FROM app.customers WHERE id = 1|22P02|" + BINARY,
        "SELECT card_number::smallint FROM app.customers WHERE id = 1|22003|" + TEXT,
        "SELECT current_setting(ssn) FROM app.customers WHERE id = 1|42704|" + BINARY,
        "SELECT date_trunc(ssn, now()) FROM app.customers WHERE id = 1|22023|" + TEXT,
        "SELECT xmlparse(document ssn) FROM app.customers WHERE id = 1|2200M|" + BINARY,
        "SELECT to_date(ssn, 'YYYY-MM-DD') FROM app.customers WHERE id = 1|22008|" + TEXT,
        "SELECT app.customer_email(1)::int|22P02|" + BINARY,
        "SELECT app.customer_email(1)::int|22P02|" + TEXT,
        "SELECT app.customer_email(2)::uuid|22P02|" + TEXT,
        "SELECT current_setting(app.customer_email(3))|42704|" + BINARY,
      })
  void errorFieldsCarryNoSecret(String sql, String state, String mode) throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, mode);
        Statement s = c.createStatement()) {
      ServerErrorMessage e = serverError(s, sql);
      if (e.getSQLState().equals("42501")) {
        // A computation that could raise an error over a masked column, or over the result of a
        // function the analysis cannot see into (red-team S5), is refused before it runs (the
        // error/no-error oracle); others run, and PostgreSQL's error text is withheld.
        assertThat(e.getMessage()).contains("masking-inference");
        state = "42501";
      } else {
        assertThat(e.getSQLState()).isEqualTo(state);
        assertThat(e.getMessage()).contains("withheld");
      }
      assertNoSecret(e);
      // the connection stays usable
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
    assertAuditHoldsNoSecret(state);
  }

  @Test
  void noticeFieldsCarryNoSecret() throws Exception {
    for (String mode : List.of(TEXT, BINARY)) {
      try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, mode);
          Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT app.noted(1)")) {
          assertThat(rs.next()).isTrue();
        }
        List<ServerErrorMessage> notices = notices(s.getWarnings());
        assertThat(notices).as(mode).isNotEmpty();
        for (ServerErrorMessage n : notices) {
          assertThat(n.getMessage()).contains("withheld");
          assertThat(n.getDetail()).isNull();
          assertThat(n.getHint()).isNull();
          assertNoSecret(n);
        }
      }
    }
  }

  @Test
  void clearedPrincipalGetsPostgresText() throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.SUPPORT_LEAD, TestPostgres.SHOP, TEXT);
        Statement s = c.createStatement()) {
      ServerErrorMessage e = serverError(s, "SELECT ssn::int FROM app.customers WHERE id = 1");
      assertThat(e.getMessage()).contains("219-09-9999");
    }
    // the trail's readers may not be cleared: the stored text is redacted all the same
    assertAuditHoldsNoSecret("22P02");
  }

  @Test
  void statementWithoutMaskedDataKeepsItsText() throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, TEXT);
        Statement s = c.createStatement()) {
      ServerErrorMessage e =
          serverError(s, "SELECT full_name::int FROM app.customers WHERE id = 1");
      assertThat(e.getMessage()).contains("Alice Archer");
    }
  }

  private static ServerErrorMessage serverError(Statement s, String sql) throws SQLException {
    try {
      if (s.getConnection().getMetaData().getURL().contains("binaryTransfer")) {
        try (PreparedStatement p = s.getConnection().prepareStatement(sql);
            ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            rs.getObject(1);
          }
        }
      } else {
        try (ResultSet rs = s.executeQuery(sql)) {
          while (rs.next()) {
            rs.getObject(1);
          }
        }
      }
    } catch (PSQLException e) {
      assertThat(e.getServerErrorMessage()).as(e.getMessage()).isNotNull();
      return e.getServerErrorMessage();
    }
    return fail("`" + sql + "` did not fail");
  }

  private static List<ServerErrorMessage> notices(SQLWarning w) {
    List<ServerErrorMessage> out = new ArrayList<>();
    for (SQLWarning x = w; x != null; x = x.getNextWarning()) {
      if (x instanceof PSQLWarning p && p.getServerErrorMessage() != null) {
        out.add(p.getServerErrorMessage());
      }
    }
    return out;
  }

  /** Every field PostgreSQL may send: message, detail, hint, context, internal query, names. */
  private static void assertNoSecret(ServerErrorMessage e) {
    List<String> fields = new ArrayList<>();
    fields.add(e.getMessage());
    fields.add(e.getDetail());
    fields.add(e.getHint());
    fields.add(e.getWhere());
    fields.add(e.getInternalQuery());
    fields.add(e.getSchema());
    fields.add(e.getTable());
    fields.add(e.getColumn());
    fields.add(e.getDatatype());
    fields.add(e.getConstraint());
    fields.add(e.getRoutine());
    fields.add(e.getFile());
    fields.add(e.toString());
    for (String f : fields) {
      assertThat(Secrets.findIn(f)).as("field `%s` of %s", f, e).isNull();
    }
  }

  /** No audit record (the control database's stored bodies) holds a secret; the error is there. */
  private static void assertAuditHoldsNoSecret(String state) throws Exception {
    var control = proxy.reference.engine().control().settings();
    TestPostgres pg = TestPostgres.get();
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<String> bodies = new ArrayList<>();
    boolean found = false;
    while (!found && System.nanoTime() < deadline) {
      bodies.clear();
      try (Connection c =
              DriverManager.getConnection(control.jdbcUrl(), pg.adminUser(), pg.adminPassword());
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT body FROM " + control.schema() + ".audit_record")) {
        while (rs.next()) {
          bodies.add(rs.getString(1));
        }
      }
      found =
          bodies.stream()
              .anyMatch(
                  b ->
                      b.contains(state)
                          && (b.contains("withheld") || b.contains("masking-inference")));
    }
    assertThat(found).as("an audit record of the %s error, in %s", state, bodies).isTrue();
    for (String body : bodies) {
      assertThat(Secrets.findIn(body)).as(body).isNull();
    }
  }
}
