package dev.gatehouse.wire.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses a {@code search_path} value as PostgreSQL reports or a SET statement gives it; an empty
 * value is an empty path.
 */
final class SearchPath {

  private SearchPath() {}

  static List<String> parse(String value) {
    List<String> schemas = new ArrayList<>();
    for (String part : value.split(",")) {
      String s = part.trim();
      if (s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2) {
        s = s.substring(1, s.length() - 1).replace("\"\"", "\"");
      } else if (s.startsWith("'") && s.endsWith("'") && s.length() >= 2) {
        s = s.substring(1, s.length() - 1);
      } else {
        s = s.toLowerCase(Locale.ROOT);
      }
      if (!s.isEmpty() && !s.equals("$user")) {
        schemas.add(s);
      }
    }
    // Nothing left (an empty value, or only $user): no schema the gateway knows to resolve to.
    return List.copyOf(schemas);
  }
}
