package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;

/**
 * Red-team round 59: a value computed from a masked column is NULL or not by the value, and the
 * mask kept NULL as NULL, so {@code nullif(substr(ssn, i, 1), 'c')} read an SSN one character per
 * column. Over the wire, in a SELECT (simple protocol, extended with binary results) and a COPY,
 * every guess now gets the same answer; the cleared principal still sees PostgreSQL's own.
 */
class NullChannelWireIT {

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = ProxyFixture.reference(TestPostgres.get().createShopDatabase("wire_nulls"), "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "preferQueryMode=simple",
        "prepareThreshold=-1&binaryTransfer=true",
        "copy",
      })
  void everyGuessGetsTheSameAnswer(String mode) throws Exception {
    Set<String> analyst = new HashSet<>();
    Set<String> cleared = new HashSet<>();
    for (String guess : List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "-")) {
      String sql =
          "SELECT nullif(substr(ssn, 1, 1), '"
              + guess
              + "') AS a, substring(ssn FROM '^"
              + guess
              + "') AS b FROM app.customers WHERE id = 1";
      analyst.add(answer(ReferencePrincipal.ANALYST, sql, mode));
      cleared.add(answer(ReferencePrincipal.SUPPORT_LEAD, sql, mode));
    }
    // unmasked, the answers differ by the guess: the channel is there
    assertThat(cleared).as("the cleared principal's answers").hasSizeGreaterThan(1);
    assertThat(analyst).as("the analyst's answers").hasSize(1);
    assertThat(analyst.iterator().next()).doesNotContain("null").doesNotContain("\\N");
  }

  private static String answer(ReferencePrincipal who, String sql, String mode) throws Exception {
    if (mode.equals("copy")) {
      try (Connection c = proxy.connect(who, TestPostgres.SHOP, "")) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + sql + ") TO STDOUT", out);
        return out.toString(StandardCharsets.UTF_8);
      }
    }
    try (Connection c = proxy.connect(who, TestPostgres.SHOP, mode);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      StringBuilder b = new StringBuilder();
      while (rs.next()) {
        b.append(rs.getString(1)).append('|').append(rs.getString(2)).append('\n');
      }
      return b.toString();
    }
  }
}
