package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** pgjdbc through the proxy, in simple and extended (server-prepared, binary) mode. */
class PgJdbcIT {

  static final String SIMPLE = "preferQueryMode=simple";
  static final String EXTENDED = "prepareThreshold=1&binaryTransfer=true";
  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = new ProxyFixture();
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {SIMPLE, EXTENDED})
  void analystReadsWithMaskedColumnsAndDenialKeepsTheConnection(String mode) throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, mode)) {
      for (int round = 0; round < 3; round++) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, full_name, email FROM app.customers WHERE id <= ? ORDER BY id")) {
          ps.setLong(1, 3);
          try (ResultSet rs = ps.executeQuery()) {
            List<String> emails = new ArrayList<>();
            int rows = 0;
            while (rs.next()) {
              rows++;
              assertThat(rs.getLong("id")).isEqualTo(rows);
              emails.add(rs.getString("email"));
            }
            assertThat(rows).isEqualTo(3);
            assertThat(emails).containsOnly("***");
          }
        }
      }
      try (Statement s = c.createStatement()) {
        assertThatThrownBy(() -> s.executeUpdate("DELETE FROM app.orders WHERE id = 1"))
            .isInstanceOf(SQLException.class)
            .satisfies(
                e -> {
                  assertThat(((SQLException) e).getSQLState()).isEqualTo("42501");
                  assertThat(e.getMessage()).contains("analyst-read-only");
                });
        try (ResultSet rs = s.executeQuery("SELECT 1")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(1);
        }
      }
      assertThat(proxy.gate.audit().last("DELETE FROM app.orders").outcome().get().sqlState())
          .isEqualTo("42501");
      assertThat(proxy.gate.audit().last("SELECT id, full_name, email").outcome().get().rows())
          .isEqualTo(3);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {SIMPLE, EXTENDED})
  void unmaskedForClearedPrincipal(String mode) throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.SUPPORT_LEAD, TestPostgres.SHOP, mode);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT email FROM app.customers WHERE id = 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).contains("@").isNotEqualTo("***");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {SIMPLE, EXTENDED})
  void contractorConnectsButEverythingIsDenied(String mode) throws Exception {
    // pgjdbc runs `SET extra_float_digits` after connecting unless told the server is new enough;
    // for a principal that may run nothing, that SET is denied like everything else.
    try (Connection c =
            proxy.connect(
                ReferencePrincipal.CONTRACTOR,
                TestPostgres.SHOP,
                mode + "&assumeMinServerVersion=9.4");
        Statement s = c.createStatement()) {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> s.executeQuery("SELECT 1"))
            .isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
            .hasMessageContaining("default-deny");
      }
    }
  }

  @Test
  void connectionsAreAudited() throws Exception {
    String connectionId;
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, SIMPLE)) {
      var opened = proxy.gate.audit().connections.getLast();
      assertThat(opened.opened()).isTrue();
      assertThat(opened.principal().subject()).isEqualTo("analyst");
      connectionId = opened.connectionId();
    }
    String closedId = connectionId;
    Eventually.holdsWithin(
        Duration.ofSeconds(5),
        () ->
            proxy.gate.audit().connections.stream()
                .anyMatch(e -> !e.opened() && e.connectionId().equals(closedId)));
    assertThat(proxy.gate.audit().connections)
        .anyMatch(e -> !e.opened() && e.connectionId().equals(connectionId));
  }

  @Test
  void badTokenIsRefused() {
    assertThatThrownBy(
            () -> proxy.connectWithToken("not-a-token", "analyst", TestPostgres.SHOP, SIMPLE))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
  }

  @ParameterizedTest
  @ValueSource(strings = {SIMPLE, EXTENDED})
  void writerWritesInATransaction(String mode) throws Exception {
    String db = TestPostgres.get().createShopDatabase("wire_write");
    try (Connection c = proxy.connect(ReferencePrincipal.ETL_NIGHTLY, db, mode)) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE app.orders SET note = ? WHERE id = ?")) {
        ps.setString(1, "shipped");
        ps.setLong(2, 1);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      c.commit();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT note FROM app.orders WHERE id = 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("shipped");
      }
      c.commit();
    }
  }
}
