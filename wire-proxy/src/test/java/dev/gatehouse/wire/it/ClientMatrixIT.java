package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The client matrix of docs/clients.md, as the analyst of the reference policy (masking applies):
 * psycopg 3 (named cursors, COPY, pipeline), psycopg2 (named cursors WITH HOLD, copy_expert,
 * DISCARD ALL), psql (FETCH_COUNT, {@code \copy}) and pgjdbc (SQL cursors with SCROLL, HOLD, MOVE,
 * CLOSE; DISCARD ALL). Every row is compared with the same query run as a plain SELECT through the
 * proxy, whose masking the reference policy tests check.
 */
class ClientMatrixIT {

  static final String QUERY =
      "SELECT id, full_name, email, ssn FROM app.customers WHERE id <= 5 ORDER BY id";

  static ProxyFixture proxy;
  static String db;

  @BeforeAll
  static void start() {
    db = TestPostgres.get().createShopDatabase("wire_matrix");
    proxy = ProxyFixture.reference(db, "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  /** The query's rows as a SELECT through the proxy gives them (nulls as Python prints them). */
  static List<List<String>> selected() throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(QUERY)) {
      while (rs.next()) {
        rows.add(row(rs));
      }
    }
    return rows;
  }

  private static List<String> row(ResultSet rs) throws SQLException {
    List<String> row = new ArrayList<>();
    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
      String v = rs.getString(i);
      row.add(v == null ? "None" : v);
    }
    return row;
  }

  @Test
  void psycopgThreeAndTwo() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    Path script = Path.of("src/test/python/clients.py").toAbsolutePath();
    ProcessBuilder pb = new ProcessBuilder(python.toString(), script.toString());
    pb.environment()
        .put(
            "DSN",
            "host=127.0.0.1 port="
                + proxy.server.port()
                + " dbname=shop user=analyst sslmode=disable password="
                + ProxyFixture.token(ReferencePrincipal.ANALYST));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    JsonNode got = new ObjectMapper().readTree(out);
    List<List<String>> expected = selected();
    assertThat(expected.getFirst().get(2)).matches("a\\*+@example\\.com");
    assertThat(rows(got.get("psycopg3_plain"))).isEqualTo(expected);
    // fetchmany(2), scroll back to the start, fetchone, fetchall
    List<List<String>> scrolled = new ArrayList<>(expected.subList(0, 2));
    scrolled.addAll(expected);
    assertThat(rows(got.get("psycopg3_named"))).isEqualTo(scrolled);
    assertThat(rows(got.get("psycopg2_named"))).isEqualTo(expected);
    List<String> csv = strings(got.get("psycopg3_copy"));
    assertThat(csv).hasSize(5);
    assertThat(csv.getFirst())
        .isEqualTo("1,Alice Archer,\"" + expected.getFirst().get(2) + "\",\"****\"");
    List<String> csvHeader = strings(got.get("psycopg2_copy"));
    assertThat(csvHeader.getFirst()).isEqualTo("id,full_name,email,ssn");
    assertThat(csvHeader.subList(1, 6)).isEqualTo(csv);
    assertThat(strings(got.get("psycopg3_pipeline")))
        .containsExactly(expected.getFirst().get(2), "5000");
    assertThat(got.get("psycopg2_discard").asInt()).as(out).isEqualTo(1);
  }

  @Test
  void nodePostgresWithPgCursorAndPgCopyStreams() throws Exception {
    Path dir = NodePgIT.DIR;
    if (!Files.isDirectory(dir.resolve("node_modules/pg-cursor"))
        || !Files.isDirectory(dir.resolve("node_modules/pg-copy-streams"))) {
      Process npm =
          new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .start();
      String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(npm.waitFor(300, TimeUnit.SECONDS) && npm.exitValue() == 0).as(log).isTrue();
    }
    ProcessBuilder pb = new ProcessBuilder("node", "matrix.js").directory(dir.toFile());
    var env = pb.environment();
    env.put("PGHOST", "127.0.0.1");
    env.put("PGPORT", String.valueOf(proxy.server.port()));
    env.put("PGUSER", "analyst");
    env.put("PGDATABASE", TestPostgres.SHOP);
    env.put("PGPASSWORD", ProxyFixture.token(ReferencePrincipal.ANALYST));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    JsonNode got = new ObjectMapper().readTree(out);
    List<List<String>> expected = selected();
    assertThat(rows(got.get("plain"))).isEqualTo(expected);
    assertThat(rows(got.get("cursor"))).isEqualTo(expected);
    List<String> csv = strings(got.get("copy"));
    assertThat(csv).hasSize(5);
    assertThat(csv.getFirst())
        .isEqualTo("1,Alice Archer,\"" + expected.getFirst().get(2) + "\",\"****\"");
  }

  private static List<List<String>> rows(JsonNode node) {
    assertThat(node.isArray()).as(node.toString()).isTrue();
    List<List<String>> rows = new ArrayList<>();
    node.forEach(r -> rows.add(strings(r)));
    return rows;
  }

  private static List<String> strings(JsonNode node) {
    assertThat(node.isArray()).as(node.toString()).isTrue();
    List<String> out = new ArrayList<>();
    node.forEach(v -> out.add(v.asString()));
    return out;
  }

  @Test
  void psqlFetchCountAndBackslashCopy() throws Exception {
    String plain = psql("-c", QUERY);
    String paged = psql("-v", "FETCH_COUNT=2", "-c", QUERY);
    assertThat(paged).isEqualTo(plain);
    assertThat(plain.lines().toList()).hasSize(5);
    assertThat(plain).doesNotContain("alice@").contains("|****");
    String copied = psql("-c", "\\copy (" + QUERY + ") to stdout with (format csv)");
    assertThat(copied.lines().toList()).hasSize(5).allMatch(l -> l.endsWith(",\"****\""));
    // what psql sends for its backslash commands on a table passes the policy
    assertThat(psql("-c", "\\d app.customers")).contains("ssn|text").contains("customers_id_seq");
    assertThat(psql("-c", "\\d+ app.orders")).contains("customer_id|bigint");
    assertThat(psql("-c", "\\di app.*")).contains("customers_pkey");
  }

  /**
   * DECLARE and FETCH in one simple Query: the FETCH is judged and masked as the declared query,
   * and its rows count against the row limit with the FETCHes of later queries.
   */
  @Test
  void declareAndFetchInOneQuery() throws Exception {
    List<String> plain = psql("-c", QUERY).lines().toList();
    String one = "BEGIN; DECLARE oc CURSOR FOR " + QUERY + "; FETCH 3 FROM oc; COMMIT";
    assertThat(psql("-q", "-c", one).lines().toList()).isEqualTo(plain.subList(0, 3));
    // the analyst's limit is 10,000 rows: 8,000 in the first query, 2,000 in the second
    String many = "DECLARE big CURSOR WITH HOLD FOR SELECT g FROM generate_series(1, 25000) g";
    String out =
        psql(
            "-q",
            "-c",
            "BEGIN; " + many + "; FETCH 8000 FROM big; COMMIT",
            "-c",
            "FETCH 8000 FROM big",
            "-c",
            "CLOSE big");
    assertThat(out.lines().count()).isEqualTo(10_000);
  }

  /**
   * pg_dump's {@code set_config('search_path', ...)} changes the path the gateway resolves names
   * against, as a SET does: unqualified names resolve as in PostgreSQL and stay masked.
   */
  @Test
  void setConfigSearchPathIsTrackedAsASet() throws Exception {
    List<List<String>> expected = selected();
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "");
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_catalog.set_config('search_path', 'app', false)");
      assertThat(fetch(s, QUERY.replace("app.customers", "customers"))).isEqualTo(expected);
      s.execute("SELECT pg_catalog.set_config('search_path', '', false)");
      assertThatThrownBy(() -> fetch(s, "SELECT ssn FROM customers"))
          .isInstanceOf(SQLException.class);
      assertThat(fetch(s, QUERY)).isEqualTo(expected);
      assertThatThrownBy(() -> s.execute("SELECT set_config('search_path', 'app', true)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("set_config");
    }
  }

  /**
   * psql's {@code \\watch} runs the query again and again, each time masked as the query is (psql
   * 15 has no repeat count: the test reads three rounds, then ends psql).
   */
  @Test
  void psqlWatchRepeatsTheQueryMasked() throws Exception {
    String plain = psql("-c", QUERY);
    List<String> command =
        List.of(
            "/usr/bin/psql",
            "-X",
            "-A",
            "-t",
            "host=127.0.0.1 port="
                + proxy.server.port()
                + " dbname=shop user=analyst sslmode=disable");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", ProxyFixture.token(ReferencePrincipal.ANALYST));
    Process p = pb.start();
    try {
      p.getOutputStream().write((QUERY + " \\watch 0.2\n").getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().flush();
      java.util.concurrent.CompletableFuture<List<String>> rounds =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                List<String> rows = new ArrayList<>();
                try (var in =
                    new java.io.BufferedReader(
                        new java.io.InputStreamReader(
                            p.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while (rows.size() < 15 && (line = in.readLine()) != null) {
                    if (!line.isBlank()) {
                      rows.add(line);
                    }
                  }
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
                return rows;
              });
      List<String> rows = rounds.get(60, TimeUnit.SECONDS);
      List<String> once = plain.lines().toList();
      assertThat(rows).hasSize(15);
      for (int round = 0; round < 3; round++) {
        assertThat(rows.subList(round * 5, round * 5 + 5)).as("round " + round).isEqualTo(once);
      }
      assertThat(String.join("\n", rows)).doesNotContain("alice@").contains("|****");
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String psql(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/psql", "-X", "-A", "-t"));
    command.add(
        "host=127.0.0.1 port=" + proxy.server.port() + " dbname=shop user=analyst sslmode=disable");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("PGPASSWORD", ProxyFixture.token(ReferencePrincipal.ANALYST));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    return out;
  }

  @Test
  void pgjdbcSqlCursorsScrollHoldMoveClose() throws Exception {
    List<List<String>> expected = selected();
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "");
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("DECLARE jc SCROLL CURSOR WITH HOLD FOR " + QUERY);
      assertThat(fetch(s, "FETCH 2 FROM jc")).isEqualTo(expected.subList(0, 2));
      s.execute("MOVE ABSOLUTE 0 IN jc");
      assertThat(fetch(s, "FETCH NEXT FROM jc")).isEqualTo(expected.subList(0, 1));
      c.commit(); // WITH HOLD: the cursor outlives its transaction
      c.setAutoCommit(true);
      assertThat(fetch(s, "FETCH ALL FROM jc")).isEqualTo(expected.subList(1, 5));
      assertThat(fetch(s, "FETCH BACKWARD 1 FROM jc")).isEqualTo(expected.subList(4, 5));
      s.execute("CLOSE jc");
      assertThatThrownBy(() -> fetch(s, "FETCH 1 FROM jc")).isInstanceOf(SQLException.class);
      // a cursor without HOLD ends with its transaction; the gateway forgets it too
      c.setAutoCommit(false);
      s.execute("DECLARE tc CURSOR FOR " + QUERY);
      assertThat(fetch(s, "FETCH 1 FROM tc")).isEqualTo(expected.subList(0, 1));
      c.commit();
      assertThatThrownBy(() -> fetch(s, "FETCH 1 FROM tc"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("did not declare through the gateway");
      c.setAutoCommit(true);
      s.execute("DISCARD ALL");
      assertThat(fetch(s, "SELECT 'after discard'")).containsExactly(List.of("after discard"));
    }
  }

  /**
   * A FETCH prepared once (server-side) does not outlive the query its cursor was declared with.
   */
  @Test
  void aPreparedFetchIsRefusedOnceItsCursorIsDeclaredAgain() throws Exception {
    try (Connection c =
            proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "prepareThreshold=1");
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("DECLARE rc CURSOR FOR SELECT id FROM app.customers ORDER BY id");
      try (java.sql.PreparedStatement fetch = c.prepareStatement("FETCH 1 FROM rc")) {
        try (ResultSet rs = fetch.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).isEqualTo(1);
        }
        s.execute("CLOSE rc");
        s.execute("DECLARE rc CURSOR FOR SELECT ssn || '' FROM app.customers ORDER BY id");
        assertThatThrownBy(fetch::executeQuery)
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("declared again");
      }
      c.rollback();
    }
  }

  private static List<List<String>> fetch(Statement s, String sql) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(row(rs));
      }
    }
    return rows;
  }

  /** What database IDEs (DBeaver, IntelliJ, DataGrip) call when they open a table. */
  @Test
  void pgjdbcMetadataAsAnIdeCallsItMatchesPostgres() throws Exception {
    try (Connection through = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "");
        Connection direct = TestPostgres.get().connect(db, TestPostgres.get().reader())) {
      for (String call : IdeMetadata.CALLS) {
        assertThat(IdeMetadata.call(through.getMetaData(), call))
            .as(call)
            .isEqualTo(IdeMetadata.call(direct.getMetaData(), call));
      }
      assertThat(IdeMetadata.call(through.getMetaData(), "getPrimaryKeys"))
          .anyMatch(r -> r.contains("customers") && r.contains("id"));
    }
  }
}
