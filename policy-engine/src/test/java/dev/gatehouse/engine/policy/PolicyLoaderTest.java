package dev.gatehouse.engine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.engine.masking.MaskStrategy;
import dev.gatehouse.engine.masking.detect.DetectorType;
import dev.gatehouse.engine.policy.yaml.PolicyException;
import dev.gatehouse.engine.sql.StatementClass;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {

  static final String DB =
      """
      databases:
        shop:
          host: 127.0.0.1
          port: 5432
          roles:
            reader:
              user: gatehouse_reader
              password: ${env:READER_PW}
      """;

  private static final Map<String, String> ENV = Map.of("READER_PW", "s3cret", "HOST", "10.0.0.1");

  private static Policy parse(String yaml) {
    return new PolicyLoader(ENV::get)
        .parse(Path.of("policy.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
  }

  private static PolicyException error(String yaml) {
    return assertThrows(PolicyException.class, () -> parse(yaml));
  }

  @Test
  void readsTheReferencePolicy() {
    Policy p =
        new PolicyLoader(
                Map.of(
                        "GATEHOUSE_ISSUER_URL", "http://127.0.0.1:1/gatehouse",
                        "GATEHOUSE_PG_HOST", "127.0.0.1",
                        "GATEHOUSE_PG_PORT", "5433",
                        "GATEHOUSE_READER_PASSWORD", "r",
                        "GATEHOUSE_READER_CLEARED_PASSWORD", "rc",
                        "GATEHOUSE_WRITER_PASSWORD", "w",
                        "GATEHOUSE_OWNER_PASSWORD", "o")
                    ::get)
            .load(ReferencePolicy.file());
    assertEquals(1, p.issuers().size());
    assertEquals("http://127.0.0.1:1/gatehouse", p.issuers().getFirst().issuer());
    assertEquals(
        "http://127.0.0.1:1/gatehouse/.well-known/openid-configuration",
        p.issuers().getFirst().discoveryUrl().toString());
    assertEquals("client_id", p.issuers().getFirst().workloadClaim());
    assertEquals(5, p.rules().size());
    assertEquals(
        Duration.ofMinutes(15),
        p.approvalExpiry(java.util.List.of("etl-nightly-destructive-needs-approval")));
    var reader = p.upstream("shop", "gatehouse_reader");
    assertEquals(5433, reader.port());
    assertEquals("r", reader.password());
    assertEquals(4, p.masking().rules().size());
    assertEquals(MaskStrategy.KEEP_LAST, p.masking().rules().get(3).rule().strategy());
    assertEquals(4, p.masking().rules().get(3).rule().keepLast());
    assertEquals(
        java.util.Set.of(DetectorType.CARD_NUMBER, DetectorType.EMAIL), p.masking().detectors());
    assertEquals(64, p.revision().length());
    Grant analysts = p.rule("analysts-read").grantFor("shop").orElseThrow();
    assertTrue(analysts.readOnly());
    assertEquals(
        java.util.Set.of(StatementClass.READ, StatementClass.TRANSACTION, StatementClass.SESSION),
        analysts.classes());
  }

  @Test
  void unknownFieldNamesFileLineAndField() {
    PolicyException e =
        error(
            DB
                + """
                rules:
                  - id: a
                    match: {groups: [x]}
                    grants:
                      - database: shop
                        clases: [read]
                """);
    assertEquals("policy.yaml", e.file());
    assertEquals(14, e.line());
    assertEquals("rules[0].grants[0].clases", e.field());
    assertTrue(
        e.getMessage().contains("unknown field `clases`; expected one of `database`, `classes`"),
        e.getMessage());
    assertTrue(
        e.getMessage()
            .startsWith("policy `policy.yaml` line 14, field `rules[0].grants[0].clases`: "),
        e.getMessage());
  }

  @Test
  void wrongTypeSaysWhatIsExpected() {
    PolicyException e = error(DB + "rules:\n  - id: a\n    match: [x]\n");
    assertEquals(11, e.line());
    assertEquals("rules[0].match", e.field());
    assertTrue(e.getMessage().contains("expected a mapping, found a list"), e.getMessage());
    PolicyException port = error(DB.replace("port: 5432", "port: many"));
    assertEquals("databases.shop.port", port.field());
    assertEquals(4, port.line());
    assertTrue(
        port.getMessage().contains("expected a whole number, found `many`"), port.getMessage());
  }

  @Test
  void missingRequiredFieldNamesIt() {
    PolicyException e =
        error(
            DB
                + "rules:\n  - id: a\n    match: {groups: [x]}\n    grants:\n      - classes: [read]\n");
    assertEquals("rules[0].grants[0].database", e.field());
    assertEquals(13, e.line());
    assertTrue(e.getMessage().contains("missing; this field is required"), e.getMessage());
  }

  @Test
  void badValuesAreNamed() {
    String rule =
        DB
            + "rules:\n  - id: a\n    match: {groups: [x]}\n    grants:\n      - database: shop\n        upstreamRole: reader\n        classes: [reed]\n";
    PolicyException e = error(rule);
    assertEquals("rules[0].grants[0].classes[0]", e.field());
    assertTrue(
        e.getMessage().contains("unknown value `reed`; expected one of read, write"),
        e.getMessage());
    PolicyException db =
        error(rule.replace("database: shop", "database: shoq").replace("[reed]", "[read]"));
    assertTrue(
        db.getMessage().contains("unknown database `shoq`; expected one of `shop`"),
        db.getMessage());
    PolicyException role =
        error(
            rule.replace("upstreamRole: reader", "upstreamRole: admin")
                .replace("[reed]", "[read]"));
    assertTrue(role.getMessage().contains("unknown upstream role `admin`"), role.getMessage());
    PolicyException duration =
        error(rule.replace("[reed]", "[read]\n        statementTimeout: soon"));
    assertTrue(
        duration.getMessage().contains("expected a duration such as `30s`"), duration.getMessage());
    PolicyException bound = error(rule.replace("[reed]", "[read]\n        maxRowsAffected: -1"));
    assertEquals("rules[0].grants[0].maxRowsAffected", bound.field());
    assertTrue(
        bound.getMessage().contains("expected zero (no bound) or more, found `-1`"),
        bound.getMessage());
  }

  @Test
  void secretsMustBeReferences() {
    PolicyException literal = error(DB.replace("${env:READER_PW}", "hunter2"));
    assertEquals("databases.shop.roles.reader.password", literal.field());
    assertTrue(
        literal.getMessage().contains("secrets never stand in the policy file"),
        literal.getMessage());
    PolicyException unset = error(DB.replace("READER_PW", "NOT_SET"));
    assertTrue(
        unset.getMessage().contains("environment variable `NOT_SET` is not set"),
        unset.getMessage());
  }

  @Test
  void secretsComeFromFiles(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("pw");
    Files.writeString(secret, "from-file\n");
    Policy p = parse(DB.replace("${env:READER_PW}", "${file:" + secret + "}") + "rules: []\n");
    assertEquals("from-file", p.upstream("shop", "reader").password());
    assertEquals(
        "10.0.0.1",
        parse(DB.replace("127.0.0.1", "${env:HOST}")).upstream("shop", "reader").host());
  }

  @Test
  void invalidYamlAndDuplicatesAreLocated() {
    PolicyException syntax = error("rules:\n  - id: a\n   bad: [\n");
    assertEquals("policy.yaml", syntax.file());
    assertTrue(syntax.line() > 0, syntax.getMessage());
    assertTrue(syntax.getMessage().contains("invalid YAML"), syntax.getMessage());
    String rule = "  - id: a\n    effect: deny\n    match: {groups: [x]}\n";
    PolicyException twice = error(DB + "rules:\n" + rule + rule);
    assertTrue(twice.getMessage().contains("rule id `a` is used twice"), twice.getMessage());
    assertEquals(13, twice.line());
  }

  @Test
  void rulesMustBeMeaningful() {
    assertTrue(
        error(DB + "rules:\n  - id: a\n    match: {groups: [x]}\n")
            .getMessage()
            .contains("an allow rule needs at least one grant"));
    assertTrue(
        error(DB + "rules:\n  - id: a\n    match: {}\n    effect: deny\n")
            .getMessage()
            .contains("a match needs at least one condition"));
    assertTrue(
        error(DB + "rules:\n  - id: a\n    effect: require-approval\n    match: {groups: [x]}\n")
            .getMessage()
            .contains("say which statements need approval"));
    for (String id :
        List.of(
            "default-deny",
            dev.gatehouse.engine.admission.TaintGuard.RULE_ID,
            dev.gatehouse.engine.admission.TaintGuard.COPY_RULE_ID,
            dev.gatehouse.engine.admission.RowBound.RULE,
            dev.gatehouse.engine.sql.AnalysisLimit.RULE_ID,
            RulePolicyEvaluator.EVALUATION_ERROR)) {
      assertTrue(
          error(DB + "rules:\n  - id: " + id + "\n    effect: deny\n    match: {groups: [x]}\n")
              .getMessage()
              .contains("`" + id + "` is reserved"),
          id);
    }
    assertTrue(
        error("issuers:\n  - issuer: https://x\n    audiences: [a]\n    algorithms: [HS256]\n")
            .getMessage()
            .contains("algorithm `HS256` is not allowed"));
    assertTrue(error("mystery: 1\n").getMessage().contains("unknown field `mystery`"));
  }
}
