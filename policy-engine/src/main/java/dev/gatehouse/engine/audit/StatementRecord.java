package dev.gatehouse.engine.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A statement as the audit trail holds it, with its outcome when it has one.
 *
 * @param sqlTruncated null when {@code sql} is the whole text; else how long the text was and its
 *     digest ({@code sql} then holds its first characters only)
 * @param params the parameters as stored: clear values, HMAC hashes, or empty when omitted
 * @param paramsTruncated null when every parameter is kept whole; else which were cut or left out
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
    Truncation sqlTruncated,
    String paramMode,
    List<String> params,
    ParamsTruncation paramsTruncated,
    String decision,
    List<String> ruleIds,
    String explanation,
    String approvalId,
    List<String> statementKinds,
    List<String> tables,
    List<String> riskFlags,
    Outcome outcome) {

  /**
   * What a cut statement text was: its length in characters and the SHA-256 (hex) of its UTF-8
   * bytes; {@code sha256} is null for a reader who may not see it.
   */
  public record Truncation(long length, String sha256) {}

  /**
   * Parameters the record does not keep whole: each cut clear value (its position, length and
   * digest; only its first characters are in {@code params}), and how many values after the kept
   * ones were left out.
   */
  public record ParamsTruncation(List<ParamCut> cut, int omitted) {}

  /**
   * A clear parameter value that was cut: its position (from 0), length in characters and the
   * SHA-256 (hex) of its UTF-8 bytes; {@code sha256} is null for a reader who may not see it.
   */
  public record ParamCut(int index, long length, String sha256) {}

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
