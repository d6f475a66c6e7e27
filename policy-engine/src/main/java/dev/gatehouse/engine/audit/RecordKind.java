package dev.gatehouse.engine.audit;

/** The kinds of record in the audit trail; all of them are chained. */
public enum RecordKind {
  AUTHENTICATION,
  CONNECTION,
  STATEMENT,
  OUTCOME,
  APPROVAL
}
