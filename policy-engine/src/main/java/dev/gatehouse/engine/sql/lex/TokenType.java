package dev.gatehouse.engine.sql.lex;

/** The kinds of token the lexer tells apart. */
public enum TokenType {
  /** An unquoted identifier or key word; its value is folded to lower case. */
  WORD,
  /** A quoted identifier ({@code "X"} or {@code U&"X"}); its value is decoded, case kept. */
  QUOTED_IDENT,
  /**
   * A string constant in any form ({@code ''}, {@code E''}, {@code U&''}, dollar, bit); decoded.
   */
  STRING,
  NUMBER,
  /** A positional parameter: {@code $1}. */
  PARAM,
  /** An operator: {@code =}, {@code ~}, {@code ||}, {@code ::}. */
  OPERATOR,
  /** One of {@code ( ) [ ] , ; . :}. */
  PUNCT
}
