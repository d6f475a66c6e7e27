package dev.gatehouse.engine.approval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
}
