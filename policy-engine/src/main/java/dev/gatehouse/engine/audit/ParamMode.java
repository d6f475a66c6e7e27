package dev.gatehouse.engine.audit;

/** How bind parameters are kept in statement records. */
public enum ParamMode {
  /** As the client sent them. */
  CLEAR,
  /** HMAC-SHA256 of each value (keyed, so short values cannot be guessed by brute force). */
  HMAC,
  /** Only their count. */
  OMIT
}
