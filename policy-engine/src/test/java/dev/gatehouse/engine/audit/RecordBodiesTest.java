package dev.gatehouse.engine.audit;

import static dev.gatehouse.engine.audit.AuditFixtures.analysis;
import static dev.gatehouse.engine.audit.AuditFixtures.context;
import static dev.gatehouse.engine.audit.AuditFixtures.decision;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.AppliedMask;
import dev.gatehouse.engine.masking.MaskStrategy;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.engine.sql.StatementClass;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RecordBodiesTest {

  final AuditKey key = AuditKey.of(new byte[32]);
  final Principal principal =
      new Principal(
          "https://issuer.example",
          "analyst",
          Principal.Kind.PERSON,
          Set.of("b", "a"),
          "cli",
          Map.of("email", "x@example.com"),
          Instant.now().plusSeconds(60));
  final StatementEvent event =
      new StatementEvent(
          principal,
          context("shop"),
          "c1",
          "SELECT * FROM app.customers WHERE email = $1",
          Arrays.asList("alice@example.com", null),
          analysis(
              "SELECT * FROM app.customers WHERE email = $1",
              "SELECT",
              StatementClass.READ,
              Set.of("App.Customers"),
              Set.of(),
              Set.of(RiskFlag.OPAQUE_LINEAGE)),
          decision(Effect.ALLOW, "analysts-read"),
          null);

  JsonNode statement(ParamMode mode) {
    return RecordBodies.JSON.readTree(
        RecordBodies.statement(event, mode, key, RecordBodies.tables(event.analysis()), 0));
  }

  @Test
  void statementRecordsDecisionPrincipalAndTables() {
    JsonNode b = statement(ParamMode.CLEAR);
    assertThat(b.at("/principal/subject").asString()).isEqualTo("analyst");
    assertThat(b.at("/principal/groups").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(b.get("effect").asString()).isEqualTo("ALLOW");
    assertThat(b.get("ruleIds").toString()).isEqualTo("[\"analysts-read\"]");
    assertThat(b.get("tables").toString()).isEqualTo("[\"app.customers\"]");
    assertThat(b.get("statementClasses").toString()).isEqualTo("[\"READ\"]");
    assertThat(b.get("riskFlags").toString()).isEqualTo("[\"OPAQUE_LINEAGE\"]");
    assertThat(b.get("params").get("values").toString()).isEqualTo("[\"alice@example.com\",null]");
    // Claims are never copied into the record: only what identifies the principal.
    assertThat(b.toString()).doesNotContain("x@example.com");
  }

  /**
   * The body written from parts kept between statements is, byte for byte, the body of all its
   * fields written at once, on the first statement and on the next ones, for a principal, a context
   * and a decision seen before or new, with a NUL in the decision's text, an approval and no
   * context at all.
   */
  @Test
  void theBodyWrittenFromKeptPartsIsTheBodyOfAllItsFields() {
    var other = decision(Effect.REQUIRE_APPROVAL, "needs-dba");
    var nul =
        new dev.gatehouse.engine.policy.Decision(
            Effect.ALLOW,
            List.of("r"),
            "text with " + (char) 0,
            dev.gatehouse.engine.policy.Obligations.NONE,
            "rev");
    List<StatementEvent> events = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      events.add(event);
      events.add(
          new StatementEvent(
              principal,
              context(i == 1 ? "other" : "shop"),
              "c" + i,
              "SELECT " + i,
              List.of(),
              event.analysis(),
              i == 2 ? nul : other,
              i == 0 ? UUID.randomUUID() : null));
      events.add(
          new StatementEvent(
              i == 1 ? null : principal,
              null,
              null,
              "SELECT 'x'",
              null,
              null,
              event.decision(),
              null));
    }
    for (StatementEvent e : events) {
      for (ParamMode mode : ParamMode.values()) {
        Set<String> tables = RecordBodies.tables(e.analysis());
        assertThat(RecordBodies.statement(e, mode, key, tables, 3, RecordBounds.DEFAULTS))
            .isEqualTo(
                RecordBodies.write(
                    RecordBodies.statementFields(e, mode, key, tables, 3, RecordBounds.DEFAULTS)));
      }
    }
  }

  @Test
  void hashedParametersRevealNothingButEquality() {
    JsonNode b = statement(ParamMode.HMAC);
    assertThat(b.toString()).doesNotContain("alice@example.com");
    String hash = b.at("/params/values/0").asString();
    assertThat(hash)
        .hasSize(64)
        .isEqualTo(statement(ParamMode.HMAC).at("/params/values/0").asString());
    assertThat(b.at("/params/values/1").isNull()).isTrue();
    assertThat(b.at("/params/count").asInt()).isEqualTo(2);
  }

  @Test
  void nulCharactersAreReplacedButEscapedBackslashesKept() {
    StatementEvent withNul =
        new StatementEvent(
            principal,
            context("shop"),
            "c1",
            "SELECT '" + (char) 0 + "'",
            List.of("a" + (char) 0 + "b", "\\u0000 is text"),
            event.analysis(),
            event.decision(),
            null);
    String json = RecordBodies.statement(withNul, ParamMode.CLEAR, key, Set.of(), 0);
    JsonNode b = RecordBodies.JSON.readTree(json);
    assertThat(b.get("sql").asString()).isEqualTo("SELECT '" + (char) 0xFFFD + "'");
    assertThat(b.at("/params/values/0").asString()).isEqualTo("a" + (char) 0xFFFD + "b");
    assertThat(b.at("/params/values/1").asString()).isEqualTo("\\u0000 is text");
  }

  @Test
  void aHugeTextIsKeptAsItsFirstCharactersItsLengthAndItsDigest() {
    String sql = "SELECT '" + "é".repeat(3 * SqlText.MAX_CHARS) + "'";
    StatementEvent huge =
        new StatementEvent(
            principal,
            context("shop"),
            "c1",
            sql,
            List.of(),
            event.analysis(),
            event.decision(),
            null);
    JsonNode b =
        RecordBodies.JSON.readTree(RecordBodies.statement(huge, ParamMode.HMAC, key, Set.of(), 0));
    assertThat(b.get("sql").asString()).isEqualTo(sql.substring(0, SqlText.MAX_CHARS));
    assertThat(b.get("sqlTruncated").asBoolean()).isTrue();
    assertThat(b.get("sqlLength").asLong()).isEqualTo(sql.length());
    // What `printf %s "$sql" | sha256sum` prints for the text the client sent.
    assertThat(b.get("sqlSha256").asString())
        .hasSize(64)
        .isEqualTo(SqlText.sha256(sql))
        .isNotEqualTo(SqlText.sha256(sql.substring(1)));
    StatementRecord r =
        RecordReader.statement(UUID.randomUUID(), Instant.now(), "i", 1, b.toString(), null);
    assertThat(r.sqlTruncated())
        .isEqualTo(new StatementRecord.Truncation(sql.length(), SqlText.sha256(sql)));
    // An uncleared reader learns that it was cut and how long it was, not the digest.
    assertThat(LiteralsWithheld.of(r).sqlTruncated())
        .isEqualTo(new StatementRecord.Truncation(sql.length(), null));
  }

  @Test
  void aTextAtTheBoundIsKeptWholeAndUnmarked() {
    String sql = "SELECT 1" + " ".repeat(SqlText.MAX_CHARS - 8);
    StatementEvent whole =
        new StatementEvent(
            principal,
            context("shop"),
            "c1",
            sql,
            List.of(),
            event.analysis(),
            event.decision(),
            null);
    JsonNode b =
        RecordBodies.JSON.readTree(RecordBodies.statement(whole, ParamMode.HMAC, key, Set.of(), 0));
    assertThat(b.get("sql").asString()).isEqualTo(sql);
    assertThat(b.has("sqlTruncated")).isFalse();
    assertThat(b.has("sqlSha256")).isFalse();
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String sql = "x".repeat(SqlText.MAX_CHARS - 1) + "\uD83D\uDE00 and more";
    java.util.Map<String, Object> b = new java.util.LinkedHashMap<>();
    SqlText.put(b, sql, SqlText.MAX_CHARS);
    assertThat((String) b.get("sql")).isEqualTo("x".repeat(SqlText.MAX_CHARS - 1));
  }

  @Test
  void omittedParametersKeepOnlyTheirCount() {
    JsonNode b = statement(ParamMode.OMIT);
    assertThat(b.at("/params").toString()).isEqualTo("{\"mode\":\"OMIT\",\"count\":2}");
  }

  @Test
  void authenticationNeverHoldsAToken() {
    JsonNode b =
        RecordBodies.JSON.readTree(
            RecordBodies.authentication(
                new AuthEvent(
                    Instant.now(),
                    Channel.MCP,
                    "shop",
                    "claude",
                    "10.0.0.1",
                    null,
                    null,
                    "signature invalid")));
    assertThat(b.get("succeeded").asBoolean()).isFalse();
    assertThat(b.get("failureReason").asString()).isEqualTo("signature invalid");
    assertThat(b.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly(
            "channel",
            "database",
            "clientApplication",
            "clientAddress",
            "issuer",
            "subject",
            "succeeded",
            "failureReason");
  }

  @Test
  void outcomeSeparatesMaskedColumnsFromDetectorHits() {
    UUID id = UUID.randomUUID();
    StatementOutcome o =
        new StatementOutcome(
            5,
            Duration.ofMillis(12),
            List.of(
                new AppliedMask("mail", "App.Customers.Email", "pii", MaskStrategy.EMAIL),
                new AppliedMask("note", null, "detector:CARD_NUMBER", MaskStrategy.REDACT)),
            "57014",
            "canceled",
            List.of(List.of("x")));
    JsonNode b = RecordBodies.JSON.readTree(RecordBodies.outcome(id, o, List.of()));
    assertThat(b.get("statementId").asString()).isEqualTo(id.toString());
    assertThat(b.get("maskedColumns").toString()).isEqualTo("[\"app.customers.email\"]");
    assertThat(b.get("detectorHits").toString()).isEqualTo("[\"detector:CARD_NUMBER\"]");
    assertThat(b.get("durationMicros").asLong()).isEqualTo(12_000);
    assertThat(b.get("sqlState").asString()).isEqualTo("57014");
    assertThat(b.get("capturedRows").size()).isZero();
    assertThat(b.get("capturedTruncated").asBoolean()).isTrue();
  }

  @Test
  void aPlainOutcomeIsWrittenAsTheGeneratorWritesIt() {
    UUID id = UUID.randomUUID();
    for (StatementOutcome o :
        List.of(
            new StatementOutcome(
                1, Duration.ofNanos(123_456_789), List.of(), null, null, List.of()),
            new StatementOutcome(0, null, List.of(), null, null, List.of()),
            new StatementOutcome(
                Long.MAX_VALUE, Duration.ZERO, List.of(), null, null, List.of()))) {
      String plain = RecordBodies.outcome(id, o, List.of());
      assertThat(plain).isEqualTo(RecordBodies.outcomeBody(id, o, List.of()));
      assertThat(RecordBodies.JSON.readTree(plain).get("rows").asLong()).isEqualTo(o.rows());
    }
  }

  @Test
  void recordIdsAreRandomVersion4UuidsThatDoNotRepeat() {
    Set<UUID> seen = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      UUID u = RecordIds.next();
      assertThat(u.version()).isEqualTo(4);
      assertThat(u.variant()).isEqualTo(2);
      assertThat(seen.add(u)).isTrue();
    }
  }

  @Test
  void theStreamedBodyIsTheTextTheMapperWrites() {
    // The bodies are streamed for speed; the chain hashes their text, so it must stay the same.
    Map<String, Object> nested = new java.util.LinkedHashMap<>();
    nested.put("quote\"back\\slash", "tab\tnew\nline \u2028 é 😀 \u0001");
    nested.put("null", null);
    nested.put("long", Long.MIN_VALUE);
    nested.put("int", -7);
    nested.put("bool", false);
    nested.put("list", Arrays.asList("a", null, 3L, List.of(true), Map.of("k", "v")));
    nested.put("set", new java.util.TreeSet<>(Set.of("z", "y")));
    nested.put("instant", Instant.parse("2026-12-06T00:00:00Z"));
    nested.put("double", 1.5);
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("nested", nested);
    body.put("empty", Map.of());
    body.put("emptyList", List.of());
    assertThat(RecordBodies.write(body)).isEqualTo(RecordBodies.JSON.writeValueAsString(body));

    String statement =
        RecordBodies.statement(
            event, ParamMode.CLEAR, key, RecordBodies.tables(event.analysis()), 3);
    assertThat(statement)
        .isEqualTo(
            RecordBodies.JSON.writeValueAsString(
                RecordBodies.JSON.readValue(statement, java.util.LinkedHashMap.class)));
  }
}
