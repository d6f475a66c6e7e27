package dev.gatehouse.engine.audit;

import static dev.gatehouse.engine.audit.AuditFixtures.principal;
import static dev.gatehouse.engine.audit.AuditFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit without idle waiting: a statement's decision record is committed as soon as the
 * writer is free, while records nobody waits for are spooled at once and ride with a later commit,
 * at the latest after the configured bound.
 */
class GroupCommitIT {

  @TempDir Path spool;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final AuditKey key = AuditFixtures.randomKey();

  private AuditConfig config(Duration bound) {
    AuditConfig d = AuditFixtures.config("gw-gc", key, spool);
    return d.withTimings(bound, d.durableTimeout(), d.retryInterval());
  }

  private static ConnectionEvent connection(Principal who) {
    return new ConnectionEvent(Instant.now(), true, "conn-gc", who, AuditFixtures.context("shop"));
  }

  private static StatementOutcome outcome() {
    return new StatementOutcome(1, Duration.ofMillis(1), List.of(), null, null, List.of());
  }

  @Test
  void recordsNobodyWaitsForAreSpooledAtOnceAndCommittedWithinTheBound() throws Exception {
    Duration bound = Duration.ofMillis(400);
    try (ControlDatabase db = AuditFixtures.controlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(bound))) {
      long start = System.nanoTime();
      trail.connection(connection(principal(ReferencePrincipal.ETL_NIGHTLY)));
      Path file = spool.resolve("audit-spool.jsonl");
      Eventually.holdsWithin(bound, () -> Files.size(file) > 0);
      // On disk (a process crash loses nothing) while it waits for company.
      assertThat(Files.readString(file)).contains("CONNECTION");
      assertThat(trail.committed()).isZero();
      Eventually.holdsWithin(Duration.ofSeconds(10), () -> trail.committed() > 0);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(trail.committed()).isEqualTo(1);
      assertThat(took).isGreaterThanOrEqualTo(bound).isLessThan(bound.plusSeconds(5));
      assertThat(rows(db)).isEqualTo(1);
    }
  }

  @Test
  void aDecisionRecordIsNeverDelayedAndTakesTheWaitingRecordsAlong() throws Exception {
    // A bound far beyond the test: only the decision record can have caused the commit.
    try (ControlDatabase db = AuditFixtures.controlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(Duration.ofMinutes(5)))) {
      Principal analyst = principal(ReferencePrincipal.ANALYST);
      StatementAudit first = trail.statement(read(analyst, "shop", "SELECT 1", List.of()));
      first.durable().get(10, TimeUnit.SECONDS);
      assertThat(trail.committed()).isEqualTo(1);

      first.complete(outcome());
      trail.connection(connection(analyst));
      // The writer has taken both and chosen to hold them: from here only company commits them.
      Eventually.await("outcome and connection held back", WAIT, () -> trail.deferred() >= 2);
      assertThat(trail.committed()).as("outcome and connection wait for company").isEqualTo(1);

      long start = System.nanoTime();
      StatementAudit second = trail.statement(read(analyst, "shop", "SELECT 2", List.of()));
      second.durable().get(10, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(trail.committed()).isEqualTo(4);
      assertThat(rows(db)).isEqualTo(4);
      VerifyReport report = new AuditVerifier(db.dataSource(), key).verify();
      assertThat(report.ok()).isTrue();
      assertThat(report.records()).isEqualTo(4);
    }
  }

  @Test
  void closingCommitsWhatIsStillDeferred() throws Exception {
    try (ControlDatabase db = AuditFixtures.controlDatabase()) {
      try (JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(Duration.ofMinutes(5)))) {
        for (int i = 0; i < 3; i++) {
          trail.connection(connection(principal(ReferencePrincipal.ANALYST)));
        }
        Eventually.await("the three records held back", WAIT, () -> trail.deferred() >= 3);
        assertThat(trail.committed()).isZero();
      }
      assertThat(rows(db)).isEqualTo(3);
      assertThat(Files.size(spool.resolve("audit-spool.jsonl"))).isZero();
    }
  }

  @Test
  void aZeroBoundCommitsEveryRecordAtOnce() throws Exception {
    try (ControlDatabase db = AuditFixtures.controlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(Duration.ZERO))) {
      trail.connection(connection(principal(ReferencePrincipal.ANALYST)));
      AuditTrailIT.awaitCommitted(trail, 1);
    }
  }

  @Test
  void withoutSynchronousCommitBatchesStillCommitInOrderAndVerify() throws Exception {
    try (ControlDatabase db = AuditFixtures.controlDatabase();
        JdbcAuditTrail trail =
            JdbcAuditTrail.start(db, config(Duration.ZERO).withSynchronousCommit(false))) {
      Principal analyst = principal(ReferencePrincipal.ANALYST);
      for (int i = 0; i < 20; i++) {
        StatementAudit a = trail.statement(read(analyst, "shop", "SELECT " + i, List.of()));
        a.durable().get(10, TimeUnit.SECONDS);
        a.complete(outcome());
      }
      AuditTrailIT.awaitCommitted(trail, 40);
      assertThat(rows(db)).isEqualTo(40);
      VerifyReport report = new AuditVerifier(db.dataSource(), key).verify();
      assertThat(report.ok()).isTrue();
      assertThat(report.records()).isEqualTo(40);
    }
  }

  private static long rows(ControlDatabase db) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM audit_record")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
