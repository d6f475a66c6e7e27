package dev.gatehouse.engine.sql.lex;

/** The message cannot be tokenized (an unterminated quote or comment, a bad escape). */
public class LexException extends Exception {

  public LexException(String message) {
    super(message);
  }
}
