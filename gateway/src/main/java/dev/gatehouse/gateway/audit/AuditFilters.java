package dev.gatehouse.gateway.audit;

import dev.gatehouse.engine.audit.AuditQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filters of an audit search, as the CLI's options and the admin API's query parameters name
 * them: {@code subject}, {@code issuer}, {@code group}, {@code table}, {@code kind}, {@code
 * decision}, {@code rule}, {@code masked-column}, {@code since}, {@code until}, {@code text},
 * {@code limit}, {@code cursor}.
 */
public final class AuditFilters {

  private static final Pattern AGO = Pattern.compile("(\\d+)(m|h|d|w)");

  private AuditFilters() {}

  /** The query for {@code filters}; unknown names and bad values are refused. */
  public static AuditQuery query(Map<String, String> filters, Instant now) {
    AuditQuery q = AuditQuery.all();
    Instant since = null;
    Instant until = null;
    int limit = 100;
    String cursor = null;
    for (Map.Entry<String, String> e : filters.entrySet()) {
      String v = e.getValue();
      if (v == null || v.isBlank()) {
        continue;
      }
      switch (e.getKey()) {
        case "subject" -> q = q.subject(v);
        case "issuer" -> q = q.issuer(v);
        case "group" -> q = q.group(v);
        case "table" -> q = q.table(v);
        case "kind" -> q = q.statementKind(v);
        case "decision" -> q = q.decision(decision(v));
        case "rule" -> q = q.ruleId(v);
        case "masked-column" -> q = q.maskedColumn(v);
        case "text" -> q = q.text(v);
        case "since" -> since = time(v, now);
        case "until" -> until = time(v, now);
        case "limit" -> limit = limit(v);
        case "cursor" -> cursor = v;
        default ->
            throw new IllegalArgumentException(
                "unknown filter `"
                    + e.getKey()
                    + "`; use subject, issuer, group, table, kind, decision, rule, masked-column,"
                    + " since, until, text, limit or cursor");
      }
    }
    if (since != null || until != null) {
      q = q.between(since, until);
    }
    return q.page(limit, cursor);
  }

  /** {@code 30d}, {@code 12h}, {@code 2w} ago, an ISO instant or a date (midnight UTC). */
  public static Instant time(String text, Instant now) {
    String t = text.strip();
    Matcher m = AGO.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
          };
      return now.minus(d);
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException(
            "`"
                + text
                + "` is not a time; write e.g. `30d`, `12h`, `2026-11-01` or an ISO instant");
      }
    }
  }

  private static String decision(String v) {
    String d = v.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    return switch (d) {
      case "ALLOW", "DENY", "REQUIRE_APPROVAL" -> d;
      case "APPROVAL" -> "REQUIRE_APPROVAL";
      default ->
          throw new IllegalArgumentException(
              "unknown decision `" + v + "`; use allow, deny or require-approval");
    };
  }

  private static int limit(String v) {
    try {
      int n = Integer.parseInt(v.strip());
      if (n < 1 || n > 1000) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("`limit` must be 1 to 1000, got `" + v + "`");
    }
  }
}
