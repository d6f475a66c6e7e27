package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.AnalysisContext;
import dev.gatehouse.engine.sql.TableRef;
import java.util.List;
import java.util.Locale;

/** PostgreSQL identifier rules: unquoted names fold to lower case, quoted names keep their case. */
final class Names {

  private Names() {}

  /** The identifier as PostgreSQL stores it. */
  static String normalize(String identifier) {
    if (identifier == null) {
      return null;
    }
    String s = identifier.strip();
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      return s.substring(1, s.length() - 1).replace("\"\"", "\"");
    }
    if (s.regionMatches(true, 0, "U&\"", 0, 3) && s.endsWith("\"")) {
      return unicodeEscapes(s.substring(3, s.length() - 1).replace("\"\"", "\""));
    }
    return s.toLowerCase(Locale.ROOT);
  }

  private static String unicodeEscapes(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
        out.append('\\');
        i++;
      } else if (c == '\\' && i + 4 < s.length() && s.charAt(i + 1) != '+') {
        out.appendCodePoint(Integer.parseInt(s.substring(i + 1, i + 5), 16));
        i += 4;
      } else if (c == '\\' && i + 7 < s.length()) {
        out.appendCodePoint(Integer.parseInt(s.substring(i + 2, i + 8), 16));
        i += 7;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The relation an unqualified or qualified name denotes. Without a catalog an unqualified name
   * goes to the first real search_path entry, except the system catalogs, which PostgreSQL always
   * searches first.
   */
  static TableRef table(String schema, String name, AnalysisContext context) {
    String n = normalize(name);
    if (schema != null) {
      return new TableRef(normalize(schema), n);
    }
    if (n.startsWith("pg_")) {
      return new TableRef("pg_catalog", n);
    }
    List<String> path = context.searchPath();
    for (String entry : path) {
      String e = normalize(entry);
      if (!e.equals("$user") && !e.isEmpty()) {
        return new TableRef(e, n);
      }
    }
    return new TableRef("public", n);
  }
}
