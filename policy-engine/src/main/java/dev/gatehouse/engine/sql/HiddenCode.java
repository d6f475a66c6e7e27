package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.LexedStatement;

/**
 * Marks schema changes that make code run later, unseen by the statements that trigger it: a
 * function that runs with its owner's rights ({@code SECURITY DEFINER}, or a change of owner), a
 * trigger or a rule. One approval of such a change would otherwise buy every later call or write
 * its code does, with nobody asked again.
 */
final class HiddenCode {

  private HiddenCode() {}

  /** Adds {@link RiskFlag#DEFINER_RIGHTS} and {@link RiskFlag#HIDDEN_WRITE} where they apply. */
  static void flag(LexedStatement s, StatementFacts facts) {
    fieldSelections(s, facts);
    if (s.size() < 2 || !(s.at(0).isWord("create") || s.at(0).isWord("alter"))) {
      return;
    }
    if (s.wordsAt(1, "policy") || s.wordsAt(1, "row", "level", "security") || rowLevelSecurity(s)) {
      // a policy's expressions run on every read and write of its table, unseen
      facts.flags.add(RiskFlag.HIDDEN_WRITE);
    }
    for (int i = 1; i < s.size(); i++) {
      // Words only: a function body or a string is one token of another type, so text inside
      // it never matches.
      if (s.wordsAt(i, "security", "definer") || ownerTo(s, i)) {
        facts.flags.add(RiskFlag.DEFINER_RIGHTS);
      }
      if (makesTriggerOrRule(s, i)) {
        facts.flags.add(RiskFlag.HIDDEN_WRITE);
      }
    }
  }

  /** {@code ALTER TABLE … ENABLE | FORCE ROW LEVEL SECURITY}: the table's policies start to run. */
  private static boolean rowLevelSecurity(LexedStatement s) {
    for (int i = 2; i + 3 < s.size(); i++) {
      if ((s.at(i).isWord("enable") || s.at(i).isWord("force"))
          && s.wordsAt(i + 1, "row", "level", "security")) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code (expression).name}: a field of a composite value, or, when no field has that name, a
   * call of function {@code name} on the value (PostgreSQL's attribute notation; red-team T1:
   * {@code (ROW(1)::app.t).f} ran a writing function unseen). Without a catalog only a read-only
   * session may use it (Grant).
   */
  private static void fieldSelections(LexedStatement s, StatementFacts facts) {
    for (int i = 0; i + 2 < s.size(); i++) {
      if (s.at(i).isPunct(")") && s.at(i + 1).isPunct(".") && s.at(i + 2).isIdentifier()) {
        facts.flags.add(RiskFlag.FIELD_SELECTION);
      }
    }
  }

  /** {@code OWNER TO role}, not a column named owner being renamed ({@code RENAME owner TO x}). */
  private static boolean ownerTo(LexedStatement s, int i) {
    return s.wordsAt(i, "owner", "to")
        && !s.at(i - 1).isWord("rename")
        && !s.at(i - 1).isWord("column")
        && !s.at(i - 1).isWord("attribute");
  }

  /**
   * {@code CREATE [OR REPLACE] [CONSTRAINT] TRIGGER}, {@code CREATE [OR REPLACE] RULE} (also inside
   * {@code CREATE SCHEMA}), and {@code ENABLE [ALWAYS | REPLICA] TRIGGER | RULE} of {@code ALTER
   * TABLE}, which turns a disabled one back on.
   */
  private static boolean makesTriggerOrRule(LexedStatement s, int i) {
    boolean lead =
        s.at(i - 1).isWord("create")
            || s.at(i - 1).isWord("replace")
            || s.at(i - 1).isWord("constraint")
            || s.at(i - 1).isWord("enable")
            || s.at(i - 1).isWord("always")
            || s.at(i - 1).isWord("replica");
    return lead && (s.at(i).isWord("trigger") || s.at(i).isWord("rule"));
  }
}
