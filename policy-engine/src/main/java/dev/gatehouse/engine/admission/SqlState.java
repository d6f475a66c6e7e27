package dev.gatehouse.engine.admission;

/**
 * The one table of SQLSTATEs the gateway itself reports, to SQL clients and in tool results alike
 * (errors from PostgreSQL pass through unchanged).
 *
 * @see <a href="https://www.postgresql.org/docs/current/errcodes-appendix.html">Error codes</a>
 */
public enum SqlState {
  /** Denied by policy, or an approval was refused or expired. */
  INSUFFICIENT_PRIVILEGE("42501"),
  /** The token is missing, invalid or expired. */
  INVALID_AUTHORIZATION("28000"),
  /** The password message did not carry a usable token. */
  INVALID_PASSWORD("28P01"),
  /** A connection to a database the policy grants nothing on (PostgreSQL's unknown database). */
  INVALID_CATALOG_NAME("3D000"),
  PROTOCOL_VIOLATION("08P01"),
  /** A protocol version (or a repeated SSL/GSS request) the server does not support. */
  FEATURE_NOT_SUPPORTED("0A000"),
  /** A statement after a refused one in the same transaction block (PostgreSQL's own rule). */
  IN_FAILED_SQL_TRANSACTION("25P02"),
  /** A savepoint (or AND CHAIN) outside a transaction block (PostgreSQL's own rule). */
  NO_ACTIVE_SQL_TRANSACTION("25P01"),
  /** A statement or portal name the session does not know. */
  INVALID_STATEMENT_NAME("26000"),
  /** A Parse of a statement name the session already holds (PostgreSQL's own rule). */
  DUPLICATE_PREPARED_STATEMENT("42P05"),
  /** A Bind of a portal name a SQL cursor of the session holds (PostgreSQL's own rule). */
  DUPLICATE_CURSOR("42P03"),
  /**
   * A protocol statement or portal name past 63 bytes: PostgreSQL tells such names apart by their
   * first 63 bytes only, so the gateway refuses them rather than key them differently.
   */
  NAME_TOO_LONG("42622"),
  /** The client cancelled, or went away, while its statement waited. */
  QUERY_CANCELED("57014"),
  /** The connection was idle for longer than the configured idle timeout. */
  IDLE_SESSION_TIMEOUT("57P05"),
  TOO_MANY_CONNECTIONS("53300"),
  /** A message past one of the analyser's size limits (characters, tokens, statements). */
  PROGRAM_LIMIT_EXCEEDED("54000"),
  /** A message nested deeper than the analyser's limit, or whose analysis ran out of time. */
  STATEMENT_TOO_COMPLEX("54001"),
  /** A failure of the gateway itself (never reported as a permission denial). */
  INTERNAL_ERROR("XX000");

  private final String code;

  SqlState(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
