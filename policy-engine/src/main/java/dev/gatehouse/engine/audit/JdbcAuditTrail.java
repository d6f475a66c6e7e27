package dev.gatehouse.engine.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: every record goes through one group-commit writer per instance, into this
 * instance's keyed hash chain, durable in the local audit log (shipped to the control database) or
 * in the control database itself, as configured. A statement's {@link StatementAudit#durable()}
 * completes when its decision record is durable, or fails within the configured timeout (fail
 * closed), except for databases configured to fail open.
 */
public final class JdbcAuditTrail implements AuditTrail, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JdbcAuditTrail.class);

  private final AuditConfig config;

  /** The key derivation of parameter hashes (approval requests hash with the same key). */
  public static final String PARAM_KEY_PURPOSE = "gatehouse audit parameters";

  private final AuditKey paramKey;
  private final RecordSink writer;
  private final Clock clock;
  private final AuditOutage outage;
  private final DurableDeadlines deadlines;

  private JdbcAuditTrail(AuditConfig config, RecordSink writer, AuditOutage outage, Clock clock) {
    this.config = config;
    this.outage = outage;
    this.deadlines =
        new DurableDeadlines(
            config.durableTimeout(), "gatehouse-audit-deadlines-" + config.instanceId());
    this.paramKey = config.key().derive(PARAM_KEY_PURPOSE);
    this.writer = writer;
    this.clock = clock;
  }

  /**
   * Starts the writer of this instance's chain; records left in the spool by an earlier run are
   * committed before any new one.
   */
  public static JdbcAuditTrail start(ControlDatabase db, AuditConfig config) {
    return start(db, config, Clock.systemUTC());
  }

  public static JdbcAuditTrail start(ControlDatabase db, AuditConfig config, Clock clock) {
    return start(db, config, clock, WriteAhead.MAX_HELD);
  }

  /** With at most {@code maxHeld} records kept in memory while the spool cannot be written. */
  static JdbcAuditTrail start(ControlDatabase db, AuditConfig config, Clock clock, int maxHeld) {
    AuditOutage outage = new AuditOutage();
    if (config.log().durability() == LogSettings.Durability.LOCAL_LOG) {
      return new JdbcAuditTrail(config, LocalLogSink.open(db, config, null, outage), outage, clock);
    }
    AuditSpool spool = AuditSpool.open(config.spoolDirectory());
    ChainStore store =
        new ChainStore(db, config.key(), config.instanceId(), config.synchronousCommit());
    GroupCommitWriter writer =
        new GroupCommitWriter(
            store,
            spool,
            config.batchWindow(),
            config.maxBatch(),
            config.retryInterval(),
            config.spoolFsync(),
            outage,
            "gatehouse-audit-writer-" + config.instanceId(),
            maxHeld);
    return new JdbcAuditTrail(config, writer, outage, clock);
  }

  /** With the local log's segments opened by {@code opener}: a seam to simulate a full disk. */
  static JdbcAuditTrail start(
      ControlDatabase db,
      AuditConfig config,
      dev.gatehouse.engine.audit.log.LogOptions.Opener opener) {
    AuditOutage outage = new AuditOutage();
    return new JdbcAuditTrail(
        config, LocalLogSink.open(db, config, opener, outage), outage, Clock.systemUTC());
  }

  @Override
  public void authentication(AuthEvent event) {
    logFailure(submit(RecordKind.AUTHENTICATION, event.at(), RecordBodies.authentication(event)));
  }

  @Override
  public void connection(ConnectionEvent event) {
    logFailure(submit(RecordKind.CONNECTION, event.at(), RecordBodies.connection(event)));
  }

  @Override
  public void approval(ApprovalEvent event) {
    logFailure(submit(RecordKind.APPROVAL, event.at(), RecordBodies.approval(event)));
  }

  @Override
  public StatementAudit statement(StatementEvent event) {
    RecordBodies.Shape shape = RecordBodies.shape(event.analysis());
    int captureLimit =
        config.capture().limitFor(event.principal(), shape.tables(), shape.riskFlags());
    String body =
        RecordBodies.statement(
            event, config.paramMode(), paramKey, shape, captureLimit, config.bounds());
    UUID id = RecordIds.next();
    AuditRecord record = new AuditRecord(id, RecordKind.STATEMENT, now(), body);
    String database = event.context() == null ? null : event.context().database();
    CompletableFuture<Void> durable =
        deadlines
            .watch(writer.submit(record, true))
            .handle((ok, failure) -> onDurable(id, database, failure));
    return new JdbcStatementAudit(id, durable, captureLimit, this);
  }

  private Void onDurable(UUID id, String database, Throwable failure) {
    if (failure == null) {
      return null;
    }
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (!(cause instanceof AuditUnavailableException)) {
      // Nothing failed, it just took too long: a hung control database or disk. Refusing is right;
      // saying so once is what an operator needs (the health and the log line).
      outage.begin(
          AuditOutage.Cause.NOT_DURABLE_IN_TIME,
          "audit records are not durable within "
              + config.durableTimeout().toMillis()
              + " ms (durable-timeout); is the control database or the audit log's disk hung?");
    }
    AuditUnavailableException unavailable =
        cause instanceof AuditUnavailableException a
            ? a
            : new AuditUnavailableException(
                "audit trail unavailable, the record was not durable within "
                    + config.durableTimeout().toMillis()
                    + " ms",
                cause);
    // A record that is not even kept would leave the statement unrecorded: refused everywhere.
    if (database != null
        && config.failOpenDatabases().contains(database)
        && unavailable.recordKept()) {
      log.warn(
          "AUDIT FAIL-OPEN: statement {} on database `{}` runs although its audit record is not"
              + " committed ({}); it stays in the spool",
          id,
          database,
          unavailable.getMessage());
      return null;
    }
    outage.refusedOne();
    throw new CompletionException(unavailable);
  }

  void outcome(UUID statementId, StatementOutcome outcome, int captureLimit) {
    List<List<String>> captured = capture(outcome.capturedRows(), captureLimit);
    logFailure(
        submit(RecordKind.OUTCOME, now(), RecordBodies.outcome(statementId, outcome, captured)));
  }

  /** The first rows, at most {@code limit}, cut to the configured size. */
  private List<List<String>> capture(List<List<String>> rows, int limit) {
    List<List<String>> kept = new ArrayList<>();
    long budget = config.capture().maxBytes();
    for (List<String> row : rows) {
      if (kept.size() >= limit) {
        break;
      }
      long size = row.stream().mapToLong(v -> v == null ? 4 : v.length()).sum();
      if (size > budget) {
        break;
      }
      budget -= size;
      kept.add(new ArrayList<>(row));
    }
    return kept;
  }

  /**
   * False while governed statements are refused because their records cannot be made durable: the
   * control database cannot be written, records miss the durable timeout, the local log cannot be
   * written or shipping lags beyond its bound.
   */
  public boolean healthy() {
    // The sink first: the local log's sink notices a lag that came back within bounds here.
    boolean sink = writer.healthy();
    return sink && !outage.down();
  }

  /** How far the control database is behind the local audit log (zero in control-database mode). */
  public AuditLag lag() {
    return writer.lag();
  }

  /** Records committed by this instance since start. */
  public long committed() {
    return writer.committed();
  }

  /** Records held back since start to share a later commit. */
  long deferred() {
    return writer.deferred();
  }

  private CompletableFuture<Void> submit(RecordKind kind, Instant at, String body) {
    // Nobody waits for these records: they may wait a little to share a commit.
    return writer.submit(
        new AuditRecord(RecordIds.next(), kind, at == null ? now() : at, body), false);
  }

  private Instant now() {
    return clock.instant();
  }

  private static void logFailure(CompletableFuture<Void> f) {
    // Not a loss: the record is in the spool and is committed when the database is back.
    f.exceptionally(
        e -> {
          log.debug("audit record spooled, not yet committed: {}", e.getMessage());
          return null;
        });
  }

  @Override
  public void close() {
    writer.close();
    deadlines.close();
  }
}
