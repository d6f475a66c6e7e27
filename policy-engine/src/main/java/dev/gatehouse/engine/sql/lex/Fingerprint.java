package dev.gatehouse.engine.sql.lex;

import java.util.List;

/**
 * The literal-free form of a message: key words and identifiers normalized, every string and number
 * replaced by {@code '?'} (strings) or {@code ?} (numbers), comments and layout gone. Messages that
 * differ only in literals share it.
 */
public final class Fingerprint {

  private Fingerprint() {}

  public static String of(List<LexedStatement> statements) {
    StringBuilder out = new StringBuilder();
    for (LexedStatement statement : statements) {
      if (!out.isEmpty()) {
        out.append("; ");
      }
      boolean first = true;
      for (Token t : statement.tokens()) {
        if (!first) {
          out.append(' ');
        }
        first = false;
        switch (t.type()) {
          case STRING -> out.append("'?'");
          case NUMBER -> out.append('?');
          case QUOTED_IDENT -> out.append('"').append(t.value().replace("\"", "\"\"")).append('"');
          default -> out.append(t.value());
        }
      }
    }
    return out.toString();
  }
}
