package dev.gatehouse.engine.sql.lex;

/**
 * Bounds the lexer enforces while it reads, so that no message reaches the parser with more nesting
 * or more tokens than it can analyse within its deadline.
 *
 * @param maxDepth deepest nesting of parentheses and brackets
 * @param maxTokens most tokens in one message
 */
public record LexLimits(int maxDepth, int maxTokens) {

  /** No bounds (for tools that lex text they wrote themselves). */
  public static final LexLimits NONE = new LexLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);

  public LexLimits {
    if (maxDepth < 1 || maxTokens < 1) {
      throw new IllegalArgumentException("lexer limits must be positive");
    }
  }
}
