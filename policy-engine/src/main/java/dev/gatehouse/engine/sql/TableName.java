package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.Names;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A relation name read from tokens ({@code [ONLY] name [*]}), for statements JSqlParser skips. */
record TableName(TableRef ref, int next) {

  /** The comma-separated names from {@code i} up to a stop word or the end. */
  static List<TableName> list(
      LexedStatement s, int i, Set<String> stopWords, AnalysisContext context) {
    List<TableName> names = new ArrayList<>();
    while (i < s.size()) {
      Token t = s.at(i);
      if (t.type() == TokenType.WORD && stopWords.contains(t.value())) {
        break;
      }
      TableName name = at(s, i, context);
      if (name == null) {
        break;
      }
      names.add(name);
      i = name.next();
      if (s.at(i) != null && s.at(i).isPunct(",")) {
        i++;
      }
    }
    return names;
  }

  /** The name at {@code i}, resolved against {@code context}, or null when none is there. */
  static TableName at(LexedStatement s, int i, AnalysisContext context) {
    if (s.at(i) != null && s.at(i).isWord("only")) {
      i++;
    }
    List<String> parts = new ArrayList<>();
    while (s.at(i) != null && s.at(i).isIdentifier()) {
      parts.add(s.at(i).value());
      i++;
      if (s.at(i) != null && s.at(i).isPunct(".") && s.at(i + 1) != null) {
        i++;
      } else {
        break;
      }
    }
    if (parts.isEmpty()) {
      return null;
    }
    if (s.at(i) != null && s.at(i).value().equals("*")) {
      i++;
    }
    // Names from tokens are already folded or decoded; quote them so Names keeps them as they are.
    String name = "\"" + parts.getLast().replace("\"", "\"\"") + "\"";
    String schema =
        parts.size() >= 2 ? "\"" + parts.get(parts.size() - 2).replace("\"", "\"\"") + "\"" : null;
    return new TableName(Names.table(schema, name, context), i);
  }
}
