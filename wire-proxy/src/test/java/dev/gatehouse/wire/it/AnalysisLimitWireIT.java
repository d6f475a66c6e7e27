package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A message past the analyser's limits reaches a real client with PostgreSQL's own SQLSTATE (54001
 * statement_too_complex, 54000 program_limit_exceeded), not 42501, and the session goes on.
 */
class AnalysisLimitWireIT {

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = ProxyFixture.reference(TestPostgres.get().createShopDatabase("wire_limits"), "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void nestingPastTheLimitIs54001AndTheSessionGoesOn(String mode) throws Exception {
    String deep = "SELECT " + "(".repeat(3000) + "1" + ")".repeat(3000);
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, mode);
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute(deep))
          .isInstanceOf(SQLException.class)
          .satisfies(
              e -> {
                assertThat(((SQLException) e).getSQLState()).isEqualTo("54001");
                assertThat(e.getMessage())
                    .contains("statement too complex")
                    .contains("`analysis.max-depth`")
                    .contains("(gatehouse rule `analysis-limit`)")
                    .doesNotContain("permission denied");
              });
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE})
  void tooManyStatementsIs54000(String mode) throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, mode);
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("SELECT 1;".repeat(5000)))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("54000"));
    }
  }
}
