package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import io.netty.channel.epoll.Epoll;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The proxy works end to end on both socket transports: native epoll where it is available, and the
 * NIO fallback (client and upstream channels must match their event loop's transport).
 */
class TransportIT {

  static final String PROPERTY = "gatehouse.wire.nativeTransport";

  @Test
  void defaultTransportIsEpollWhereAvailable() throws Exception {
    try (ProxyFixture proxy = new ProxyFixture()) {
      assertThat(proxy.server.transport()).isEqualTo(Epoll.isAvailable() ? "epoll" : "nio");
      queryAndMask(proxy);
    }
  }

  @Test
  void nioFallbackRelaysAndMasks() throws Exception {
    System.setProperty(PROPERTY, "false");
    ProxyFixture proxy;
    try {
      proxy = new ProxyFixture();
    } finally {
      System.clearProperty(PROPERTY);
    }
    try (proxy) {
      assertThat(proxy.server.transport()).isEqualTo("nio");
      queryAndMask(proxy);
    }
  }

  private static void queryAndMask(ProxyFixture proxy) throws Exception {
    for (String mode : List.of(PgJdbcIT.SIMPLE, PgJdbcIT.EXTENDED)) {
      try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, mode);
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT id, email FROM app.customers WHERE id <= 2 ORDER BY id")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.getString(2)).as(mode).isEqualTo("***");
        assertThat(rs.next()).isTrue();
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
