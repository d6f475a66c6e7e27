package dev.gatehouse.engine.sql.model;

import dev.gatehouse.engine.sql.lex.Lexer;
import java.util.ArrayList;
import java.util.List;

/**
 * The one PostgreSQL name resolver: identifiers fold as PostgreSQL folds them, and an unqualified
 * relation is placed where PostgreSQL's search would find it. Policy, lineage and masking all name
 * a table through here, so they cannot disagree on which table a name means.
 *
 * @see <a href="https://www.postgresql.org/docs/current/sql-syntax-lexical.html">Identifiers</a>
 * @see <a href="https://www.postgresql.org/docs/current/ddl-schemas.html">The schema search
 *     path</a>
 */
public final class Names {

  private Names() {}

  /**
   * One name part as written (quotes included), as PostgreSQL stores it: {@code "Ab"} keeps its
   * case, {@code U&"\0041b"} has its escapes decoded, an unquoted name folds to lower case.
   */
  public static String identifier(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.strip();
    // Cut to the 63 bytes PostgreSQL keeps, quoted or not (Lexer.truncate).
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      return Lexer.truncate(s.substring(1, s.length() - 1).replace("\"\"", "\""));
    }
    if (s.length() >= 4 && s.regionMatches(true, 0, "U&\"", 0, 3) && s.endsWith("\"")) {
      return Lexer.truncate(unicodeEscapes(s.substring(3, s.length() - 1).replace("\"\"", "\"")));
    }
    return Lexer.truncate(Lexer.fold(s));
  }

  /** A function name: parts normalized, {@code pg_catalog.} dropped, other schemas kept. */
  public static String function(List<String> parts) {
    List<String> names = new ArrayList<>();
    for (String part : parts) {
      if (part != null && !part.isEmpty()) {
        names.add(identifier(part));
      }
    }
    if (names.size() > 1 && names.get(names.size() - 2).equals("pg_catalog")) {
      return names.getLast();
    }
    return String.join(".", names);
  }

  /**
   * The relation {@code schema.name} denotes ({@code schema} null or empty when unqualified), with
   * both parts as written. A qualified name is what it says. An unqualified one is, as PostgreSQL
   * searches without a catalog to ask:
   *
   * <ul>
   *   <li>in {@code pg_catalog} when a catalog relation has that name: pg_catalog is searched first
   *       unless the path lists it, and nothing else may shadow its relations here;
   *   <li>otherwise in the first schema of the search path (whose entries are names as PostgreSQL
   *       stores them, see {@link AnalysisContext}) that can hold it: {@code $user} is skipped (no
   *       role is known), and so is {@code pg_catalog}, which holds only catalog relations; an
   *       explicit {@code pg_temp} is a schema like any other;
   *   <li>with no such schema, unknown (a null schema), which no grant names.
   * </ul>
   */
  public static TableRef table(String schema, String name, AnalysisContext context) {
    String n = identifier(name);
    if (schema != null && !schema.isBlank()) {
      return new TableRef(identifier(schema), n);
    }
    if (BuiltinCatalog.isCatalogRelation(n)) {
      return new TableRef("pg_catalog", n);
    }
    for (String entry : context.searchPath()) {
      // "$user" as written in postgresql.conf's default, too: callers may pass the path verbatim
      boolean user = entry.equals("$user") || entry.equals("\"$user\"");
      if (!entry.isEmpty() && !user && !entry.equals("pg_catalog")) {
        return new TableRef(entry, n);
      }
    }
    return new TableRef(null, n);
  }

  /**
   * The schemas of a {@code search_path} value as a SET statement gives it or PostgreSQL reports it
   * ({@code "$user", public}), each as PostgreSQL stores it: a double-quoted or single-quoted entry
   * keeps its case, an unquoted one folds; a comma inside quotes is part of the name. Empty entries
   * are dropped; {@code $user} is kept for the caller to judge.
   */
  public static List<String> searchPath(String value) {
    List<String> schemas = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quote == 0 && c == ',') {
        addEntry(schemas, part.toString());
        part.setLength(0);
        continue;
      }
      if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        boolean doubled = i + 1 < value.length() && value.charAt(i + 1) == quote;
        if (doubled) {
          part.append(c);
          i++;
        } else {
          quote = 0;
        }
      }
      part.append(c);
    }
    addEntry(schemas, part.toString());
    return List.copyOf(schemas);
  }

  private static void addEntry(List<String> schemas, String raw) {
    String s = raw.strip();
    String name;
    if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
      name = s.substring(1, s.length() - 1).replace("''", "'");
    } else {
      name = identifier(s);
    }
    if (!name.isEmpty()) {
      schemas.add(name);
    }
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
}
