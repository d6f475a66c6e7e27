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
}
