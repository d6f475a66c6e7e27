package dev.gatehouse.engine.sql;

/**
 * Analyses a message of SQL: lexer first, then JSqlParser. Never throws for bad input: anything it
 * cannot analyse with confidence becomes a {@link RiskFlag}.
 */
public interface SqlAnalyzer {

  Analysis analyze(String sql, AnalysisContext context);
}
