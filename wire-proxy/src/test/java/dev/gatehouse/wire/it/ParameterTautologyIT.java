package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.testkit.ParameterCases;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Writes whose parameters, bound at Bind, make them change every row (or more than the bound): each
 * waits for a dba with its parameter values, whether the static check sees it (a parameter that
 * names no column of the target) or only the count does (a range or comparison the parameter opens
 * to every row). Denied, nothing changed. pgjdbc over the extended protocol, as etl-nightly (the
 * reference policy's bound of 100 rows). McpParameterTautologyIT runs the same over MCP.
 */
class ParameterTautologyIT {

  static String db;
  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    db = TestPostgres.get().createShopDatabase("wire_param_tautology");
    proxy = ProxyFixture.reference(db, "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  /** Statement, then its parameters as text (pgjdbc binds them with setObject). */
  static Stream<Arguments> cases() {
    return ParameterCases.ALL.stream().map(c -> Arguments.of(c.sql(), c.params()));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void waitsForADbaWithItsParameters(String sql, List<String> params) throws Exception {
    String before = ParameterCases.fingerprint(db);
    try (Connection c =
            proxy.connect(ReferencePrincipal.ETL_NIGHTLY, TestPostgres.SHOP, PgJdbcIT.EXTENDED);
        PreparedStatement ps = c.prepareStatement(jdbc(sql))) {
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i), java.sql.Types.OTHER);
      }
      CompletableFuture<Integer> run = BlastRadiusIT.update(ps);
      ApprovalRequest request = ReferenceApprovalIT.pending(proxy);
      assertThat(request.sql()).isEqualTo(sql);
      assertThat(request.params()).hasSize(params.size());
      proxy
          .reference
          .approvals()
          .deny(request.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA), "no");
      assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS))
          .cause()
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT current_user")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("gatehouse_writer");
      }
    }
    assertThat(ParameterCases.fingerprint(db)).isEqualTo(before);
  }

  /** pgjdbc's placeholders: {@code $n} becomes {@code ?} (each case uses each parameter once). */
  private static String jdbc(String sql) {
    return sql.replaceAll("\\$\\d+", "?");
  }
}
