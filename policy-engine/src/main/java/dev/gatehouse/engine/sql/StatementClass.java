package dev.gatehouse.engine.sql;

/** The classes policy grants by. */
public enum StatementClass {
  /** SELECT, TABLE, VALUES, SHOW, EXPLAIN without ANALYZE, COPY ... TO STDOUT. */
  READ,
  /** INSERT, UPDATE, DELETE, MERGE, COPY ... FROM STDIN, locking reads. */
  WRITE,
  /** CREATE, ALTER, DROP, TRUNCATE, COMMENT, GRANT/REVOKE on objects. */
  DDL,
  /** Role, system and server administration: ALTER SYSTEM, CREATE ROLE, VACUUM, extensions. */
  ADMIN,
  /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT, SET TRANSACTION. */
  TRANSACTION,
  /** SET, RESET, SHOW, DISCARD, LISTEN, cursors and other session state. */
  SESSION,
  /** Anything that could not be classified with confidence; policy denies it. */
  UNKNOWN
}
