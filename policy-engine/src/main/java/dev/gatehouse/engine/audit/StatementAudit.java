package dev.gatehouse.engine.audit;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** The audit record of one statement, from decision to completion. */
public interface StatementAudit {

  /** The record's id, shown to callers (MCP {@code audit_id}) so reviewers can find it. */
  UUID id();

  /**
   * Completes when the decision record is durable in the control database; completes exceptionally
   * with {@link AuditUnavailableException} when it cannot be written.
   */
  CompletableFuture<Void> durable();

  /** Records how the statement ended. Called once. */
  void complete(StatementOutcome outcome);

  /**
   * How many result rows the front end should capture into {@link StatementOutcome#capturedRows()}
   * (already masked); 0, the default, when result capture does not apply to this statement.
   */
  default int captureLimit() {
    return 0;
  }
}
