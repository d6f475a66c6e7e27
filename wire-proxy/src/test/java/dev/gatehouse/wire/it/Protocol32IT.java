package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.Authentication;
import dev.gatehouse.wire.protocol.backend.BackendKeyData;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.DataRow;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.frontend.CancelRequest;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.PasswordMessage;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Protocol 3.2 (PostgreSQL 18) from clients: the session is taken in 3.2 with a 32-byte cancel key,
 * 3.0 clients keep 4-byte keys, and a CancelRequest must quote the whole long key. Driven by a raw
 * protocol client and by psql on libpq 18.
 */
class Protocol32IT {

  static final String RAW_QUERY = "SELECT count(*) FROM generate_series(1, 1e10) AS raw32";
  static final String PSQL_QUERY = "SELECT count(*) FROM generate_series(1, 1e10) AS psql32";

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = new ProxyFixture();
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  /** Startup in {@code version} up to the first ReadyForQuery; the key the gateway issued. */
  private static BackendKeyData login(RawClient raw, int version) throws Exception {
    raw.send(new StartupMessage(version, Map.of("user", "analyst", "database", TestPostgres.SHOP)));
    // No NegotiateProtocolVersion: 3.0 and 3.2 are both spoken as asked.
    assertThat(raw.next()).usingRecursiveComparison().isEqualTo(Authentication.cleartextPassword());
    raw.send(new PasswordMessage(ProxyFixture.token(ReferencePrincipal.ANALYST)));
    return raw.until('Z').stream()
        .filter(BackendKeyData.class::isInstance)
        .map(BackendKeyData.class::cast)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aProtocol32SessionGetsA32ByteKeyAndRuns() throws Exception {
    try (RawClient raw = new RawClient(proxy.server.port())) {
      BackendKeyData key = login(raw, FrontendMessage.PROTOCOL_3_2);
      assertThat(key.secretKey()).hasSize(32);
      raw.send(new Query("SELECT 41 + 1"));
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers)
          .filteredOn(DataRow.class::isInstance)
          .singleElement()
          .satisfies(
              m ->
                  assertThat(new String(((DataRow) m).cells().get(0), StandardCharsets.UTF_8))
                      .isEqualTo("42"));
    }
  }

  @Test
  void aProtocol30SessionKeepsAFourByteKey() throws Exception {
    try (RawClient raw = new RawClient(proxy.server.port())) {
      assertThat(login(raw, FrontendMessage.PROTOCOL_3_0).secretKey()).hasSize(4);
    }
  }

  @Test
  void theWholeLongKeyCancelsARunningStatement() throws Exception {
    try (RawClient raw = new RawClient(proxy.server.port())) {
      BackendKeyData key = login(raw, FrontendMessage.PROTOCOL_3_2);
      raw.send(new Query(RAW_QUERY));
      Eventually.await("the query runs upstream", Duration.ofSeconds(20), () -> running(RAW_QUERY));
      // A 3.0-length prefix of the key names no session (CancelRegistryTest shows it is ignored).
      cancel(new CancelRequest(key.processId(), Arrays.copyOf(key.secretKey(), 4)));
      cancel(new CancelRequest(key.processId(), key.secretKey()));
      ErrorResponse e =
          raw.until('Z').stream()
              .filter(ErrorResponse.class::isInstance)
              .map(ErrorResponse.class::cast)
              .findFirst()
              .orElseThrow();
      assertThat(e.sqlState()).isEqualTo("57014");
    }
  }

  private static void cancel(CancelRequest request) throws Exception {
    try (RawClient c = new RawClient(proxy.server.port())) {
      c.send(request);
      // The gateway closes a cancel connection without an answer, as PostgreSQL does.
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void psqlOnLibpq18Requires32AndRuns() throws Exception {
    Assumptions.assumeTrue(Libpq18.available(), "psql is not installed");
    Libpq18.Result r =
        Libpq18.run(
            List.of(
                conninfo("min_protocol_version=3.2 max_protocol_version=3.2"),
                "-Atc",
                "SELECT 41 + 1"),
            Map.of("PGPASSWORD", ProxyFixture.token(ReferencePrincipal.ANALYST)));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output().strip()).isEqualTo("42");
  }

  @Test
  void psqlOnLibpq18CancelsWithItsLongKey() throws Exception {
    Assumptions.assumeTrue(Libpq18.available(), "psql is not installed");
    Process psql =
        Libpq18.start(
            List.of(conninfo("min_protocol_version=3.2"), "-c", PSQL_QUERY),
            Map.of("PGPASSWORD", ProxyFixture.token(ReferencePrincipal.ANALYST)));
    try {
      Eventually.await(
          "the query runs upstream", Duration.ofSeconds(30), () -> running(PSQL_QUERY));
      // Ctrl-C: psql sends a CancelRequest with the key libpq got in BackendKeyData.
      new ProcessBuilder("kill", "-INT", Long.toString(psql.pid())).start().waitFor();
      String out = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(psql.waitFor(30, TimeUnit.SECONDS)).as(out).isTrue();
      assertThat(out).contains("canceling statement due to user request");
    } finally {
      psql.destroyForcibly();
    }
  }

  private static String conninfo(String extra) {
    return "host=127.0.0.1 port="
        + proxy.server.port()
        + " dbname="
        + TestPostgres.SHOP
        + " user=analyst sslmode=disable "
        + extra;
  }

  /** True while a backend runs the long query: a cancel now reaches a running statement. */
  private static boolean running(String query) throws Exception {
    try (Connection admin = TestPostgres.get().connectAsAdmin(TestPostgres.SHOP);
        PreparedStatement ps =
            admin.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = ?")) {
      ps.setString(1, query);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }
}
