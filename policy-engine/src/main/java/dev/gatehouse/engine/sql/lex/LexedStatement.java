package dev.gatehouse.engine.sql.lex;

import java.util.List;

/**
 * One statement of a message, as tokens.
 *
 * @param text the statement's own text, from its first to its last token
 */
public record LexedStatement(String text, List<Token> tokens) {

  public LexedStatement {
    tokens = List.copyOf(tokens);
  }

  /** The token at {@code i}, or null past the end. */
  public Token at(int i) {
    return i >= 0 && i < tokens.size() ? tokens.get(i) : null;
  }

  /** True when the tokens from {@code i} are the given words. */
  public boolean wordsAt(int i, String... words) {
    for (int k = 0; k < words.length; k++) {
      Token t = at(i + k);
      if (t == null || !t.isWord(words[k])) {
        return false;
      }
    }
    return true;
  }

  public int size() {
    return tokens.size();
  }
}
