package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.ReferencePrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's stack still starts from the documented examples: the packaged gateway serves the
 * bench policy (pgbench's tables for etl-nightly, the large-result table masked) with audit on.
 */
class BenchStackIT {

  static BenchStack stack;
  static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    stack = BenchStack.start();
    stack.admin(
        "CREATE TABLE public.pgbench_branches (bid int PRIMARY KEY, bbalance int)",
        "INSERT INTO public.pgbench_branches VALUES (1, 0)",
        "GRANT USAGE ON SCHEMA public TO gatehouse_writer",
        "GRANT SELECT, UPDATE ON public.pgbench_branches TO gatehouse_writer",
        "CREATE TABLE app.bench_contacts (id int, email text, phone text, card_number text)",
        "INSERT INTO app.bench_contacts VALUES (1, 'ann@example.com', '+1-202-555-0100',"
            + " '4111111111111111')",
        "GRANT SELECT ON app.bench_contacts TO gatehouse_writer");
    gateway = stack.gateway("bench-it-1", List.of("-Xmx256m"));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void etlNightlyRunsPgbenchTablesAndSeesTheBenchTableMasked() throws Exception {
    try (Connection c = connect(ReferencePrincipal.ETL_NIGHTLY);
        Statement s = c.createStatement()) {
      assertThat(
              s.executeUpdate("UPDATE pgbench_branches SET bbalance = bbalance + 1 WHERE bid = 1"))
          .isEqualTo(1);
      try (ResultSet rs =
          s.executeQuery("SELECT email, phone, card_number FROM app.bench_contacts")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isNotEqualTo("ann@example.com").contains("@example.com");
        assertThat(rs.getString(2)).doesNotContain("555-0100");
        assertThat(rs.getString(3)).endsWith("1111").doesNotContain("411111111111");
      }
    }
  }

  @Test
  void theReferencePolicyStillGovernsTheBench() throws Exception {
    try (Connection c = connect(ReferencePrincipal.ANALYST);
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM pgbench_branches"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied by gatehouse");
    }
    assertThat(gateway.peakRssKb()).isPositive();
  }

  private static Connection connect(ReferencePrincipal who) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", who.subject());
    p.setProperty("password", stack.token(who));
    p.setProperty("sslmode", "disable");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + gateway.wirePort() + "/shop", p);
  }
}
