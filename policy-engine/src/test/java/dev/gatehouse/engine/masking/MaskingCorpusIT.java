package dev.gatehouse.engine.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gatehouse.engine.masking.catalog.JdbcCatalog;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.testkit.CorpusCase;
import dev.gatehouse.testkit.Secrets;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus against the real test PostgreSQL as the read-only upstream role: raw result bytes, in
 * text and in binary format, masked by a plan made from lineage and the catalog. No cell of a
 * masked case may hold a secret; cleared and benign results must come back unchanged.
 */
class MaskingCorpusIT {

  private static Connection reader;
  private static CatalogMaskPlanner planner;

  @BeforeAll
  static void connect() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    reader = pg.connect(TestPostgres.SHOP, pg.reader());
    planner =
        new CatalogMaskPlanner(
            new JdbcCatalog(
                db -> {
                  try {
                    return pg.connect(db, pg.reader());
                  } catch (SQLException e) {
                    throw new IllegalStateException(e);
                  }
                },
                Duration.ofMinutes(1)),
            "corpus-test-pseudonym-key".getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void close() throws SQLException {
    reader.close();
  }

  static Stream<CorpusCase> maskedCases() {
    return CorpusCase.all().stream()
        .filter(c -> c.expect().equals("masked") || c.expect().equals("deny_or_masked"))
        .filter(c -> !c.sql().regionMatches(true, 0, "COPY", 0, 4));
  }

  static Stream<CorpusCase> clearCases() {
    // Statements here run as gatehouse_reader; a case about the upstream role itself (the
    // cleared readers' own role) is checked through the gateway by the wire and MCP corpus ITs.
    return CorpusCase.all().stream()
        .filter(c -> c.clearValue() != null)
        .filter(c -> !c.sql().toLowerCase(java.util.Locale.ROOT).contains("current_user"));
  }

  @ParameterizedTest(name = "{0} text")
  @MethodSource("maskedCases")
  void maskedInText(CorpusCase c) throws SQLException {
    assertMasked(c, WireResults.text(reader, c.sql()));
  }

  @ParameterizedTest(name = "{0} binary")
  @MethodSource("maskedCases")
  void maskedInBinary(CorpusCase c) throws SQLException {
    List<WireResults.Result> results = WireResults.binary(reader, c.sql());
    assertThat(results.getFirst().columns())
        .as("binary transfer forced")
        .allMatch(col -> col.format() == ResultColumn.BINARY);
    assertMasked(c, results);
  }

  private void assertMasked(CorpusCase c, List<WireResults.Result> results) throws SQLException {
    assertThat(results).as("%s returns rows", c).hasSize(1);
    WireResults.Result result = results.getFirst();
    // A case whose unmasked answer carries a secret in a recognisable form must have it masked
    // away; a case that derives information (an md5, a count, an order) proves itself by the
    // mask plan it must produce: no pass-through and recorded masks (checked below).
    boolean carriesSecret = leaks(result.rows()) > 0;
    assertThat(carriesSecret || c.id().startsWith("lin-"))
        .as("%s must return a secret when nothing masks it, or the test proves nothing", c)
        .isTrue();
    Analysis analysis = ReferenceMasking.analyze(c.sql());
    MaskPlan plan =
        planner.plan(ReferenceMasking.UNCLEARED, analysis, result.columns(), TestPostgres.SHOP);
    assertThat(plan.passesThrough()).isFalse();
    List<byte[][]> masked = mask(plan, result.rows());
    for (byte[][] row : masked) {
      for (int i = 0; i < row.length; i++) {
        Secrets.Secret leak = SecretScan.find(row[i]);
        if (leak != null) {
          fail(
              "%s leaks %s (%s of %s) in column %s; applied: %s",
              c,
              leak.value(),
              leak.form(),
              leak.column(),
              result.columns().get(i).name(),
              plan.applied());
        }
      }
    }
    System.out.println(c + " " + render(masked.getFirst()) + " " + plan.applied());
    assertThat(plan.applied()).as("%s records its masks", c).isNotEmpty();
    assertThat(plan.applied().toString()).doesNotContain("alice@example.com", "219-09-9999");
    List<byte[][]> sample = masked.subList(0, Math.min(3, masked.size()));
    if (result.columns().getFirst().format() == ResultColumn.TEXT) {
      assertValidText(result.columns(), sample);
    } else {
      assertValidBinary(result.columns(), result.rows().subList(0, sample.size()), sample);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clearCases")
  void clearedPrincipalSeesClearValue(CorpusCase c) throws SQLException {
    for (List<WireResults.Result> results :
        List.of(WireResults.text(reader, c.sql()), WireResults.binary(reader, c.sql()))) {
      WireResults.Result result = results.getFirst();
      MaskPlan plan =
          planner.plan(
              ReferenceMasking.forPrincipal(c.principal()),
              ReferenceMasking.analyze(c.sql()),
              result.columns(),
              TestPostgres.SHOP);
      assertThat(plan.passesThrough()).isTrue();
      byte[] cell = result.rows().getFirst()[0];
      assertThat(plan.apply(0, cell)).isSameAs(cell);
      assertThat(new String(cell, StandardCharsets.UTF_8)).isEqualTo(c.clearValue());
      // and the same statement is masked for a principal without clearance
      MaskPlan uncleared =
          planner.plan(
              ReferenceMasking.UNCLEARED,
              ReferenceMasking.analyze(c.sql()),
              result.columns(),
              TestPostgres.SHOP);
      assertThat(new String(uncleared.apply(0, cell), StandardCharsets.UTF_8))
          .isNotEqualTo(c.clearValue());
    }
  }

  static List<byte[][]> mask(MaskPlan plan, List<byte[][]> rows) {
    return rows.stream()
        .map(
            row -> {
              byte[][] out = new byte[row.length][];
              for (int i = 0; i < row.length; i++) {
                out[i] = plan.inspects(i) ? plan.apply(i, row[i]) : row[i];
              }
              return out;
            })
        .toList();
  }

  static String render(byte[][] row) {
    StringBuilder b = new StringBuilder("|");
    for (byte[] cell : row) {
      b.append(
              cell == null
                  ? "NULL"
                  : new String(cell, StandardCharsets.UTF_8).replaceAll("[^\\x20-\\x7e]", "."))
          .append('|');
    }
    return b.toString();
  }

  static int leaks(List<byte[][]> rows) {
    int n = 0;
    for (byte[][] row : rows) {
      for (byte[] cell : row) {
        n += SecretScan.find(cell) == null ? 0 : 1;
      }
    }
    return n;
  }

  /**
   * Masked binary cells must be accepted by their type's receive function. Anonymous records and
   * named row types have no receive function for arbitrary input, so they are checked by unit tests
   * against record_send's layout instead.
   */
  private static void assertValidBinary(
      List<ResultColumn> columns, List<byte[][]> raw, List<byte[][]> rows) throws SQLException {
    for (int r = 0; r < rows.size(); r++) {
      for (int i = 0; i < rows.get(r).length; i++) {
        byte[] cell = rows.get(r)[i];
        ResultColumn col = columns.get(i);
        if (cell == null
            || cell == raw.get(r)[i]
            || col.typeOid() == 2249
            || col.typeOid() > 16383) {
          continue;
        }
        WireResults.bindBinary(reader, cell, col.typeOid());
      }
    }
  }

  @org.junit.jupiter.api.Test
  void theBinaryCheckRejectsInvalidValues() throws SQLException {
    byte[] jsonbVersion2 = {2, '"', 'x', '"'};
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> WireResults.bindBinary(reader, jsonbVersion2, 3802))
        .isInstanceOf(SQLException.class);
    WireResults.bindBinary(reader, Placeholders.of(ValueKind.JSONB, 3802, 1), 3802);
    WireResults.bindBinary(reader, Placeholders.of(ValueKind.STRING_ARRAY, 1009, 1), 1009);
    WireResults.bindBinary(reader, Placeholders.of(ValueKind.STRING_ARRAY, 1015, 1), 1015);
  }

  /** Masked text cells must be accepted by their type's input function. */
  private static void assertValidText(List<ResultColumn> columns, List<byte[][]> rows)
      throws SQLException {
    for (byte[][] row : rows) {
      for (int i = 0; i < row.length; i++) {
        if (row[i] == null) {
          continue;
        }
        ResultColumn col = columns.get(i);
        try (PreparedStatement ps = reader.prepareStatement("SELECT format_type(?::oid, ?)")) {
          ps.setInt(1, col.typeOid());
          ps.setInt(2, col.typeModifier());
          String type;
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            type = rs.getString(1);
          }
          try (PreparedStatement cast =
              reader.prepareStatement("SELECT CAST(CAST(? AS text) AS " + type + ")")) {
            cast.setString(1, new String(row[i], StandardCharsets.UTF_8));
            cast.executeQuery().close();
          }
        }
      }
    }
  }
}
