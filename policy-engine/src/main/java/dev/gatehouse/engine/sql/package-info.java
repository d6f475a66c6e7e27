/**
 * SQL analysis: what a message does, before anything runs.
 *
 * <pre>
 *   message ──► lex.Lexer (PostgreSQL's token rules) ──► lex.Splitter (top-level ;)
 *                                                          │
 *        per statement:  UtilityClassifier (BEGIN, SET, COPY, DO, EXPLAIN, LOCK, cursors, ...)
 *                           │ not a utility statement
 *                           ▼
 *                        lex.ParserText (placeholders, OPERATOR(pg_catalog.~) → ~, TABLE t)
 *                           ▼
 *                        ParserPool: JSqlParser on a bounded pool, with a deadline
 *                           ▼
 *                        ParsedAnalyzer + AstWalker: class, tables, functions, flags, lineage
 *                           ▼
 *                        StatementInfo ... ──► Analysis (fingerprint from lex.Fingerprint)
 * </pre>
 *
 * <p>{@link dev.gatehouse.engine.sql.PostgresSqlAnalyzer} is the analyser; {@link
 * dev.gatehouse.engine.sql.CachingSqlAnalyzer} caches its answers by fingerprint without ever
 * changing them. Anything not analysed with confidence carries a {@link
 * dev.gatehouse.engine.sql.RiskFlag} (docs/adr/0002-sql-analysis.md).
 */
package dev.gatehouse.engine.sql;
