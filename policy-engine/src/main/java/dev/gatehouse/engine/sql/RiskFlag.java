package dev.gatehouse.engine.sql;

/** Something about a statement that policy must look at; none is ever a silent allow. */
public enum RiskFlag {
  PARSE_FAILURE,
  PARSE_TIMEOUT,
  TOO_LARGE,
  UNSUPPORTED_STATEMENT,
  DYNAMIC_SQL,
  MULTIPLE_STATEMENTS,
  NO_WHERE,
  TAUTOLOGICAL_WHERE,
  WRITE_IN_CTE,
  SELECT_INTO,
  LOCKING_READ,
  /**
   * Rows locked that the command tag does not count, so a row bound cannot count them: locked
   * ({@code FOR UPDATE}, {@code FOR SHARE}, ...) by a subquery or CTE, where the tag counts the
   * rows the outer statement returns (red-team round 56: {@code WITH x AS (SELECT id FROM
   * app.orders FOR UPDATE) SELECT count(*) FROM x} locked 5,000 rows under a bound of 100 as
   * "SELECT 1"); or by an upsert whose {@code DO UPDATE} has a WHERE, which locks every conflicting
   * row and counts only those it updates (round 57: {@code ... ON CONFLICT (id) DO UPDATE ... WHERE
   * false} locked 5,000 rows as "INSERT 0 0"); or by a locking SELECT over a join, which locks a
   * row of each table per row returned, or over a subquery in FROM, where PostgreSQL takes the lock
   * inside, on rows the outer WHERE may drop (round 57), or with an OFFSET, whose skipped rows are
   * locked too (round 58).
   */
  UNCOUNTED_LOCK,
  DANGEROUS_FUNCTION,
  UNKNOWN_FUNCTION,
  SETTING_CHANGE,
  ROLE_CHANGE,
  COPY_FILE,
  COPY_PROGRAM,
  EXPLAIN_ANALYZE,
  READ_WRITE_TRANSACTION,
  CREDENTIAL_CATALOG,
  /** A function that runs with its owner's rights, or a change of an object's owner. */
  DEFINER_RIGHTS,
  /** A trigger or rule: code that later writes run without showing it. */
  HIDDEN_WRITE,
  /** {@code (expression).name}: a field, or PostgreSQL's notation for a call of function name. */
  FIELD_SELECTION,
  OPAQUE_LINEAGE,
  /**
   * A FETCH or MOVE of a cursor this session did not declare through the gateway: a protocol
   * portal, or one the gateway forgot, whose statement (perhaps a write held for approval or
   * bounded in rows) it would run unjudged (red-team round 19: {@code MOVE ALL IN w} ran a bound
   * no-WHERE UPDATE).
   */
  UNDECLARED_CURSOR,
  /**
   * A statement after, in the same message, a change of search_path and then the end of a
   * transaction block (COMMIT, ROLLBACK, ROLLBACK TO, PREPARE TRANSACTION): a SET LOCAL ends with
   * the block and a rolled-back SET is undone, so which path PostgreSQL resolves its names with is
   * not known here (red-team round 22: {@code BEGIN; SET LOCAL search_path = information_schema;
   * COMMIT; SELECT … FROM customers} was judged as reading information_schema.customers).
   */
  UNCERTAIN_SEARCH_PATH
}
