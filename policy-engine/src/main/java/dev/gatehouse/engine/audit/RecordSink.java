package dev.gatehouse.engine.audit;

import java.util.concurrent.CompletableFuture;

/** Where {@link JdbcAuditTrail} puts records: the control database or the local audit log. */
interface RecordSink extends AutoCloseable {

  /**
   * Takes a record; the future completes when it is durable under the configured durability, or
   * fails with {@link AuditUnavailableException}.
   */
  CompletableFuture<Void> submit(AuditRecord record, boolean awaited);

  /** False while records cannot be made durable (or shipping lags beyond its bound). */
  boolean healthy();

  /** Records stored in the control database by this instance since start. */
  long committed();

  /**
   * Records held back so far to share a later commit (the moment the writer decides it, so a test
   * can tell "waits for company" without sleeping).
   */
  default long deferred() {
    return 0;
  }

  default AuditLag lag() {
    return AuditLag.NONE;
  }

  @Override
  void close();
}
