package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.List;

/**
 * Analyses a message of SQL: lexer first, then JSqlParser. Never throws for bad input: anything it
 * cannot analyse with confidence becomes a {@link RiskFlag}.
 */
public interface SqlAnalyzer {

  Analysis analyze(String sql, AnalysisContext context);

  /**
   * As {@link #analyze(String, AnalysisContext)}, with the work done in {@code owner}'s (a
   * principal's) fair share of the analyser, so that one owner's hostile SQL waits behind itself.
   */
  default Analysis analyze(String sql, AnalysisContext context, String owner) {
    return analyze(sql, context);
  }

  /**
   * Whether {@code analysis}, just returned for {@code context}, is the one this analyser gives
   * every message of its fingerprint in that context (no literal shaped it): then whatever is a
   * pure function of the analysis may be kept by fingerprint too. False when unsure.
   */
  default boolean reusable(Analysis analysis, AnalysisContext context) {
    return false;
  }

  /**
   * What a message is without analysing it, for a message refused whatever it says: its text as one
   * statement of unknown kind, unless an analyser can split it cheaply.
   */
  default Analysis outline(String sql) {
    String text = sql == null ? "" : sql;
    return new Analysis(
        text, List.of(StatementFacts.of("UNKNOWN", StatementClass.UNKNOWN).toInfo(text)), null);
  }
}
