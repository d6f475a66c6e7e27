package dev.gatehouse.engine.policy;

import java.util.Objects;

/**
 * One reason of a {@link Decision}, as data: which rule, for which statement, what of the statement
 * matched it and what a grant was missing. The explanation says the same in prose; tests, the audit
 * and {@code policy check} read this instead of parsing sentences.
 *
 * @param ruleId the rule (or the engine's own id, such as {@code default-deny})
 * @param statement the statement of the message it concerns (0-based), or -1 for the whole message
 * @param matched what of the statement matched the rule (a deny or approval rule's condition, an
 *     allow rule's grant), or null
 * @param missing what no grant covered (the first gap), or what the principal lacks, or null
 */
public record Reason(String ruleId, int statement, String matched, String missing) {

  public Reason {
    Objects.requireNonNull(ruleId, "ruleId");
  }

  /** A reason that names only its rule. */
  public static Reason rule(String ruleId) {
    return new Reason(ruleId, -1, null, null);
  }

  /** A rule whose condition matched statement {@code statement}. */
  public static Reason matched(String ruleId, int statement, String matched) {
    return new Reason(ruleId, statement, matched, null);
  }

  /** A rule under which statement {@code statement} lacked {@code missing}. */
  public static Reason missing(String ruleId, int statement, String missing) {
    return new Reason(ruleId, statement, null, missing);
  }

  /** One line for a person: {@code rule `x`, statement 2: matched …; missing …}. */
  public String line() {
    StringBuilder out = new StringBuilder("rule `").append(ruleId).append('`');
    if (statement >= 0) {
      out.append(", statement ").append(statement + 1);
    }
    String sep = ": ";
    if (matched != null) {
      out.append(sep).append("matched ").append(matched);
      sep = "; ";
    }
    if (missing != null) {
      out.append(sep).append("missing ").append(missing);
    }
    return out.toString();
  }
}
