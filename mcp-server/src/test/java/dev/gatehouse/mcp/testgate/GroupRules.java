package dev.gatehouse.mcp.testgate;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskRule;
import dev.gatehouse.engine.masking.MaskStrategy;
import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.masking.detect.DetectorType;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.PolicyEvaluator;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.TableRef;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Test double of the policy: analysts and etl read, etl writes orders and payments (unbounded
 * writes need approval), everyone else is denied; pii columns masked without {@code pii-cleared}.
 */
public final class GroupRules implements PolicyEvaluator {

  public static final MaskingPolicy PII =
      new MaskingPolicy(
          List.of(
              new MaskRule("test-mask-email", "*.email", MaskStrategy.REDACT, 0),
              new MaskRule("test-mask-ssn", "*.ssn", MaskStrategy.REDACT, 0),
              new MaskRule("test-mask-phone", "*.phone", MaskStrategy.REDACT, 0),
              new MaskRule("test-mask-card", "*.card_number", MaskStrategy.REDACT, 0)),
          Set.of(DetectorType.EMAIL),
          false);

  private static final Set<TableRef> ETL_WRITABLE =
      Set.of(TableRef.of("app.orders"), TableRef.of("app.payments"));

  @Override
  public Decision evaluate(Principal p, Analysis analysis, RequestContext context) {
    boolean reader = p.groups().contains("analysts") || p.groups().contains("etl");
    if (!reader || analysis.statements().isEmpty()) {
      return deny(
          "test-default-deny", "no rule grants you anything in `" + context.database() + "`");
    }
    MaskingPolicy masking = p.groups().contains("pii-cleared") ? MaskingPolicy.NONE : PII;
    boolean reads =
        analysis.statements().stream().allMatch(s -> s.statementClass() == StatementClass.READ);
    if (reads && !analysis.riskFlags().contains(RiskFlag.DANGEROUS_FUNCTION)) {
      return new Decision(
          Effect.ALLOW,
          List.of("test-read"),
          "reads are allowed",
          new Obligations("reader", true, 500, Duration.ofSeconds(10), masking),
          "test");
    }
    if (p.groups().contains("etl")
        && analysis.statements().stream()
            .allMatch(s -> etlWrite(s) || s.statementClass() == StatementClass.READ)) {
      Obligations writer = new Obligations("writer", false, 500, Duration.ofSeconds(10), masking);
      if (analysis.riskFlags().contains(RiskFlag.NO_WHERE)) {
        return new Decision(
            Effect.REQUIRE_APPROVAL,
            List.of("test-unbounded-write"),
            "an UPDATE or DELETE without WHERE needs approval by a dba",
            writer,
            "test");
      }
      return new Decision(
          Effect.ALLOW,
          List.of("test-etl-write"),
          "etl writes orders and payments",
          writer,
          "test");
    }
    return deny("test-read-only", "you may only read; writes and other statements are refused");
  }

  private static boolean etlWrite(StatementInfo s) {
    return s.statementClass() == StatementClass.WRITE
        && ETL_WRITABLE.containsAll(s.tablesWritten())
        && !s.tablesWritten().isEmpty();
  }

  private static Decision deny(String rule, String why) {
    return new Decision(Effect.DENY, List.of(rule), why, Obligations.NONE, "test");
  }
}
