package dev.gatehouse.engine.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one identity did in a period, for access reviews.
 *
 * @param statementClasses statements per class ({@code READ}, {@code WRITE}, ...)
 * @param rowsRead rows returned to the identity by reading statements
 * @param approvalsRequested approval requests the identity made
 * @param approvalsGiven requests the identity approved for others
 */
public record IdentitySummary(
    String issuer,
    String subject,
    Instant firstSeen,
    Instant lastSeen,
    long statements,
    List<String> tablesTouched,
    Map<String, Long> statementClasses,
    long rowsRead,
    List<String> maskedColumns,
    long denials,
    long approvalsRequested,
    long approvalsGiven) {}
