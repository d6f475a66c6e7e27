package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.sql.model.Names;
import java.util.List;

/**
 * Parses a {@code search_path} value as PostgreSQL reports or a SET statement gives it; an empty
 * value is an empty path.
 */
final class SearchPath {

  private SearchPath() {}

  /** The engine's reading of the value ({@link Names#searchPath}), without {@code $user}. */
  static List<String> parse(String value) {
    // Nothing left (an empty value, or only $user): no schema the gateway knows to resolve to.
    return Names.searchPath(value).stream().filter(s -> !s.equals("$user")).toList();
  }

  /**
   * Starts a new connection with {@code schemas} as its search_path when the session set one; a
   * session that never did keeps the connection's default, as its first connection has.
   */
  static void onConnect(java.util.Map<String, String> parameters, List<String> schemas) {
    if (!schemas.equals(dev.gatehouse.engine.sql.model.AnalysisContext.DEFAULT.searchPath())) {
      parameters.put("search_path", value(schemas));
    }
  }

  /** {@code "app", "public"}: each schema quoted, as a search_path value; empty for none. */
  static String value(List<String> schemas) {
    StringBuilder value = new StringBuilder();
    for (String schema : schemas) {
      if (!value.isEmpty()) {
        value.append(", ");
      }
      value.append('"').append(schema.replace("\"", "\"\"")).append('"');
    }
    return value.toString();
  }
}
