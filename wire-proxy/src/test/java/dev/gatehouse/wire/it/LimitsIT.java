package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.server.WireProxyConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connection limit, startup timeout, idle timeout and graceful stop. */
class LimitsIT {

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy =
        new ProxyFixture(
            WireProxyConfig.defaults("127.0.0.1", 0)
                .withLimits(2, 0, Duration.ofSeconds(4), Duration.ofMillis(1500)));
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void connectionsBeyondTheLimitGet53300() throws Exception {
    try (Connection a = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "");
        Connection b = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "")) {
      assertThatThrownBy(() -> proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, ""))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("53300"));
      assertThat(a.isValid(2)).isTrue();
      assertThat(b.isValid(2)).isTrue();
    }
  }

  @Test
  void silentClientIsDroppedAfterTheStartupTimeout() throws Exception {
    try (RawClient raw = new RawClient(proxy.server.port())) {
      long start = System.nanoTime();
      ErrorResponse e = (ErrorResponse) raw.next();
      assertThat(e.sqlState()).isEqualTo("08P01");
      assertThat(e.message()).contains("startup did not finish");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void idleSessionIsClosedAfterTheIdleTimeout() throws Exception {
    try (RawClient raw =
        RawClient.login(
            proxy.server.port(),
            "analyst",
            TestPostgres.SHOP,
            ProxyFixture.token(ReferencePrincipal.ANALYST))) {
      ErrorResponse e = (ErrorResponse) raw.next();
      assertThat(e.sqlState()).isEqualTo("57P05");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void stopClosesWhatIsLeftAfterTheDrainTimeout() throws Exception {
    WireProxyConfig config =
        new WireProxyConfig(
            "127.0.0.1",
            0,
            null,
            null,
            true,
            0,
            0,
            null,
            null,
            null,
            null,
            Duration.ofMillis(500),
            1,
            null);
    try (ProxyFixture own = new ProxyFixture(config)) {
      Connection c = own.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "");
      long start = System.nanoTime();
      own.server.stop();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(c.isValid(1)).isFalse();
      c.close();
    }
  }
}
