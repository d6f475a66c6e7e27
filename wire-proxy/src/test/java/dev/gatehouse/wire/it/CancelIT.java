package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** pgjdbc's Statement.cancel() reaches the right upstream backend through the gateway's keys. */
class CancelIT {

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = new ProxyFixture();
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  /** True while a backend runs {@code sql}: a cancel now reaches a running statement. */
  private static boolean upstreamRunning(String sql) throws java.sql.SQLException {
    try (Connection admin = TestPostgres.get().connectAsAdmin(TestPostgres.SHOP);
        java.sql.PreparedStatement ps =
            admin.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = ?")) {
      ps.setString(1, sql);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED})
  void cancelsALongQuery(String mode) throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, mode);
        Statement s = c.createStatement()) {
      long start = System.nanoTime();
      CompletableFuture<Void> run =
          CompletableFuture.runAsync(
              () -> {
                try {
                  s.executeQuery("SELECT count(*) FROM generate_series(1, 1e10)");
                } catch (SQLException e) {
                  throw new java.util.concurrent.CompletionException(e);
                }
              });
      Eventually.await(
          "the query runs upstream",
          Duration.ofSeconds(20),
          () -> upstreamRunning("SELECT count(*) FROM generate_series(1, 1e10)"));
      s.cancel();
      assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS))
          .cause()
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }
}
