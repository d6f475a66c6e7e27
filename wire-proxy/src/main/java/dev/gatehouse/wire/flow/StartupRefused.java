package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.SqlState;

/** A StartupMessage the gateway refuses before authentication, with PostgreSQL's SQLSTATE. */
public final class StartupRefused extends RuntimeException {
  private final SqlState sqlState;

  public StartupRefused(SqlState sqlState, String message) {
    super(message, null, false, false);
    this.sqlState = sqlState;
  }

  public SqlState sqlState() {
    return sqlState;
  }
}
