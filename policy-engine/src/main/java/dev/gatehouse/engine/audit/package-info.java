/**
 * Audit trail: every authentication, connection, statement, outcome and approval step, in one keyed
 * hash chain per gateway instance in the control database.
 *
 * <pre>
 * front end ──► JdbcAuditTrail.statement(event)    RecordBodies builds the JSON body (pure)
 *                 │  durable() ◄────────────────┐   fails at once while the database is down,
 *                 ▼                             │   at the latest after durable-timeout
 *           GroupCommitWriter (one thread) ─────┤   batch: everything queued, no waiting; records
 *                 │                             │   nobody waits for ride along, ≤ batch-window
 *                 ├─► AuditSpool.append         │   write-ahead file, emptied after commit,
 *                 │                             │   replayed after an outage or a restart
 *                 └─► ChainStore.append ────────┘   seq + prev_hash + HMAC per record and the
 *                                                   chain head, one statement per batch
 * AuditVerifier  walks every chain, names the first changed, deleted or inserted record
 * AuditSearch    statement search (paged) and per-identity summaries for access reviews
 * </pre>
 *
 * <p>Durability decisions: {@code docs/adr/0004-audit-durability.md}; operator view: {@code
 * docs/audit-and-approvals.md}.
 */
package dev.gatehouse.engine.audit;
