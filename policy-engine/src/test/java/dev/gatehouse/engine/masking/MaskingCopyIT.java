package dev.gatehouse.engine.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.masking.catalog.JdbcCatalog;
import dev.gatehouse.testkit.CorpusCase;
import dev.gatehouse.testkit.Secrets;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * COPY ... TO STDOUT through pgjdbc's CopyManager as the read-only role, each CopyData message
 * masked by {@link CopyRowMasker}: text, CSV and binary.
 */
class MaskingCopyIT {

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
            null);
  }

  @AfterAll
  static void close() throws SQLException {
    reader.close();
  }

  static Stream<String> copies() {
    Stream<String> corpus =
        CorpusCase.all().stream()
            .filter(c -> c.expect().equals("deny_or_masked"))
            .map(CorpusCase::sql)
            .filter(sql -> sql.regionMatches(true, 0, "COPY", 0, 4));
    return Stream.concat(
        corpus,
        Stream.of(
            "COPY app.customers TO STDOUT WITH (FORMAT binary)",
            "COPY (SELECT c FROM app.customers c) TO STDOUT WITH (FORMAT binary)",
            "COPY app.payments (id, card_number) TO STDOUT WITH (FORMAT csv, HEADER true)",
            "COPY (SELECT upper(email), ssn || '' FROM app.customers) TO STDOUT"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("copies")
  void noSecretLeavesACopy(String sql) throws SQLException {
    CopyCommand copy = CopyCommand.parse(sql);
    List<ResultColumn> columns =
        WireResults.describe(reader, copy.query()).stream()
            .map(
                c ->
                    new ResultColumn(
                        c.name(),
                        c.tableOid(),
                        c.columnNumber(),
                        c.typeOid(),
                        c.typeSize(),
                        c.typeModifier(),
                        copy.format().columnFormat()))
            .toList();
    MaskPlan plan =
        planner.plan(
            ReferenceMasking.UNCLEARED,
            ReferenceMasking.analyze(copy.query()),
            columns,
            TestPostgres.SHOP);
    CopyRowMasker masker = new CopyRowMasker(plan, columns.size(), copy.format());

    List<byte[]> raw = copyOut(sql);
    assertThat(raw.stream().filter(d -> SecretScan.find(d) != null).count())
        .as("the unmasked copy carries secrets")
        .isPositive();
    int rows = 0;
    for (byte[] data : raw) {
      byte[] masked = masker.mask(data);
      Secrets.Secret leak = SecretScan.find(masked);
      assertThat(leak)
          .as("%s leaks in %s", sql, new String(masked, StandardCharsets.UTF_8))
          .isNull();
      rows++;
    }
    assertThat(rows).isGreaterThanOrEqualTo(1000);
    assertThat(plan.applied()).isNotEmpty();
  }

  @Test
  void textCopyKeepsUnmaskedFieldsAndMasksInPlace() throws SQLException {
    String sql =
        "COPY (SELECT id, full_name, email, card_number FROM app.customers WHERE id = 1) TO STDOUT";
    CopyCommand copy = CopyCommand.parse(sql);
    List<ResultColumn> columns = WireResults.describe(reader, copy.query());
    MaskPlan plan =
        planner.plan(
            ReferenceMasking.UNCLEARED,
            ReferenceMasking.analyze(copy.query()),
            columns,
            TestPostgres.SHOP);
    CopyRowMasker masker = new CopyRowMasker(plan, columns.size(), copy.format());
    List<byte[]> raw = copyOut(sql);
    assertThat(new String(masker.mask(raw.getFirst()), StandardCharsets.UTF_8))
        .isEqualTo("1\tAlice Archer\ta****@example.com\t************1111\n");
  }

  @Test
  void refusesRowsOfAnotherShape() throws SQLException {
    String sql = "COPY (SELECT id, email FROM app.customers WHERE id = 1) TO STDOUT";
    CopyCommand copy = CopyCommand.parse(sql);
    List<ResultColumn> columns = WireResults.describe(reader, copy.query());
    MaskPlan plan =
        planner.plan(
            ReferenceMasking.UNCLEARED,
            ReferenceMasking.analyze(copy.query()),
            columns,
            TestPostgres.SHOP);
    CopyRowMasker masker = new CopyRowMasker(plan, columns.size() + 1, copy.format());
    byte[] row = copyOut(sql).getFirst();
    assertThatThrownBy(() -> masker.mask(row))
        .isInstanceOf(CopyMaskingException.class)
        .hasMessageContaining("2 columns where 3 were planned");
  }

  private static List<byte[]> copyOut(String sql) throws SQLException {
    CopyOut out = reader.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
    List<byte[]> data = new ArrayList<>();
    byte[] chunk;
    while ((chunk = out.readFromCopy()) != null) {
      data.add(chunk);
    }
    return data;
  }
}
