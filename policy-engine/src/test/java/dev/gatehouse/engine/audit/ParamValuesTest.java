package dev.gatehouse.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Bind parameters in an audit record are bounded as the statement text is (issue 18). */
class ParamValuesTest {

  final AuditKey key = AuditKey.of(new byte[32]);

  JsonNode params(List<String> values, ParamMode mode, int budget) {
    Map<String, Object> m = ParamValues.of(values, mode, key, budget);
    return RecordBodies.JSON.readTree(RecordBodies.write(m));
  }

  @Test
  void valuesWithinTheBoundAreKeptWholeAndUnmarked() {
    JsonNode p = params(Arrays.asList("a", null, "x".repeat(1022)), ParamMode.CLEAR, 1024);
    assertThat(p.toString())
        .isEqualTo(
            "{\"mode\":\"CLEAR\",\"count\":3,\"values\":[\"a\",null,\""
                + "x".repeat(1022)
                + "\"]}");
  }

  @Test
  void aHugeClearValueIsKeptAsItsFirstCharactersItsLengthAndItsDigest() {
    String huge = "é".repeat(3 * 1024 * 1024);
    JsonNode p = params(List.of("id-7", huge, "after"), ParamMode.CLEAR, 2048);
    assertThat(p.at("/values/0").asString()).isEqualTo("id-7");
    assertThat(p.at("/values/1").asString()).isEqualTo(huge.substring(0, 2044));
    // The budget is spent: the next value keeps none of its characters, and says so.
    assertThat(p.at("/values/2").asString()).isEmpty();
    assertThat(p.get("truncated").asBoolean()).isTrue();
    assertThat(p.at("/cut/0/index").asInt()).isEqualTo(1);
    assertThat(p.at("/cut/0/length").asLong()).isEqualTo(huge.length());
    // What `sha256sum` prints for the value the client bound.
    assertThat(p.at("/cut/0/sha256").asString()).isEqualTo(SqlText.sha256(huge)).hasSize(64);
    assertThat(p.at("/cut/1/index").asInt()).isEqualTo(2);
    assertThat(p.at("/cut/1/sha256").asString()).isEqualTo(SqlText.sha256("after"));
    assertThat(p.get("omitted").asInt()).isZero();
    assertThat(p.toString().length()).isLessThan(2048 + 512);
  }

  @Test
  void manyValuesPastTheBoundStopAfterTheLastCutAndAreCounted() {
    List<String> many = new ArrayList<>(Collections.nCopies(65_535, "v".repeat(1000)));
    JsonNode p = params(many, ParamMode.CLEAR, 64 * 1024);
    assertThat(p.get("count").asInt()).isEqualTo(65_535);
    assertThat(p.get("cut")).hasSize(ParamValues.MAX_CUTS);
    int kept = p.get("values").size();
    assertThat(kept).isEqualTo(65 + ParamValues.MAX_CUTS);
    assertThat(p.get("omitted").asInt()).isEqualTo(65_535 - kept);
    // The body is bounded by the budget, not by what the client sent (64 MiB here).
    assertThat(p.toString().length()).isLessThan(64 * 1024 + ParamValues.MAX_CUTS * 120);
  }

  @Test
  void hashedValuesPastTheBoundAreLeftOutAndCounted() {
    List<String> many = new ArrayList<>(Collections.nCopies(5_000, "secret"));
    many.set(0, null);
    JsonNode p = params(many, ParamMode.HMAC, 1024);
    assertThat(p.at("/values/0").isNull()).isTrue();
    assertThat(p.at("/values/1").asString()).isEqualTo(key.hmacHex("secret"));
    assertThat(p.get("values")).hasSize(1 + 1024 / 64);
    assertThat(p.get("truncated").asBoolean()).isTrue();
    assertThat(p.get("omitted").asInt()).isEqualTo(5_000 - 1 - 1024 / 64);
    // Never an unkeyed digest of a hashed value: it would let anyone test guesses.
    assertThat(p.has("cut")).isFalse();
  }

  @Test
  void aReaderSeesTheCutAndAnUnclearedOneNotTheDigest() {
    String huge = "z".repeat(100_000);
    StatementEvent e =
        new StatementEvent(
            null,
            AuditFixtures.context("shop"),
            "c1",
            "SELECT $1",
            List.of(huge),
            null,
            AuditFixtures.decision(dev.gatehouse.engine.policy.Effect.ALLOW, "r"),
            null);
    String body =
        RecordBodies.statement(
            e, ParamMode.CLEAR, key, java.util.Set.of(), 0, new RecordBounds(1024, 4096));
    StatementRecord r =
        RecordReader.statement(UUID.randomUUID(), Instant.now(), "i", 1, body, null);
    assertThat(r.params()).containsExactly("z".repeat(4096));
    assertThat(r.paramsTruncated())
        .isEqualTo(
            new StatementRecord.ParamsTruncation(
                List.of(new StatementRecord.ParamCut(0, 100_000, SqlText.sha256(huge))), 0));
    assertThat(LiteralsWithheld.of(r).paramsTruncated().cut())
        .containsExactly(new StatementRecord.ParamCut(0, 100_000, null));
  }

  @Test
  void theStatementTextBoundIsConfigurable() {
    StatementEvent e =
        new StatementEvent(
            null,
            AuditFixtures.context("shop"),
            "c1",
            "SELECT '" + "q".repeat(5000) + "'",
            List.of(),
            null,
            AuditFixtures.decision(dev.gatehouse.engine.policy.Effect.DENY, "r"),
            null);
    JsonNode b =
        RecordBodies.JSON.readTree(
            RecordBodies.statement(
                e, ParamMode.HMAC, key, java.util.Set.of(), 0, new RecordBounds(2000, 1024)));
    assertThat(b.get("sql").asString()).hasSize(2000);
    assertThat(b.get("sqlLength").asInt()).isEqualTo(5009);
  }

  @Test
  void boundsOutsideTheirRangeAreRefusedNamingTheField() {
    assertThatThrownBy(() -> new RecordBounds(100, 65536))
        .hasMessage(
            "audit `record.maxSqlChars` must be between 1024 and 1048576 characters, got 100");
    assertThatThrownBy(() -> new RecordBounds(65536, 2_000_000))
        .hasMessage(
            "audit `record.maxParamChars` must be between 1024 and 1048576 characters, got"
                + " 2000000");
  }
}
