package dev.gatehouse.engine.masking;

/** How a masked value is replaced. */
public enum MaskStrategy {
  /** The whole value replaced by a fixed redaction of the column's type. */
  REDACT,
  /** All but the last N characters replaced by {@code *}. */
  KEEP_LAST,
  /** First character and e-mail domain kept: {@code a****@example.com}. */
  EMAIL,
  /** A keyed HMAC pseudonym: equal inputs give equal outputs, so joins still work. */
  PSEUDONYM,
  /** SQL NULL. */
  NULL
}
