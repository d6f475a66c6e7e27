package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.AuditVerifier;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 18: a 32 MiB bind value, sent by pgjdbc over the wire with {@code params: clear}, is kept
 * in its statement's audit record as its first 64 Ki characters, its length and its SHA-256 (the
 * record says it was cut), not whole; the statement runs as usual and the chain verifies.
 */
class HugeBindWireIT {

  private static final int HUGE = 32 * 1024 * 1024;
  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = ProxyFixture.reference(TestPostgres.get().createShopDatabase("wire_huge_bind"), "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void aHugeBindValueIsRecordedBoundedAndTheChainVerifies() throws Exception {
    String huge = "b".repeat(HUGE - 3) + "end";
    try (Connection c =
            proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, PgJdbcIT.EXTENDED);
        PreparedStatement ps =
            c.prepareStatement("SELECT length(?) AS n, 'huge-bind-marker' AS marker")) {
      ps.setString(1, huge);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt("n")).as("the whole value reached PostgreSQL").isEqualTo(HUGE);
      }
    }
    String body = recordBody();
    assertThat(body.length()).as("the stored body").isLessThan(64 * 1024 + 4096);
    JsonNode params = JsonMapper.builder().build().readTree(body).get("params");
    assertThat(params.get("mode").asString()).isEqualTo("CLEAR");
    assertThat(params.get("count").asInt()).isEqualTo(1);
    assertThat(params.at("/values/0").asString()).isEqualTo("b".repeat(64 * 1024));
    assertThat(params.get("truncated").asBoolean()).isTrue();
    assertThat(params.at("/cut/0/index").asInt()).isZero();
    assertThat(params.at("/cut/0/length").asLong()).isEqualTo(HUGE);
    assertThat(params.at("/cut/0/sha256").asString()).isEqualTo(sha256(huge));

    ControlDatabase control = proxy.reference.engine().control();
    var report = new AuditVerifier(control.dataSource(), AuditKey.of(new byte[32])).verify();
    assertThat(report.problems()).isEmpty();
    assertThat(report.records()).isPositive();
  }

  /** The statement record of the marked statement, once its writer has committed it. */
  private static String recordBody() throws Exception {
    var settings = proxy.reference.engine().control().settings();
    TestPostgres pg = TestPostgres.get();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try (Connection c =
              DriverManager.getConnection(settings.jdbcUrl(), pg.adminUser(), pg.adminPassword());
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT body FROM "
                      + settings.schema()
                      + ".audit_record WHERE kind = 'STATEMENT'"
                      + " AND body LIKE '%huge-bind-marker%'")) {
        if (rs.next()) {
          return rs.getString(1);
        }
      }
      assertThat(System.nanoTime()).as("the record is committed within 10 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
