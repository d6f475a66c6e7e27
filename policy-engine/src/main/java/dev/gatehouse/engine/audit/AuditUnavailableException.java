package dev.gatehouse.engine.audit;

/** The audit trail cannot be written; governed statements must be refused (fail closed). */
public final class AuditUnavailableException extends RuntimeException {
  public AuditUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
