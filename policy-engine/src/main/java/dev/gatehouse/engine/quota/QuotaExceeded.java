package dev.gatehouse.engine.quota;

import dev.gatehouse.engine.admission.SqlState;

/** A quota refused: SQLSTATE 53300, with a message that names the quota and its setting. */
public final class QuotaExceeded extends RuntimeException {

  private final Quotas.Quota quota;
  private final int limit;

  QuotaExceeded(Quotas.Quota quota, int limit, String message) {
    super(message, null, false, false);
    this.quota = quota;
    this.limit = limit;
  }

  public Quotas.Quota quota() {
    return quota;
  }

  public int limit() {
    return limit;
  }

  public SqlState sqlState() {
    return SqlState.TOO_MANY_CONNECTIONS;
  }
}
