package dev.gatehouse.engine.audit;

/** The audit trail cannot be written; governed statements must be refused (fail closed). */
public final class AuditUnavailableException extends RuntimeException {

  private final boolean recordKept;

  public AuditUnavailableException(String message, Throwable cause) {
    this(message, cause, true);
  }

  /**
   * @param recordKept false when the record is not even kept to be written later (the control
   *     database, the spool and the memory bound all refused it): a database configured to fail
   *     open is refused too, since its statement would run unrecorded
   */
  public AuditUnavailableException(String message, Throwable cause, boolean recordKept) {
    super(message, cause);
    this.recordKept = recordKept;
  }

  /** Whether the record still reaches the trail later (from the spool or memory). */
  public boolean recordKept() {
    return recordKept;
  }
}
