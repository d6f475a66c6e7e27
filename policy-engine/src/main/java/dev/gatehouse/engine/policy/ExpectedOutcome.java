package dev.gatehouse.engine.policy;

/**
 * Judges a decision against a corpus expectation ({@code deny}, {@code approval}, {@code
 * approval_by_count}, {@code allow}, {@code masked}, {@code deny_or_masked}, {@code no_leak},
 * {@code clear:VALUE}; see corpus/README.md), as {@code policy check --corpus} and the corpus tests
 * do.
 */
public final class ExpectedOutcome {

  private ExpectedOutcome() {}

  /** What is wrong with {@code d} for expectation {@code expect}, or null when it holds. */
  public static String problem(String expect, Decision d) {
    boolean masked = d.allowed() && !d.obligations().masking().rules().isEmpty();
    if (expect.startsWith("clear:")) {
      if (!d.allowed()) {
        return "got " + d.effect();
      }
      return d.obligations().masking().isEmpty() ? null : "masking is in force";
    }
    return switch (expect) {
      case "deny" -> d.effect() == Effect.DENY ? null : "got " + d.effect();
      case "approval" -> d.effect() == Effect.REQUIRE_APPROVAL ? null : "got " + d.effect();
      // held by the static check, or allowed under a row bound that the write exceeds when it is
      // counted (blast radius): a decision alone cannot tell more than that the bound is there
      case "approval_by_count" ->
          d.effect() == Effect.REQUIRE_APPROVAL
                  || (d.allowed() && d.obligations().maxRowsAffected() > 0)
              ? null
              : "got " + d.effect() + " without a row bound";
      case "allow" -> d.allowed() ? null : "got " + d.effect();
      case "masked" ->
          masked ? null : d.allowed() ? "no masking rules in force" : "got " + d.effect();
      // runs (and may fail: error text is redacted) with masking in force, or is denied
      case "no_leak" ->
          d.effect() == Effect.DENY || masked ? null : "got " + d.effect() + " without masking";
      case "deny_or_masked" ->
          d.effect() == Effect.DENY || masked ? null : "got " + d.effect() + " without masking";
      default -> "unknown expectation `" + expect + "`";
    };
  }
}
