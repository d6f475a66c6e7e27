package dev.gatehouse.engine.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * One record as the writer chains it: its JSON body is stored verbatim, so the hash covers exactly
 * the stored text.
 *
 * @param at truncated to microseconds, the precision PostgreSQL keeps
 */
record AuditRecord(UUID id, RecordKind kind, Instant at, String body) {

  AuditRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    at = at.truncatedTo(ChronoUnit.MICROS);
    Objects.requireNonNull(body, "body");
  }
}
