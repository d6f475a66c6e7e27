package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.CommandComplete;
import dev.gatehouse.wire.protocol.backend.CopyData;
import dev.gatehouse.wire.protocol.backend.DataRow;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.NoticeResponse;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A writer's row limit holds for the rows its writes return (red-team: "UPDATE … RETURNING under
 * rowLimit 1 returns every row"): UPDATE, INSERT and DELETE … RETURNING and a write in a CTE, over
 * the simple and the extended protocol, in autocommit and in the client's transaction, with and
 * without a blast-radius bound (under which the write runs in the gateway's savepoint and its
 * answers are held, then relayed). Each write changes three rows; the client gets one and the
 * documented warning.
 */
class ReturningRowLimitIT {

  private static final AtomicInteger NEXT = new AtomicInteger(100);

  static ProxyFixture bounded;
  static ProxyFixture unbounded;

  /** A write returning three rows, on rows of its own. */
  enum Write {
    UPDATE("UPDATE app.orders SET note = 'r' WHERE id BETWEEN %d AND %d RETURNING id"),
    DELETE("DELETE FROM app.orders WHERE id BETWEEN %d AND %d RETURNING id"),
    INSERT(
        "INSERT INTO app.orders (customer_id, total, note) SELECT 1, 1, 'i' FROM"
            + " generate_series(%d, %d) RETURNING id"),
    CTE(
        "WITH x AS (UPDATE app.orders SET note = 'c' WHERE id BETWEEN %d AND %d RETURNING id)"
            + " SELECT id FROM x");

    String sql() {
      int from = NEXT.getAndAdd(3);
      return String.format(sql, from, from + 2);
    }

    private final String sql;

    Write(String sql) {
      this.sql = sql;
    }
  }

  @BeforeAll
  static void start() {
    bounded =
        ProxyFixture.reference(
            TestPostgres.get().createShopDatabase("wire_returning_bounded"),
            policy ->
                policy.replace(
                    "        maxRowsAffected: 100",
                    "        maxRowsAffected: 100\n        rowLimit: 1"));
    unbounded =
        ProxyFixture.reference(
            TestPostgres.get().createShopDatabase("wire_returning"),
            policy -> policy.replace("        maxRowsAffected: 100", "        rowLimit: 1"));
  }

  @AfterAll
  static void stop() {
    bounded.close();
    unbounded.close();
  }

