package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
import org.postgresql.PGConnection;

/**
 * COPY TO STDOUT through the proxy under the reference policy, with pgjdbc's COPY API: text, CSV
 * with its options and binary carry the same values a SELECT of the same rows shows, masked columns
 * masked the same way; COPY FROM STDIN follows the write rules.
 */
class CopyOutIT {

  private static final String ROWS = "(SELECT * FROM app.customers WHERE id <= 20 ORDER BY id)";

  static ProxyFixture proxy;
  static String db;

  @BeforeAll
  static void start() {
    db = TestPostgres.get().createShopDatabase("wire_copy");
    proxy = ProxyFixture.reference(db, "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  /** The rows as a SELECT through the proxy shows them, in COPY's text format. */
  private static List<String> selected(ReferencePrincipal who) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection c = proxy.connect(who, TestPostgres.SHOP, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + ROWS + " r")) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          String v = rs.getString(i);
          cells.add(v == null ? "\\N" : v.replace("\\", "\\\\").replace("\t", "\\t"));
        }
        lines.add(String.join("\t", cells));
      }
    }
    return lines;
  }

  private static String copyOut(ReferencePrincipal who, String sql) throws Exception {
    try (Connection c = proxy.connect(who, TestPostgres.SHOP, "")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"analyst", "support-lead"})
  void textCopyIsTheSelectsRows(String subject) throws Exception {
    ReferencePrincipal who = ReferencePrincipal.of(subject);
    List<String> copied = copyOut(who, "COPY " + ROWS + " TO STDOUT").lines().toList();
    assertThat(copied).hasSize(20).isEqualTo(selected(who));
    if (who == ReferencePrincipal.ANALYST) {
      // id and full_name in clear, email masked as the rule says, ssn redacted
      assertThat(copied.getFirst()).startsWith("1\t").matches("1\t[^\\t\\\\]+\t[a-z]\\*+@.*");
      assertThat(String.join("\n", copied)).doesNotContain("alice@");
    }
  }

  @Test
  void copyOfATableIsItsRowsMasked() throws Exception {
    String copied = copyOut(ReferencePrincipal.ANALYST, "COPY app.customers TO STDOUT");
    List<String> lines = copied.lines().toList();
    assertThat(lines).hasSizeGreaterThan(20);
    assertThat(lines.subList(0, 20)).isEqualTo(selected(ReferencePrincipal.ANALYST));
    String columns = copyOut(ReferencePrincipal.ANALYST, "COPY app.customers (id, ssn) TO STDOUT");
    assertThat(columns.lines().findFirst().orElseThrow()).isEqualTo("1\t****");
  }

  @Test
  void csvWithEveryOptionParsesBackToTheSelectsValues() throws Exception {
    String csv =
        copyOut(
            ReferencePrincipal.ANALYST,
            "COPY "
                + ROWS
                + " TO STDOUT WITH (FORMAT csv, HEADER true, DELIMITER ';', QUOTE '''',"
                + " ESCAPE '\\', FORCE_QUOTE (full_name, email), NULL 'nil', ENCODING 'UTF8')");
    List<String> lines = csv.lines().toList();
    assertThat(lines.getFirst()).isEqualTo("id;full_name;email;ssn;card_number;phone;created_at");
    List<String> expected = selected(ReferencePrincipal.ANALYST);
    for (int i = 0; i < 20; i++) {
      assertThat(String.join("\t", csvFields(lines.get(i + 1), ';', '\'', '\\', "nil")))
          .isEqualTo(expected.get(i));
    }
    String legacy =
        copyOut(ReferencePrincipal.ANALYST, "COPY " + ROWS + " TO STDOUT CSV FORCE QUOTE *");
    assertThat(legacy.lines().toList()).hasSize(20);
    assertThat(legacy).doesNotContain("alice@");
  }

  /** Splits one CSV line (no embedded newlines in this data) into COPY-text-style cells. */
  private static List<String> csvFields(
      String line, char delimiter, char quote, char escape, String nullString) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i <= line.length(); i++) {
      char c = i < line.length() ? line.charAt(i) : delimiter;
      if (quoted) {
        if (c == escape && i + 1 < line.length() && line.charAt(i + 1) == quote) {
          cell.append(quote);
          i++;
        } else if (c == quote) {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == quote) {
        quoted = true;
        wasQuoted = true;
      } else if (c == delimiter) {
        String v = cell.toString();
        out.add(!wasQuoted && v.equals(nullString) ? "\\N" : v.replace("\\", "\\\\"));
        cell.setLength(0);
        wasQuoted = false;
      } else {
        cell.append(c);
      }
    }
    return out;
  }

  @Test
  void binaryCopyLoadsIntoATableOfTheSameTypes() throws Exception {
    byte[] binary;
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyOut("COPY " + ROWS + " TO STDOUT (FORMAT binary)", out);
      binary = out.toByteArray();
    }
    // Loaded straight into PostgreSQL: every masked value must be valid for its binary type.
    try (Connection admin = TestPostgres.get().connectAsAdmin(db);
        Statement s = admin.createStatement()) {
      s.execute("CREATE TEMP TABLE loaded (LIKE app.customers)");
      long rows =
          admin
              .unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn("COPY loaded FROM STDIN (FORMAT binary)", new ByteArrayInputStream(binary));
      assertThat(rows).isEqualTo(20);
      List<String> loaded = new ArrayList<>();
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      admin.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY loaded TO STDOUT", text);
      loaded.addAll(text.toString(StandardCharsets.UTF_8).lines().toList());
      assertThat(loaded).isEqualTo(selected(ReferencePrincipal.ANALYST));
    }
  }

  @Test
  void copyInFollowsTheWriteRules() throws Exception {
    String row = "1\t42\t9.99\tnote\n";
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "")) {
      assertThatThrownBy(
              () ->
                  c.unwrap(PGConnection.class)
                      .getCopyAPI()
                      .copyIn(
                          "COPY app.orders (customer_id, id, total, note) FROM STDIN",
                          new ByteArrayInputStream(row.getBytes(StandardCharsets.UTF_8))))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }
    try (Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, "")) {
      var copy = c.unwrap(PGConnection.class).getCopyAPI();
      String rows = "1\t900001\t9.99\tcopied in\n2\t900002\t1.50\t\\N\n";
      assertThat(
              copy.copyIn(
                  "COPY app.orders (customer_id, id, total, note) FROM STDIN",
                  new ByteArrayInputStream(rows.getBytes(StandardCharsets.UTF_8))))
          .isEqualTo(2);
      assertThatThrownBy(
              () ->
                  copy.copyIn(
                      "COPY app.customers (full_name) FROM STDIN",
                      new ByteArrayInputStream("x\n".getBytes(StandardCharsets.UTF_8))))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }
    try (Connection admin = TestPostgres.get().connectAsAdmin(db);
        Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM app.orders WHERE id > 900000")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(2);
    }
  }
}
