package dev.gatehouse.engine.sql.model;

import java.util.List;
import java.util.Map;

/**
 * What the analyser needs to know about the session: where unqualified names resolve (the
 * search_path's schemas as PostgreSQL stores them, see {@link Names#searchPath}), the SQL cursors
 * it declared (name to query), so that a FETCH is analysed as the query it reads, and the
 * statements it prepared with SQL PREPARE (name to statement), so that an EXECUTE is analysed as
 * the statement it runs ({@link dev.gatehouse.engine.sql.PreparedSql}).
 *
 * @param pathSettled false while the session is in a transaction block whose end (COMMIT, ROLLBACK,
 *     ROLLBACK TO) would change the search_path (a SET LOCAL, or a SET that a rollback undoes): the
 *     names of statements after such an end in one message cannot be placed
 */
public record AnalysisContext(
    List<String> searchPath,
    Map<String, String> cursors,
    Map<String, String> prepared,
    boolean pathSettled) {

  /** PostgreSQL's default: {@code "$user", public}, with pg_catalog implicitly first. */
  public static final AnalysisContext DEFAULT = new AnalysisContext(List.of("public"));

  public AnalysisContext {
    searchPath = List.copyOf(searchPath);
    cursors = cursors == null ? Map.of() : Map.copyOf(cursors);
    prepared = prepared == null ? Map.of() : Map.copyOf(prepared);
  }

  public AnalysisContext(
      List<String> searchPath, Map<String, String> cursors, Map<String, String> prepared) {
    this(searchPath, cursors, prepared, true);
  }

  public AnalysisContext(List<String> searchPath, Map<String, String> cursors) {
    this(searchPath, cursors, Map.of());
  }

  public AnalysisContext(List<String> searchPath) {
    this(searchPath, Map.of());
  }
}
