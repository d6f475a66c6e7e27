package dev.gatehouse.engine.sql.lex;

/** The message passes a {@link LexLimits} bound; the lexer stopped reading there. */
public final class LimitExceededException extends LexException {

  /** Which bound. */
  public enum Bound {
    DEPTH,
    TOKENS
  }

  private final Bound bound;
  private final int max;

  public LimitExceededException(Bound bound, int max, int offset) {
    super(
        (bound == Bound.DEPTH ? "nesting deeper than " : "more tokens than ")
            + max
            + " at offset "
            + offset);
    this.bound = bound;
    this.max = max;
  }

  public Bound bound() {
    return bound;
  }

  public int max() {
    return max;
  }
}
