package dev.gatehouse.engine.sql.lex;

/**
 * One token of a message.
 *
 * @param value for words the lower-cased text, for quoted identifiers and strings the decoded
 *     content, otherwise the text itself
 * @param start offset of the first character in the message
 * @param end offset after the last character
 * @param spaceBefore whether whitespace or a comment separated it from the previous token
 */
public record Token(TokenType type, String value, int start, int end, boolean spaceBefore) {

  public boolean isWord(String word) {
    return type == TokenType.WORD && value.equals(word);
  }

  public boolean isPunct(String p) {
    return type == TokenType.PUNCT && value.equals(p);
  }

  /** An identifier as PostgreSQL resolves it: words folded, quoted identifiers as written. */
  public boolean isIdentifier() {
    return type == TokenType.WORD || type == TokenType.QUOTED_IDENT;
  }
}
