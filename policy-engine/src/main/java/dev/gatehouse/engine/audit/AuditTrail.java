package dev.gatehouse.engine.audit;

/**
 * The tamper-evident record of everything that passed the gateway. Implementations write to the
 * control database; a record that cannot be written makes governed statements fail closed.
 */
public interface AuditTrail {

  /** Records an authentication attempt, successful or not (never the token). */
  void authentication(AuthEvent event);

  /** Records a connection or MCP session opening or closing. */
  void connection(ConnectionEvent event);

  /**
   * Starts the record of a statement with its decision. The front end waits for {@link
   * StatementAudit#durable()} before the statement's results reach the client, and reports the
   * outcome with {@link StatementAudit#complete}.
   */
  StatementAudit statement(StatementEvent event);

  /**
   * Records one step of an approval request (requested, decided, refused, expired, cancelled,
   * used). Trails that cannot record approvals refuse, so an approval workflow never runs
   * unaudited.
   */
  default void approval(ApprovalEvent event) {
    throw new UnsupportedOperationException("this audit trail does not record approvals");
  }
}
