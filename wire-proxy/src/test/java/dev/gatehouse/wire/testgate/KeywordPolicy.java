package dev.gatehouse.wire.testgate;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskRule;
import dev.gatehouse.engine.masking.MaskStrategy;
import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.PolicyEvaluator;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Test double of {@link PolicyEvaluator}: a few fixed rules in the spirit of the reference policy.
 * Analysts read as {@code gatehouse_reader} (read-only), etl-nightly reads and writes as {@code
 * gatehouse_writer} and needs approval for DDL (run as {@code gatehouse_owner}), contractors get
 * nothing; a few dangerous functions are denied for everyone.
 */
public final class KeywordPolicy implements PolicyEvaluator {

  static final MaskingPolicy MASKING =
      new MaskingPolicy(
          List.of(
              new MaskRule("mask-email", "app.customers.email", MaskStrategy.REDACT, 0),
              new MaskRule("mask-ssn", "app.customers.ssn", MaskStrategy.REDACT, 0),
              new MaskRule("mask-card", "*.card_number", MaskStrategy.REDACT, 0)),
          Set.of(),
          false);

  private static final List<String> DANGEROUS =
      List.of("pg_read_file", "pg_sleep", "pg_terminate_backend", "set_config", "pg_ls_dir");

  private volatile long rowLimit;
  private volatile Duration statementTimeout;

  /** Sets the row limit and statement timeout analysts get from now on. */
  public void limits(long rowLimit, Duration statementTimeout) {
    this.rowLimit = rowLimit;
    this.statementTimeout = statementTimeout;
  }

  @Override
  public Decision evaluate(Principal principal, Analysis analysis, RequestContext context) {
    String lower = analysis.sql().toLowerCase(Locale.ROOT);
    for (String f : DANGEROUS) {
      if (lower.contains(f)) {
        return deny("dangerous-function", "the function `" + f + "` is not allowed");
      }
    }
    boolean reader = principal.groups().contains("analysts");
    boolean etl = principal.groups().contains("etl");
    MaskingPolicy masking =
        principal.groups().contains("pii-cleared") ? MaskingPolicy.NONE : MASKING;
    for (StatementInfo s : analysis.statements()) {
      StatementClass kind = s.statementClass();
      if (kind == StatementClass.UNKNOWN || kind == StatementClass.ADMIN) {
        return deny("unknown-statement", "the statement `" + s.commandTag() + "` is not allowed");
      }
      if (reader
          && kind != StatementClass.READ
          && kind != StatementClass.TRANSACTION
          && kind != StatementClass.SESSION) {
        return deny("analyst-read-only", "analysts may only read");
      }
      if (etl && kind == StatementClass.DDL) {
        return new Decision(
            Effect.REQUIRE_APPROVAL,
            List.of("etl-ddl-approval"),
            "DDL by etl-nightly needs approval by a dba",
            new Obligations("gatehouse_owner", false, 0, null, masking),
            "test");
      }
    }
    if (reader) {
      return new Decision(
          Effect.ALLOW,
          List.of("analyst-read"),
          "analysts read app.*",
          new Obligations("gatehouse_reader", true, rowLimit, statementTimeout, masking),
          "test");
    }
    if (etl) {
      return new Decision(
          Effect.ALLOW,
          List.of("etl-read-write"),
          "etl-nightly reads and writes orders",
          new Obligations("gatehouse_writer", false, 0, null, masking),
          "test");
    }
    return deny("default-deny", "no rule grants `" + principal.subject() + "` anything");
  }

  private static Decision deny(String rule, String why) {
    return new Decision(Effect.DENY, List.of(rule), why, Obligations.NONE, "test");
  }
}
