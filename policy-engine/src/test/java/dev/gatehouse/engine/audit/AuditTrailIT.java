package dev.gatehouse.engine.audit;

import static dev.gatehouse.engine.audit.AuditFixtures.principal;
import static dev.gatehouse.engine.audit.AuditFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.audit.VerifyReport.Problem;
import dev.gatehouse.engine.audit.VerifyReport.Type;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.AppliedMask;
import dev.gatehouse.engine.masking.MaskStrategy;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail against the real test PostgreSQL: concurrency, chain verification, tampering. */
class AuditTrailIT {

  @TempDir Path spool;

  @Test
  void eightWritersTenThousandStatementsAllPresentAndVerified() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    try (ControlDatabase db = AuditFixtures.controlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, AuditFixtures.config("gw-1", key, spool))) {
      Principal analyst = principal(ReferencePrincipal.ANALYST);
      int threads = 8;
      int perThread = 1_250;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    StatementAudit a =
                        trail.statement(
                            read(
                                analyst,
                                "shop",
                                "SELECT * FROM app.customers WHERE id = $1",
                                List.of(thread + ":" + i)));
                    a.durable().join();
                    a.complete(
                        new StatementOutcome(
                            1, Duration.ofMillis(1), List.of(), null, null, List.of()));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "audit: %d statements from %d threads in %.2f s (%.0f statements/s, durable awaited)%n",
          threads * perThread, threads, seconds, threads * perThread / seconds);
      awaitCommitted(trail, 2L * threads * perThread);

      assertThat(count(db, "kind = 'STATEMENT'")).isEqualTo(10_000);
      assertThat(count(db, "kind = 'OUTCOME'")).isEqualTo(10_000);
      assertThat(count(db, "kind = 'STATEMENT' AND doc -> 'params' ->> 'mode' = 'HMAC'"))
          .isEqualTo(10_000);
      // Every outcome links to a statement record.
      assertThat(
              count(
                  db,
                  "kind = 'OUTCOME' AND (doc ->> 'statementId')::uuid NOT IN (SELECT id FROM audit_record WHERE kind ="
                      + " 'STATEMENT')"))
          .isZero();
      long verifyStart = System.nanoTime();
      VerifyReport report = new AuditVerifier(db.dataSource(), key).verify();
      System.out.printf(
          "verify: %d records in %.0f ms%n",
          report.records(), (System.nanoTime() - verifyStart) / 1e6);
      assertThat(report.problems()).isEmpty();
      assertThat(report.records()).isEqualTo(20_000);
      assertThat(report.chains())
          .singleElement()
          .extracting(VerifyReport.Chain::lastSeq)
          .isEqualTo(20_000L);
      // The wrong key finds every chain broken at its first record.
      VerifyReport forged = new AuditVerifier(db.dataSource(), AuditFixtures.randomKey()).verify();
      assertThat(forged.problems()).singleElement().extracting(Problem::seq).isEqualTo(1L);
    }
  }

  @Test
  void modifiedRecordIsNamed() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    try (ControlDatabase db = AuditFixtures.controlDatabase()) {
      writeRecords(db, key, "gw-a", 40);
      writeRecords(db, key, "gw-b", 40);
      execute(
          db,
          "UPDATE audit_entry SET body = replace(body, 'app.customers', 'app.products')"
              + " WHERE instance_id = 'gw-a' AND seq = 17");
      VerifyReport report = new AuditVerifier(db.dataSource(), key).verify();
      assertThat(report.problems()).hasSize(1);
      Problem p = report.problems().getFirst();
      assertThat(p.instanceId()).isEqualTo("gw-a");
      assertThat(p.seq()).isEqualTo(17);
      assertThat(p.type()).isEqualTo(Type.CHANGED);
      assertThat(p.recordId()).isEqualTo(idAt(db, "gw-a", 17));
      System.out.println("verify: " + p.message());
    }
  }

  @Test
  void deletedRecordIsNamed() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    try (ControlDatabase db = AuditFixtures.controlDatabase()) {
      writeRecords(db, key, "gw-a", 40);
      execute(db, "DELETE FROM audit_entry WHERE instance_id = 'gw-a' AND seq = 23");
      Problem p = new AuditVerifier(db.dataSource(), key).verify().problems().getFirst();
      assertThat(p.seq()).isEqualTo(23);
      assertThat(p.type()).isEqualTo(Type.DELETED);
      System.out.println("verify: " + p.message());

      // Deleting the newest records is caught by the chain head.
      execute(db, "DELETE FROM audit_entry WHERE instance_id = 'gw-a' AND seq >= 22");
      Problem tail = new AuditVerifier(db.dataSource(), key).verify().problems().getFirst();
      assertThat(tail.type()).isEqualTo(Type.DELETED);
      assertThat(tail.seq()).isEqualTo(22);
    }
  }

  @Test
  void oldHeadPutBackIsCaughtByAPublishedAnchor() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    try (ControlDatabase db = AuditFixtures.controlDatabase()) {
      writeRecords(db, key, "gw-a", 20);
      execute(db, "CREATE TABLE saved_head AS SELECT * FROM audit_chain_head");
      writeRecords(db, key, "gw-a", 10);
      VerifyReport.Anchor anchor = new VerifyReport.Anchor("gw-a", 30, hashAt(db, "gw-a", 30));
      // Delete the newest records and put the old, validly signed head back.
      execute(
          db,
          "DELETE FROM audit_entry WHERE seq > 20; DELETE FROM audit_chain_head;"
              + " INSERT INTO audit_chain_head SELECT * FROM saved_head");
      AuditVerifier verifier = new AuditVerifier(db.dataSource(), key);
      assertThat(verifier.verify().ok()).isTrue(); // the limit ADR 0004 names
      Problem p = verifier.verify(List.of(anchor)).problems().getFirst();
      assertThat(p.type()).isEqualTo(Type.DELETED);
      assertThat(p.seq()).isEqualTo(21);
      System.out.println("verify: " + p.message());
    }
  }

  @Test
  void insertedRecordIsNamed() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    try (ControlDatabase db = AuditFixtures.controlDatabase()) {
      writeRecords(db, key, "gw-a", 40);
      // Make room after seq 30 and insert a copy of record 5 there, linked to record 30.
      execute(
          db,
          "UPDATE audit_entry SET seq = -seq - 1 WHERE instance_id = 'gw-a' AND seq > 30;"
              + " UPDATE audit_entry SET seq = -seq WHERE instance_id = 'gw-a' AND seq < 0;"
              + " INSERT INTO audit_entry (id, instance_id, seq, kind, at, body, prev_hash, hash)"
              + " SELECT gen_random_uuid(), instance_id, 31, kind, at, body,"
              + "   (SELECT hash FROM audit_entry WHERE instance_id = 'gw-a' AND seq = 30),"
              + "   md5(body) || md5(body)"
              + " FROM audit_entry WHERE instance_id = 'gw-a' AND seq = 5");
      Problem p = new AuditVerifier(db.dataSource(), key).verify().problems().getFirst();
      assertThat(p.seq()).isEqualTo(31);
      assertThat(p.type()).isEqualTo(Type.INSERTED);
      assertThat(p.recordId()).isEqualTo(idAt(db, "gw-a", 31));
      System.out.println("verify: " + p.message());
    }
  }

  @Test
  void outcomeCarriesMasksDetectorHitsAndCapturedRows() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    AuditConfig config =
        AuditFixtures.config("gw-c", key, spool)
            .withParamMode(ParamMode.OMIT)
            .withCapture(
                new CaptureConfig(
                    java.util.Set.of(),
                    java.util.Set.of("analysts"),
                    java.util.Set.of(),
                    java.util.Set.of(),
                    2,
                    1_000));
    try (ControlDatabase db = AuditFixtures.controlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config)) {
      StatementAudit a =
          trail.statement(
              read(
                  principal(ReferencePrincipal.ANALYST),
                  "shop",
                  "SELECT email FROM app.customers",
                  List.of("secret-param")));
      assertThat(a.captureLimit()).isEqualTo(2);
      a.durable().get();
      a.complete(
          new StatementOutcome(
              3,
              Duration.ofMillis(4),
              List.of(
                  new AppliedMask("email", "app.customers.email", "pii-email", MaskStrategy.EMAIL),
                  new AppliedMask("note", null, "detector:CARD_NUMBER", MaskStrategy.REDACT)),
              null,
              null,
              List.of(List.of("a***@x.org"), List.of("b***@x.org"), List.of("c***@x.org"))));
      StatementAudit other =
          trail.statement(read(principal(ReferencePrincipal.DBA), "shop", "SELECT 1", List.of()));
      assertThat(other.captureLimit()).isZero();
      awaitCommitted(trail, 3);
      assertThat(count(db, "body LIKE '%secret-param%'")).isZero();
      assertThat(count(db, "doc @> '{\"maskedColumns\":[\"app.customers.email\"]}'")).isEqualTo(1);
      assertThat(count(db, "doc @> '{\"detectorHits\":[\"detector:CARD_NUMBER\"]}'")).isEqualTo(1);
      assertThat(count(db, "jsonb_array_length(doc -> 'capturedRows') = 2")).isEqualTo(1);
      assertThat(count(db, "(doc ->> 'capturedTruncated')::boolean")).isEqualTo(1);
    }
  }

  @Test
  void nulCharacterInSqlNeverBlocksTheTrail() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    try (ControlDatabase db = AuditFixtures.controlDatabase();
        JdbcAuditTrail trail =
            JdbcAuditTrail.start(
                db, AuditFixtures.config("gw-n", key, spool).withParamMode(ParamMode.CLEAR))) {
      Principal analyst = principal(ReferencePrincipal.ANALYST);
      trail
          .statement(read(analyst, "shop", "SELECT '" + (char) 0 + "'", List.of("x" + (char) 0)))
          .durable()
          .get();
      trail.statement(read(analyst, "shop", "SELECT 2", List.of())).durable().get();
      assertThat(trail.healthy()).isTrue();
      assertThat(count(db, "doc ->> 'sql' = 'SELECT ''' || chr(65533) || ''''")).isEqualTo(1);
      assertThat(new AuditVerifier(db.dataSource(), key).verify().ok()).isTrue();
    }
  }

  @Test
  void recordTheDatabaseRefusesIsStoredAsAStandInAndTheTrailGoesOn() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    try (ControlDatabase db = AuditFixtures.controlDatabase()) {
      // Stands for any record the database refuses for its content, whatever the retry.
      execute(
          db,
          "ALTER TABLE audit_entry ADD CONSTRAINT refuse_marked CHECK (body NOT LIKE '%poison%')");
      try (JdbcAuditTrail trail =
          JdbcAuditTrail.start(
              db, AuditFixtures.config("gw-p", key, spool).withParamMode(ParamMode.CLEAR))) {
        Principal analyst = principal(ReferencePrincipal.ANALYST);
        StatementAudit first = trail.statement(read(analyst, "shop", "SELECT 1", List.of()));
        StatementAudit poison =
            trail.statement(read(analyst, "shop", "SELECT 'poison'", List.of()));
        StatementAudit last = trail.statement(read(analyst, "shop", "SELECT 3", List.of()));
        first.durable().get();
        poison.durable().get();
        last.durable().get();
        assertThat(trail.healthy()).isTrue();
        assertThat(count(db, "id = '" + poison.id() + "' AND doc ->> 'unstorable' = 'true'"))
            .isEqualTo(1);
        assertThat(count(db, "kind = 'STATEMENT'")).isEqualTo(3);
        // The stand-in says why, never what: the refused body is not quoted.
        assertThat(
                count(db, "id = '" + poison.id() + "' AND doc ->> 'reason' LIKE '%refuse_marked%'"))
            .isEqualTo(1);
      }
      assertThat(new AuditVerifier(db.dataSource(), key).verify().ok()).isTrue();
    }
  }

  @Test
  void authenticationAndConnectionEventsAreChained() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    try (ControlDatabase db = AuditFixtures.controlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, AuditFixtures.config("gw-e", key, spool))) {
      Principal etl = principal(ReferencePrincipal.ETL_NIGHTLY);
      java.time.Instant now = java.time.Instant.now();
      trail.authentication(
          new AuthEvent(
              now,
              dev.gatehouse.engine.policy.Channel.WIRE,
              "shop",
              "pgbench",
              "10.1.2.3:5000",
              null,
              null,
              "token expired"));
      trail.authentication(
          new AuthEvent(
              now,
              dev.gatehouse.engine.policy.Channel.WIRE,
              "shop",
              "pgbench",
              "10.1.2.3:5000",
              etl.issuer(),
              etl.subject(),
              null));
      trail.connection(
          new ConnectionEvent(now, true, "conn-9", etl, AuditFixtures.context("shop")));
      trail.connection(
          new ConnectionEvent(now, false, "conn-9", etl, AuditFixtures.context("shop")));
      awaitCommitted(trail, 4);
      assertThat(
              count(
                  db,
                  "kind = 'AUTHENTICATION' AND doc @> '{\"succeeded\":false,\"failureReason\":\"token expired\",\"clientAddress\":\"10.1.2.3:5000\"}'"))
          .isEqualTo(1);
      assertThat(
              count(
                  db,
                  "kind = 'AUTHENTICATION' AND doc @> '{\"succeeded\":true,\"subject\":\"etl-nightly\"}'"))
          .isEqualTo(1);
      assertThat(
              count(
                  db,
                  "kind = 'CONNECTION' AND doc @> '{\"connectionId\":\"conn-9\",\"principal\":{\"kind\":\"WORKLOAD\"}}'"))
          .isEqualTo(2);
      assertThat(new AuditVerifier(db.dataSource(), key).verify().ok()).isTrue();
    }
  }

  @Test
  void twoInstancesMisconfiguredWithOneIdStillLeaveAValidChain() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    try (ControlDatabase db = AuditFixtures.controlDatabase();
        JdbcAuditTrail a =
            JdbcAuditTrail.start(
                db,
                AuditFixtures.config(
                    "gw-same", key, java.nio.file.Files.createTempDirectory("a")));
        JdbcAuditTrail b =
            JdbcAuditTrail.start(
                db,
                AuditFixtures.config(
                    "gw-same", key, java.nio.file.Files.createTempDirectory("b")))) {
      Principal analyst = principal(ReferencePrincipal.ANALYST);
      int refused = 0;
      for (int i = 0; i < 200; i++) {
        JdbcAuditTrail t = i % 2 == 0 ? a : b;
        try {
          t.statement(read(analyst, "shop", "SELECT " + i, List.of())).durable().join();
        } catch (java.util.concurrent.CompletionException e) {
          assertThat(e).hasCauseInstanceOf(AuditUnavailableException.class);
          refused++;
        }
      }
      // Conflicts refuse statements (fail closed), but every record lands and the chain holds.
      Eventually.holdsWithin(Duration.ofSeconds(20), () -> a.committed() + b.committed() >= 200);
      assertThat(a.committed() + b.committed()).isEqualTo(200);
      assertThat(count(db, "true")).isEqualTo(200);
      assertThat(new AuditVerifier(db.dataSource(), key).verify().ok()).isTrue();
      System.out.println(
          "same instance id: " + refused + " of 200 statements refused on conflicts");
    }
  }

  static void writeRecords(ControlDatabase db, AuditKey key, String instance, int n)
      throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("spool-" + instance);
    try (JdbcAuditTrail trail =
        JdbcAuditTrail.start(db, AuditFixtures.config(instance, key, dir))) {
      Principal analyst = principal(ReferencePrincipal.ANALYST);
      for (int i = 0; i < n; i++) {
        trail
            .statement(read(analyst, "shop", "SELECT * FROM app.customers", List.of()))
            .durable()
            .get();
      }
    }
  }

  static void awaitCommitted(JdbcAuditTrail trail, long n) throws InterruptedException {
    Eventually.holdsWithin(Duration.ofSeconds(20), () -> trail.committed() >= n);
    assertThat(trail.committed()).isEqualTo(n);
  }

  static long count(ControlDatabase db, String where) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM audit_record WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void execute(ControlDatabase db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static String hashAt(ControlDatabase db, String instance, long seq) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT hash FROM audit_record WHERE instance_id = '"
                    + instance
                    + "' AND seq = "
                    + seq)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static java.util.UUID idAt(ControlDatabase db, String instance, long seq) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id FROM audit_record WHERE instance_id = '"
                    + instance
                    + "' AND seq = "
                    + seq)) {
      rs.next();
      return rs.getObject(1, java.util.UUID.class);
    }
  }
}
