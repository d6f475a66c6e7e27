package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.sql.Names;
import java.util.List;

/** A {@code search_path} value as PostgreSQL reports or a SET statement gives it, for analysis. */
final class SearchPath {

  private SearchPath() {}

  /** The engine's reading of the value ({@link Names#searchPath}), without {@code $user}. */
  static List<String> parse(String value) {
    List<String> schemas =
        Names.searchPath(value).stream().filter(s -> !s.equals("$user")).toList();
    return schemas.isEmpty() ? List.of("public") : schemas;
  }
}
