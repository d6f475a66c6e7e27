package dev.gatehouse.engine.masking;

/**
 * What a masked column may do outside the select list (WHERE, JOIN, GROUP BY, ORDER BY, LIMIT, the
 * arguments of set-returning functions): each such use can turn a masked value into rows, counts or
 * an order, so it is decided by policy.
 */
public enum Inference {
  /** Any use outside the select list is refused. */
  DENY,
  /**
   * Only lookups: {@code column = literal|$n}, {@code column IN (literals)}, {@code column IS [NOT]
   * NULL}, joined by AND at the top of a WHERE. The residual yes/no oracle.
   */
  LOOKUP,
  /** Every use is allowed (masking then hides values in the result only). */
  ALLOW
}
