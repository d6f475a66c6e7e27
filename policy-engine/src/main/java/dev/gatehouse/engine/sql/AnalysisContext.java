package dev.gatehouse.engine.sql;

import java.util.List;

/** What the analyser needs to know about the session: where unqualified names resolve. */
public record AnalysisContext(List<String> searchPath) {

  /** PostgreSQL's default: {@code "$user", public}, with pg_catalog implicitly first. */
  public static final AnalysisContext DEFAULT = new AnalysisContext(List.of("public"));

  public AnalysisContext {
    searchPath = List.copyOf(searchPath);
  }
}
