package dev.gatehouse.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.CorpusCase;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.Secrets;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every case of the shared corpus through {@code query} as its principal, with the engine's real
 * analyser and policy (the reference policy).
 */
@SpringBootTest(
    classes = HttpTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // a call that needs approval waits this long for a decision nobody gives, then is pending
    properties = {"test.mcp.gate=engine", "test.mcp.approval-wait-ms=50"})
class McpCorpusIT {

  private static final Map<ReferencePrincipal, McpSyncClient> CLIENTS = new ConcurrentHashMap<>();

  @LocalServerPort int port;

  static Stream<CorpusCase> cases() {
    return CorpusCase.all().stream();
  }

  @AfterAll
  static void close() {
    CLIENTS.values().forEach(McpSyncClient::close);
    CLIENTS.clear();
  }

  private McpSyncClient client(String principal) {
    return CLIENTS.computeIfAbsent(
        ReferencePrincipal.of(principal), p -> McpClients.http(port, TestIssuer.get().tokenFor(p)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void caseHolds(CorpusCase c) throws Exception {
    // Each case in a session of its own, as on the wire: a case is one statement judged alone,
    // and the policy's `taint` switch holds the writes of a session that read untrusted text.
    McpSchema.CallToolResult r;
    try (McpSyncClient session =
        McpClients.http(port, TestIssuer.get().tokenFor(ReferencePrincipal.of(c.principal())))) {
      r = McpClients.call(session, "query", Map.of("sql", c.sql(), "max_rows", 1000));
    }
    String text = McpClients.text(r);
    boolean error = Boolean.TRUE.equals(r.isError());
    String kind = error ? (String) error(r).get("kind") : null;
    switch (c.expect()) {
      case "deny" -> {
        assertThat(kind).as(text).isEqualTo("denied");
        assertThat((List<?>) error(r).get("rule_ids")).isNotEmpty();
      }
      case "approval", "approval_by_count" -> {
        assertThat(kind).as(text).isEqualTo("approval_pending");
        assertThat(error(r).get("approval_id")).isNotNull();
      }
      case "masked" -> {
        assertThat(error).as(text).isFalse();
        assertNoSecret(r, text);
      }
      case "deny_or_masked" -> {
        if (error) {
          assertThat(kind).as(text).isEqualTo("denied");
        } else {
          assertNoSecret(r, text);
        }
      }
      case "no_leak" -> {
        // runs, fails or is denied; no cell and no error text carries a secret
        if (error) {
          assertThat(kind).as(text).isIn("denied", "sql_error");
          assertThat(Secrets.findIn(text)).as(text).isNull();
        } else {
          assertNoSecret(r, text);
        }
      }
      case "allow" -> {
        assertThat(error).as(text).isFalse();
        // Reads are replayed as the reader role for PostgreSQL's own answer; the ETL job's writes
        // and locking reads cannot be replayed read-only, so for them success is what is checked.
        if (!c.principal().equals("etl-nightly")
            && McpClients.structured(r).get("columns") instanceof List<?> cols
            && !cols.isEmpty()) {
          List<String> expected = sorted(postgres(c.sql()));
          if (Boolean.TRUE.equals(McpClients.structured(r).get("truncated"))) {
            assertThat(McpClients.rows(r)).hasSize(1000);
            assertThat(expected).containsAll(sorted(McpClients.rows(r)));
          } else {
            assertThat(sorted(McpClients.rows(r))).isEqualTo(expected);
          }
        }
      }
      default -> {
        assertThat(c.clearValue()).as("unknown expectation " + c.expect()).isNotNull();
        assertThat(error).as(text).isFalse();
        assertThat(McpClients.rows(r).stream().flatMap(List::stream)).contains(c.clearValue());
      }
    }
  }

  /** describe and tools/list under the reference policy, as each reference principal. */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.EnumSource(ReferencePrincipal.class)
  void describeAsEachPrincipal(ReferencePrincipal p) {
    McpSyncClient c = client(p.subject());
    McpSchema.CallToolResult r = McpClients.call(c, "describe", Map.of("schema", "app"));
    List<String> tools = c.listTools().tools().stream().map(McpSchema.Tool::name).toList();
    switch (p) {
      case ANALYST, ETL_NIGHTLY -> {
        assertThat(tools).containsExactly("query", "describe", "explain", "approval_status");
        assertThat(r.isError()).as(McpClients.text(r)).isFalse();
        assertThat(McpClients.text(r))
            .contains("app.customers (table")
            .contains("app.customer_contacts (view")
            .contains("ssn text (masked)")
            .contains("FOREIGN KEY (customer_id) REFERENCES app.customers(id)");
      }
      case SUPPORT_LEAD -> {
        assertThat(r.isError()).isFalse();
        assertThat(McpClients.text(r)).contains("ssn text").doesNotContain("(masked)");
      }
      case DBA, CONTRACTOR -> {
        assertThat(tools).containsExactly("describe");
        assertThat(r.isError()).isTrue();
        assertThat(McpClients.text(r)).contains("default-deny");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> error(McpSchema.CallToolResult r) {
    return (Map<String, Object>) McpClients.structured(r).get("error");
  }

  private static void assertNoSecret(McpSchema.CallToolResult r, String text) {
    for (List<String> row : McpClients.rows(r)) {
      for (String cell : row) {
        assertThat(Secrets.findIn(cell)).as("cell `%s`", cell).isNull();
      }
    }
    assertThat(Secrets.findIn(text)).as(text).isNull();
  }

  /** PostgreSQL's own text result for {@code sql}, as the shop's reader role sees it. */
  private static List<List<String>> postgres(String sql) throws Exception {
    TestPostgres pg = TestPostgres.get();
    Properties p = new Properties();
    p.setProperty("user", pg.reader().name());
    p.setProperty("password", pg.reader().password());
    p.setProperty("binaryTransfer", "false");
    try (Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl(TestPostgres.SHOP), p);
        Statement s = c.createStatement()) {
      List<List<String>> rows = new ArrayList<>();
      boolean hasRows = s.execute(sql);
      ResultSet last = null;
      while (true) {
        if (hasRows) {
          rows = new ArrayList<>();
          try (ResultSet rs = s.getResultSet()) {
            last = rs;
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              List<String> row = new ArrayList<>();
              for (int i = 1; i <= n; i++) {
                row.add(rs.getString(i));
              }
              rows.add(row);
            }
          }
        } else if (s.getUpdateCount() == -1) {
          break;
        }
        hasRows = s.getMoreResults();
      }
      return last == null ? List.of() : rows;
    }
  }

  private static List<String> sorted(List<List<String>> rows) {
    return rows.stream().map(String::valueOf).sorted(Comparator.naturalOrder()).toList();
  }
}
