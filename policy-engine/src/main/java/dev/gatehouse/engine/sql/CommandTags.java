package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The command tag of DDL as PostgreSQL reports it ({@code CREATE TABLE}, {@code DROP INDEX}). */
final class CommandTags {

  /** Words between the verb and the object type that the tag leaves out. */
  private static final Set<String> MODIFIERS =
      Set.of(
          "or",
          "replace",
          "temp",
          "temporary",
          "unlogged",
          "global",
          "local",
          "unique",
          "recursive",
          "trusted",
          "procedural",
          "default",
          "constraint",
          "if",
          "not",
          "exists",
          "concurrently");

  /** Object types written with two words. */
  private static final List<String> TWO_WORD =
      List.of(
          "materialized view",
          "foreign table",
          "event trigger",
          "user mapping",
          "access method",
          "foreign data",
          "text search",
          "operator class",
          "operator family",
          "default privileges");

  private CommandTags() {}

  static String ddl(LexedStatement s) {
    Token first = s.at(0);
    String verb = first.value().toUpperCase(Locale.ROOT);
    int i = 1;
    while (s.at(i) != null
        && s.at(i).type() == TokenType.WORD
        && MODIFIERS.contains(s.at(i).value())) {
      i++;
    }
    Token object = s.at(i);
    if (object == null || object.type() != TokenType.WORD) {
      return verb;
    }
    Token next = s.at(i + 1);
    if (next != null && TWO_WORD.contains(object.value() + " " + next.value())) {
      return verb + " " + (object.value() + " " + next.value()).toUpperCase(Locale.ROOT);
    }
    return verb + " " + object.value().toUpperCase(Locale.ROOT);
  }
}
