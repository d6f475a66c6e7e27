package dev.gatehouse.engine.approval;

import dev.gatehouse.engine.identity.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an approval is bound to, compared exactly: only whitespace around the statement and trailing
 * semicolons are ignored, because any other rewrite could change what runs.
 */
final class ApprovalBinding {

  private ApprovalBinding() {}

  static String normalize(String sql) {
    Objects.requireNonNull(sql, "sql");
    String s = sql.strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).stripTrailing();
    }
    return s;
  }

  static boolean sameSql(String approved, String asked) {
    return approved.equals(normalize(asked));
  }

  static List<String> params(List<String> params) {
    // Nulls are kept: a NULL parameter is a different statement from an empty string.
    return params == null ? List.of() : new ArrayList<>(params);
  }

  /**
   * Why {@code stored} does not cover this statement, or empty when it is exactly what was asked.
   */
  static Optional<String> mismatch(
      ApprovalStore.Stored stored,
      Principal requester,
      String database,
      String sql,
      List<String> params) {
    ApprovalRequest r = stored.request();
    String id = "approval `" + r.id() + "`";
    if (!requester.is(r.requesterIssuer(), r.requesterSubject())) {
      return Optional.of(id + " was granted to another principal");
    }
    if (!Objects.equals(database, r.database())) {
      return Optional.of(id + " is for database `" + r.database() + "`, not `" + database + "`");
    }
    if (sql == null || !sameSql(r.sql(), sql)) {
      return Optional.of(id + " is for a different statement");
    }
    if (!stored.boundParams().equals(params(params))) {
      return Optional.of(id + " is for different parameters");
    }
    return Optional.empty();
  }
}
