package dev.gatehouse.engine.audit;

import java.time.Instant;

/**
 * A search of statement records; every criterion is optional and all given ones must match.
 *
 * @param statementKind a command tag ({@code SELECT}, {@code DROP TABLE}) or a statement class
 *     ({@code READ}, {@code DDL})
 * @param decision {@code ALLOW}, {@code REQUIRE_APPROVAL} or {@code DENY}
 * @param table {@code schema.table}
 * @param maskedColumn {@code schema.table.column} masked in the statement's result
 * @param from inclusive, or null
 * @param to exclusive, or null
 * @param text a substring of the SQL text (case-insensitive)
 * @param limit page size, 1 to 1000
 * @param cursor {@link AuditPage#nextCursor()} of the previous page, or null for the first
 */
public record AuditQuery(
    String subject,
    String issuer,
    String group,
    String table,
    String statementKind,
    String decision,
    String ruleId,
    String maskedColumn,
    Instant from,
    Instant to,
    String text,
    int limit,
    String cursor) {

  public AuditQuery {
    if (limit < 1 || limit > 1_000) {
      throw new IllegalArgumentException("search `limit` must be between 1 and 1000, got " + limit);
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("search `from` must be before `to`");
    }
  }

  /** Everything, newest first, 50 per page. */
  public static AuditQuery all() {
    return new AuditQuery(
        null, null, null, null, null, null, null, null, null, null, null, 50, null);
  }

  public AuditQuery subject(String v) {
    return new AuditQuery(
        v,
        issuer,
        group,
        table,
        statementKind,
        decision,
        ruleId,
        maskedColumn,
        from,
        to,
        text,
        limit,
        cursor);
  }

  public AuditQuery issuer(String v) {
    return new AuditQuery(
        subject,
        v,
        group,
        table,
        statementKind,
        decision,
        ruleId,
        maskedColumn,
        from,
        to,
        text,
        limit,
        cursor);
  }

  public AuditQuery group(String v) {
    return new AuditQuery(
        subject,
        issuer,
        v,
        table,
        statementKind,
        decision,
        ruleId,
        maskedColumn,
        from,
        to,
        text,
        limit,
        cursor);
  }

  public AuditQuery table(String v) {
    return new AuditQuery(
        subject,
        issuer,
        group,
        v,
        statementKind,
        decision,
        ruleId,
        maskedColumn,
        from,
        to,
        text,
        limit,
        cursor);
  }

  public AuditQuery statementKind(String v) {
    return new AuditQuery(
        subject,
        issuer,
        group,
        table,
        v,
        decision,
        ruleId,
        maskedColumn,
        from,
        to,
        text,
        limit,
        cursor);
  }

  public AuditQuery decision(String v) {
    return new AuditQuery(
        subject,
        issuer,
        group,
        table,
        statementKind,
        v,
        ruleId,
        maskedColumn,
        from,
        to,
        text,
        limit,
        cursor);
  }

  public AuditQuery ruleId(String v) {
    return new AuditQuery(
        subject,
        issuer,
        group,
        table,
        statementKind,
        decision,
        v,
        maskedColumn,
        from,
        to,
        text,
        limit,
        cursor);
  }

  public AuditQuery maskedColumn(String v) {
    return new AuditQuery(
        subject,
        issuer,
        group,
        table,
        statementKind,
        decision,
        ruleId,
        v,
        from,
        to,
        text,
        limit,
        cursor);
  }

  public AuditQuery between(Instant f, Instant t) {
    return new AuditQuery(
        subject,
        issuer,
        group,
        table,
        statementKind,
        decision,
        ruleId,
        maskedColumn,
        f,
        t,
        text,
        limit,
        cursor);
  }

  public AuditQuery text(String v) {
    return new AuditQuery(
        subject,
        issuer,
        group,
        table,
        statementKind,
        decision,
        ruleId,
        maskedColumn,
        from,
        to,
        v,
        limit,
        cursor);
  }

  public AuditQuery page(int l, String c) {
    return new AuditQuery(
        subject,
        issuer,
        group,
        table,
        statementKind,
        decision,
        ruleId,
        maskedColumn,
        from,
        to,
        text,
        l,
        c);
  }
}
