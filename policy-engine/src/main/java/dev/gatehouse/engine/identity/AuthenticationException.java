package dev.gatehouse.engine.identity;

/** A token was refused; the message says why and never contains the token. */
public final class AuthenticationException extends Exception {

  /** Why a token was refused. */
  public enum Reason {
    MALFORMED,
    OVERSIZED,
    UNTRUSTED_ISSUER,
    ALGORITHM_NOT_ALLOWED,
    UNKNOWN_KEY,
    BAD_SIGNATURE,
    EXPIRED,
    NOT_YET_VALID,
    WRONG_AUDIENCE,
    MISSING_SUBJECT,
    ISSUER_UNAVAILABLE,
    MISSING_TOKEN,
    /** A wire connection asked for a database the policy grants nothing on. */
    UNKNOWN_DATABASE
  }

  private final Reason reason;

  public AuthenticationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public AuthenticationException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