  static Stream<Arguments> paths() {
    List<Arguments> all = new ArrayList<>();
    for (boolean bound : new boolean[] {false, true}) {
      for (String mode : new String[] {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED}) {
        for (boolean tx : new boolean[] {false, true}) {
          for (Write w : Write.values()) {
            all.add(
                Arguments.of(bound, mode.equals(PgJdbcIT.SIMPLE) ? "simple" : "extended", tx, w));
          }
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "bounded={0} {1} transaction={2} {3}")
  @MethodSource("paths")
  void theClientGetsTheLimitAndTheWarning(boolean bound, String mode, boolean tx, Write write)
      throws Exception {
    ProxyFixture proxy = bound ? bounded : unbounded;
    try (Connection c =
            proxy.connect(
                ReferencePrincipal.ETL_NIGHTLY,
                TestPostgres.SHOP,
                mode.equals("simple") ? PgJdbcIT.SIMPLE : PgJdbcIT.EXTENDED);
        Statement s = c.createStatement()) {
      c.setAutoCommit(!tx);
      String sql = write.sql();
      CompletableFuture<String> ran =
          CompletableFuture.supplyAsync(
              () -> {
                try (ResultSet rs = s.executeQuery(sql)) {
                  int rows = 0;
                  while (rs.next()) {
                    rows++;
                  }
                  return rows + " " + warnings(s.getWarnings(), rs.getWarnings());
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              });
      if (bound && write == Write.CTE) {
        // a write in a CTE cannot be counted: it waits for a dba; approved, it runs once
        ApprovalRequest request = ReferenceApprovalIT.pending(proxy);
        proxy
            .reference
            .approvals()
            .approve(request.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA));
      }
      String got = ran.get(30, TimeUnit.SECONDS);
      assertThat(got).startsWith("1 ").contains("result truncated to 1 rows by policy");
      if (tx) {
        c.rollback();
      }
    }
  }

  /**
   * A raw client executes the write's portal one row at a time (Execute with a row count, as
   * pg-cursor does), in autocommit and inside its transaction: one row in all, and the warning.
   */
  @ParameterizedTest(name = "bounded={0} transaction={1}")
  @MethodSource("rawPaths")
  void aPortalExecutedRowByRowGetsTheLimit(boolean bound, boolean tx) throws Exception {
    ProxyFixture proxy = bound ? bounded : unbounded;
    try (RawClient raw =
        RawClient.login(
            proxy.server.port(),
            "etl-nightly",
            TestPostgres.SHOP,
            ProxyFixture.token(ReferencePrincipal.ETL_NIGHTLY))) {
      if (tx) {
        raw.send(new Query("BEGIN"));
        raw.until('Z');
      }
      raw.send(
          new Parse("", Write.UPDATE.sql(), List.of()),
          new Bind("", "", List.of(), List.of(), List.of()),
          new Execute("", 1),
          new Execute("", 1),
          new Execute("", 1),
          new Execute("", 1),
          new Sync());
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers).filteredOn(m -> m instanceof ErrorResponse).isEmpty();
      assertThat(answers).filteredOn(m -> m instanceof DataRow).hasSize(1);
      assertThat(answers)
          .filteredOn(m -> m instanceof NoticeResponse)
          .map(m -> ((NoticeResponse) m).message())
          .contains("result truncated to 1 rows by policy");
      if (tx) {
        raw.send(new Query("ROLLBACK"));
        raw.until('Z');
      }
    }
  }

  static Stream<Arguments> rawPaths() {
    return Stream.of(
        Arguments.of(false, false),
        Arguments.of(false, true),
        Arguments.of(true, false),
        Arguments.of(true, true));
  }

  /**
   * {@code COPY (UPDATE … RETURNING …) TO STDOUT} copies no more rows than the limit, says so, and
   * its tag counts the rows copied.
   */
  @ParameterizedTest(name = "bounded={0}")
  @ValueSource(booleans = {false, true})
  void copyOfAWritesRowsGetsTheLimit(boolean bound) throws Exception {
    ProxyFixture proxy = bound ? bounded : unbounded;
    try (RawClient raw =
        RawClient.login(
            proxy.server.port(),
            "etl-nightly",
            TestPostgres.SHOP,
            ProxyFixture.token(ReferencePrincipal.ETL_NIGHTLY))) {
      raw.send(new Query("COPY (" + Write.UPDATE.sql() + ") TO STDOUT"));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers).filteredOn(m -> m instanceof ErrorResponse).isEmpty();
      assertThat(answers).filteredOn(m -> m instanceof CopyData).hasSize(1);
      assertThat(answers)
          .filteredOn(m -> m instanceof NoticeResponse)
          .map(m -> ((NoticeResponse) m).message())
          .contains("result truncated to 1 rows by policy");
      assertThat(answers)
          .filteredOn(m -> m instanceof CommandComplete)
          .map(m -> ((CommandComplete) m).tag())
          .containsExactly("COPY 1");
    }
  }

  /**
   * A COPY of a write's rows that masking cannot pass (a non-UTF-8 ENCODING) is refused before it
   * runs: the client reads "nothing was sent", and nothing was changed.
   */
  @ParameterizedTest(name = "bounded={0}")
  @ValueSource(booleans = {false, true})
  void anUnmaskableCopyOfAWriteIsRefusedBeforeItRuns(boolean bound) throws Exception {
    ProxyFixture proxy = bound ? bounded : unbounded;
    int from = NEXT.getAndAdd(3);
    try (RawClient raw =
        RawClient.login(
            proxy.server.port(),
            "etl-nightly",
            TestPostgres.SHOP,
            ProxyFixture.token(ReferencePrincipal.ETL_NIGHTLY))) {
      raw.send(
          new Query(
              "COPY (UPDATE app.orders SET note = 'enc' WHERE id BETWEEN "
                  + from
                  + " AND "
                  + (from + 2)
                  + " RETURNING id) TO STDOUT (ENCODING 'LATIN1')"));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers)
          .filteredOn(m -> m instanceof ErrorResponse)
          .singleElement()
          .satisfies(e -> assertThat(((ErrorResponse) e).sqlState()).isEqualTo("42501"));
      raw.send(
          new Query(
              "SELECT count(*) FROM app.orders WHERE note = 'enc' AND id BETWEEN "
                  + from
                  + " AND "
                  + (from + 2)));
      assertThat(raw.until('Z'))
          .filteredOn(m -> m instanceof DataRow)
          .singleElement()
          .satisfies(
              row ->
                  assertThat(new String(((DataRow) row).cells().getFirst(), StandardCharsets.UTF_8))
                      .isEqualTo("0"));
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
}
