package dev.gatehouse.engine.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A statement as the audit trail holds it, with its outcome when it has one.
 *
 * @param params the parameters as stored: clear values, HMAC hashes, or empty when omitted
 * @param outcome null while the statement has not completed
 */
public record StatementRecord(
    UUID id,
    Instant at,
    String instanceId,
    long seq,
    String issuer,
    String subject,
    String principalKind,
    List<String> groups,
    String channel,
    String clientApplication,
    String clientAddress,
    String database,
    String sql,
    String paramMode,
    List<String> params,
    String decision,
    List<String> ruleIds,
    String explanation,
    String approvalId,
    List<String> statementKinds,
    List<String> tables,
    List<String> riskFlags,
    Outcome outcome) {

  /** How the statement ended. */
  public record Outcome(
      long rows,
      Long durationMicros,
      List<String> maskedColumns,
      List<String> maskRules,
      List<String> detectorHits,
      String sqlState,
      String error,
      List<List<String>> capturedRows) {}
}
