package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/** Wording shared by the explanations of decisions. */
final class Explain {

  private Explain() {}

  static String list(Collection<?> items) {
    return items.stream().map(i -> "`" + i + "`").collect(Collectors.joining(", "));
  }

  static String name(StatementClass c) {
    return c.name().toLowerCase(Locale.ROOT);
  }

  /** {@code it is a write statement}, {@code it is an admin statement}. */
  static String kind(StatementClass c) {
    String name = name(c);
    return "it is " + ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name + " statement";
  }

  static String name(RiskFlag f) {
    return f.name().toLowerCase(Locale.ROOT);
  }

  /** {@code `DELETE` (statement 2)} for messages of several statements, else {@code `DELETE`}. */
  static String statement(StatementInfo s, int index, int count) {
    return "`" + s.commandTag() + "`" + (count > 1 ? " (statement " + (index + 1) + ")" : "");
  }

  static String flag(RiskFlag f) {
    return switch (f) {
      case PARSE_FAILURE -> "it could not be parsed, so it cannot be checked";
      case PARSE_TIMEOUT -> "its analysis took too long, so it cannot be checked";
      case TOO_LARGE -> "it is larger than the analyser accepts";
      case UNSUPPORTED_STATEMENT -> "it is a kind of statement the analyser does not understand";
      case DYNAMIC_SQL -> "it runs dynamic SQL (`DO`, `PREPARE`, `EXECUTE`) that cannot be checked";
      case COPY_FILE -> "it copies to or from a file on the database server";
      case COPY_PROGRAM -> "it runs a program on the database server";
      case EXPLAIN_ANALYZE ->
          "`EXPLAIN ANALYZE` runs the statement; use `EXPLAIN` without `ANALYZE`";
      case NO_WHERE -> "it changes every row (no WHERE clause)";
      case TAUTOLOGICAL_WHERE -> "its WHERE clause is always true, so it changes every row";
      case READ_WRITE_TRANSACTION ->
          "it opens a read-write transaction, and this access is read-only";
      case LOCKING_READ -> "it locks rows";
      case UNCOUNTED_LOCK ->
          "it locks rows its tag does not count (over a join, a subquery, a CTE, an OFFSET or FETCH"
              + " … WITH TIES, or by ON CONFLICT DO UPDATE with a WHERE)";
      case CREDENTIAL_CATALOG -> "it reads a catalog that holds credentials";
      case DEFINER_RIGHTS ->
          "it makes code run with its owner's rights (`SECURITY DEFINER` or a change of owner)";
      case HIDDEN_WRITE ->
          "it adds a trigger, rule or row-level security policy, code later statements run unseen";
      case UNDECLARED_CURSOR ->
          "it fetches from or moves a cursor this session did not declare through the gateway (a"
              + " protocol portal, say), whose statement was never checked; declare the cursor"
              + " with DECLARE … CURSOR FOR, or execute the portal";
      case UNCERTAIN_SEARCH_PATH ->
          "it follows, in the same message, a change of search_path and then the end of a"
              + " transaction block, after which the path PostgreSQL resolves its names with is"
              + " not certain (SET LOCAL ends with the block, a rolled-back SET is undone); send"
              + " it in a message of its own";
      default -> "it is flagged " + name(f);
    };
  }
}
