package dev.gatehouse.engine.audit;

import static dev.gatehouse.engine.audit.AuditFixtures.principal;
import static dev.gatehouse.engine.audit.AuditFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AuditTrail} does, asserted once and run against the real trail (control
 * database and local log, on a real PostgreSQL) and against the in-memory test double, so the
 * double cannot drift from the real thing.
 */
abstract class AuditTrailContract {

  /** How long a record may take to be durable on a loaded test machine. */
  static final Duration WAIT = Duration.ofSeconds(30);

  /** A statement record as the trail holds it, with its outcome once complete. */
  record Stored(
      String sql,
      String database,
      String subject,
      String decision,
      List<String> ruleIds,
      Long rows,
      String sqlState) {}

  final Principal analyst = principal(ReferencePrincipal.ANALYST);

  /** A fresh, empty trail, available. */
  abstract AuditTrail trail();

  /** The statement record {@code id} as stored, if the trail holds it (yet). */
  abstract Optional<Stored> stored(UUID id) throws Exception;

  /** How many records of {@code kind} the trail holds (yet). */
  abstract long count(RecordKind kind) throws Exception;

  /** Makes the trail's store unwritable ({@code true}) or writable again ({@code false}). */
  abstract void unavailable(boolean value) throws Exception;

  private Stored awaitStored(UUID id, boolean withOutcome) throws Exception {
    Eventually.await(
        "statement record " + id,
        WAIT,
        () -> stored(id).filter(s -> !withOutcome || s.rows() != null).isPresent());
    return stored(id).orElseThrow();
  }

  private void awaitCount(RecordKind kind, long n) throws Exception {
    Eventually.await(n + " " + kind + " records", WAIT, () -> count(kind) >= n);
    assertThat(count(kind)).as(kind.name()).isEqualTo(n);
  }

  @Test
  void aStatementIsDurableAndHeldWithItsDecision() throws Exception {
    AuditTrail trail = trail();
    StatementAudit a =
        trail.statement(read(analyst, "shop", "SELECT * FROM app.customers", List.of()));
    a.durable().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Stored s = awaitStored(a.id(), false);
    assertThat(s.sql()).isEqualTo("SELECT * FROM app.customers");
    assertThat(s.database()).isEqualTo("shop");
    assertThat(s.subject()).isEqualTo(analyst.subject());
    assertThat(s.decision()).isEqualTo("ALLOW");
    assertThat(s.ruleIds()).containsExactly("analysts-read");
    assertThat(s.rows()).as("no outcome before completion").isNull();
  }

  @Test
  void eachStatementHasItsOwnRecord() throws Exception {
    AuditTrail trail = trail();
    StatementAudit first = trail.statement(read(analyst, "shop", "SELECT 1", List.of()));
    StatementAudit second = trail.statement(read(analyst, "shop", "SELECT 2", List.of()));
    assertThat(first.id()).isNotEqualTo(second.id());
    assertThat(awaitStored(first.id(), false).sql()).isEqualTo("SELECT 1");
    assertThat(awaitStored(second.id(), false).sql()).isEqualTo("SELECT 2");
    awaitCount(RecordKind.STATEMENT, 2);
  }

  @Test
  void anOutcomeIsRecordedOnceAndASecondIsRefused() throws Exception {
    AuditTrail trail = trail();
    StatementAudit a = trail.statement(read(analyst, "shop", "DELETE FROM app.x", List.of()));
    a.durable().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    a.complete(
        new StatementOutcome(0, Duration.ofMillis(1), List.of(), "42501", "denied", List.of()));
    assertThatThrownBy(
            () ->
                a.complete(
                    new StatementOutcome(7, Duration.ZERO, List.of(), null, null, List.of())))
        .isInstanceOf(IllegalStateException.class);
    Stored s = awaitStored(a.id(), true);
    assertThat(s.rows()).isZero();
    assertThat(s.sqlState()).isEqualTo("42501");
    awaitCount(RecordKind.OUTCOME, 1);
  }

  @Test
  void authenticationConnectionAndApprovalEventsAreRecorded() throws Exception {
    AuditTrail trail = trail();
    Instant now = Instant.now();
    trail.authentication(
        new AuthEvent(now, Channel.WIRE, "shop", "psql", "10.1.2.3", null, null, "token expired"));
    trail.connection(
        new ConnectionEvent(now, true, "conn-1", analyst, AuditFixtures.context("shop")));
    trail.connection(
        new ConnectionEvent(now, false, "conn-1", analyst, AuditFixtures.context("shop")));
    trail.approval(
        new ApprovalEvent(
            now,
            UUID.randomUUID(),
            ApprovalEvent.Step.REQUESTED,
            analyst.issuer(),
            analyst.subject(),
            analyst.issuer(),
            analyst.subject(),
            "shop",
            null));
    awaitCount(RecordKind.AUTHENTICATION, 1);
    awaitCount(RecordKind.CONNECTION, 2);
    awaitCount(RecordKind.APPROVAL, 1);
  }

  @Test
  void whileUnavailableDurableFailsClosedAndTheRecordIsKeptForLater() throws Exception {
    AuditTrail trail = trail();
    trail.statement(read(analyst, "shop", "SELECT 1", List.of())).durable().get();
    StatementAudit refused;
    unavailable(true);
    try {
      refused = trail.statement(read(analyst, "shop", "SELECT 'refused'", List.of()));
      assertThatThrownBy(() -> refused.durable().get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(AuditUnavailableException.class)
          .hasMessageContaining("audit trail unavailable");
    } finally {
      unavailable(false);
    }
    // Back: statements are durable again, and the refused attempt is on record too.
    Eventually.await(
        "a durable statement record",
        WAIT,
        () -> {
          try {
            trail.statement(read(analyst, "shop", "SELECT 3", List.of())).durable().join();
            return true;
          } catch (java.util.concurrent.CompletionException e) {
            return false;
          }
        });
    assertThat(awaitStored(refused.id(), false).sql()).isEqualTo("SELECT 'refused'");
  }
}
