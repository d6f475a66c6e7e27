package dev.gatehouse.engine.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Identifier rules of PostgreSQL: unquoted names fold to lower case, quoted ones are kept. */
final class Names {

  private Names() {}

  /** One name part as JSqlParser gives it (quotes included), normalized. */
  static String identifier(String raw) {
    if (raw == null) {
      return null;
    }
    if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
      return raw.substring(1, raw.length() - 1).replace("\"\"", "\"");
    }
    return raw.toLowerCase(Locale.ROOT);
  }

  /** A function name: parts normalized, {@code pg_catalog.} dropped, other schemas kept. */
  static String function(List<String> parts) {
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
   * A relation as PostgreSQL would find it: a schema-qualified name as written; an unqualified name
   * in {@code pg_catalog} when a catalog relation has that name (pg_catalog is searched first),
   * otherwise in the first schema of the search path.
   */
  static TableRef table(String schema, String name, AnalysisContext context) {
    String n = identifier(name);
    if (schema != null && !schema.isEmpty()) {
      return new TableRef(identifier(schema), n);
    }
    if (BuiltinCatalog.isCatalogRelation(n)) {
      return new TableRef("pg_catalog", n);
    }
    for (String s : context.searchPath()) {
      String candidate = s.strip();
      if (!candidate.isEmpty() && !candidate.equals("$user") && !candidate.equals("\"$user\"")) {
        return new TableRef(candidate, n);
      }
    }
    return new TableRef(null, n);
  }
}
