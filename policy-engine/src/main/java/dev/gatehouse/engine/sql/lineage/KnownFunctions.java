package dev.gatehouse.engine.sql.lineage;

import dev.gatehouse.engine.sql.model.Names;
import dev.gatehouse.engine.sql.model.WordList;
import java.util.List;
import java.util.Set;

/**
 * Which function calls lineage can see through. A built-in's result derives from its arguments; any
 * other function (user-defined, from an extension, or one that runs SQL text) is opaque.
 */
final class KnownFunctions {

  /** Functions that run SQL text or read a relation named by a string: never transparent. */
  static final Set<String> DYNAMIC_SQL =
      Set.of(
          "query_to_xml",
          "query_to_xmlschema",
          "query_to_xml_and_xmlschema",
          "cursor_to_xml",
          "cursor_to_xmlschema",
          "table_to_xml",
          "table_to_xmlschema",
          "table_to_xml_and_xmlschema",
          "schema_to_xml",
          "schema_to_xmlschema",
          "schema_to_xml_and_xmlschema",
          "database_to_xml",
          "database_to_xmlschema",
          "database_to_xml_and_xmlschema",
          "ts_stat",
          "ts_rewrite",
          "dblink",
          "dblink_exec",
          "dblink_get_result");

  private static final Set<String> BUILTIN = load();

  private KnownFunctions() {}

  /** True when the result of {@code name(args)} derives only from its arguments. */
  static boolean transparent(List<String> nameParts) {
    if (nameParts.isEmpty() || nameParts.size() > 2) {
      return false;
    }
    String name = Names.identifier(nameParts.getLast());
    if (nameParts.size() == 2) {
      String schema = Names.identifier(nameParts.getFirst());
      // information_schema's own helpers (_pg_expandarray, _pg_char_max_length, ...) compute
      // from their arguments and the catalog, as its views (and JDBC metadata) use them
      if (schema.equals("information_schema")) {
        return name.startsWith("_pg_");
      }
      if (!schema.equals("pg_catalog")) {
        return false;
      }
    }
    return BUILTIN.contains(name) && !DYNAMIC_SQL.contains(name);
  }

  private static Set<String> load() {
    return WordList.load(KnownFunctions.class, "transparent-functions.txt");
  }
}
