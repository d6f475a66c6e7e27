package dev.gatehouse.engine.audit;

import static dev.gatehouse.engine.audit.AuditFixtures.principal;
import static dev.gatehouse.engine.audit.AuditFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.audit.log.FailingChannel;
import dev.gatehouse.engine.audit.log.Fsync;
import dev.gatehouse.engine.audit.log.LogRecord;
import dev.gatehouse.engine.audit.log.LogTamper;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.testkit.DisposablePostgres;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code durability: local-log}: statements are durable in the local log, shipped to the control
 * database in bulk, one row per statement in the common case, exactly once across outages and
 * restarts, with the chain verifying afterwards. Runs on a private server the test stops and
 * starts.
 */
class LocalLogIT {

  private static DisposablePostgres pg;
  private static int databases;

  @TempDir Path dir;

  @BeforeAll
  static void startServer() {
    pg = DisposablePostgres.create();
  }

  @AfterAll
  static void removeServer() {
    pg.close();
  }

  private static ControlDatabase newControlDatabase() throws SQLException {
    pg.start();
    String name = "control_" + (++databases);
    try (Connection c = pg.connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return ControlDatabase.connect(ControlDatabase.Settings.of(pg.jdbcUrl(name), "postgres", ""));
  }

  private AuditConfig config(AuditKey key, long maxLagRecords) {
    LogSettings log =
        new LogSettings(
            LogSettings.Durability.LOCAL_LOG,
            dir.resolve("log"),
            Fsync.INTERVAL,
            Duration.ofMillis(20),
            maxLagRecords,
            Duration.ofSeconds(60),
            null);
    return AuditFixtures.config("gw-local", key, dir.resolve("spool"))
        .withTimings(Duration.ofMillis(2), Duration.ofSeconds(5), Duration.ofMillis(100))
        .withFailOpen(Set.of("reports"))
        .withLog(log);
  }

  private static void run(JdbcAuditTrail trail, Principal who, String db, int n) {
    for (int i = 0; i < n; i++) {
      StatementAudit a = trail.statement(read(who, db, "SELECT " + i, List.of()));
      a.durable().join();
      a.complete(new StatementOutcome(1, Duration.ofMillis(1), List.of(), null, null, List.of()));
    }
  }

  static void awaitShipped(JdbcAuditTrail trail) throws InterruptedException {
    Eventually.holdsWithin(Duration.ofSeconds(30), () -> trail.lag().records() == 0);
    assertThat(trail.lag().records()).isZero();
  }

  @Test
  void statementsShipAsOneRowEachAndTheChainVerifies() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    try (ControlDatabase db = newControlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(key, 1_000_000))) {
      run(trail, analyst, "shop", 200);
      awaitShipped(trail);
      long rows = count(db, "SELECT count(*) FROM audit_entry");
      long merged = count(db, "SELECT count(*) FROM audit_entry WHERE outcome_seq IS NOT NULL");
      System.out.println("local log: 200 statements in " + rows + " rows, " + merged + " merged");
      assertThat(count(db, "SELECT count(*) FROM audit_record")).isEqualTo(400);
      assertThat(count(db, "SELECT count(*) FROM audit_entry WHERE kind = 'STATEMENT'"))
          .isEqualTo(200);
      // Most outcomes travel with their decision; one may be split off at a batch boundary.
      assertThat(merged).isGreaterThan(100);
      assertThat(rows).isEqualTo(400 - merged);
      AuditPage page =
          new AuditSearch(db.dataSource())
              .search(AuditQuery.all().subject("analyst").page(500, null));
      assertThat(page.items()).hasSize(200).allSatisfy(r -> assertThat(r.outcome()).isNotNull());
      assertThat(new AuditVerifier(db.dataSource(), key).verify().problems()).isEmpty();
    }
  }

  @Test
  void anOutageDelaysShippingOnlyAndARestartShipsWhatWasLeftExactlyOnce() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    try (ControlDatabase db = newControlDatabase()) {
      try (JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(key, 1_000_000))) {
        run(trail, analyst, "shop", 20);
        awaitShipped(trail);
        pg.stop();
        // Statements keep running: their records are durable in the local log.
        run(trail, analyst, "shop", 30);
        awaitLag(trail, 60); // the last outcome is written just after its statement returns
        // 60 frames of a few hundred bytes each.
        assertThat(trail.lag().bytes()).isBetween(60L * 200, 60L * 2_000);
        assertThat(trail.lag().seconds()).isLessThan(30);
      } // stopped during the outage: the records wait in the segments
      pg.start();
      // What `gatehouse audit lag` prints, measured from outside the gateway.
      AuditLag left = LogLag.measure(db.dataSource(), "gw-local", dir.resolve("log"));
      assertThat(left.records()).isEqualTo(60);
      assertThat(left.bytes()).isBetween(60L * 200, 60L * 2_000);
      try (JdbcAuditTrail restarted = JdbcAuditTrail.start(db, config(key, 1_000_000))) {
        awaitShipped(restarted);
        assertThat(restarted.lag()).isEqualTo(AuditLag.NONE);
        assertThat(LogLag.measure(db.dataSource(), "gw-local", dir.resolve("log")).records())
            .isZero();
        assertThat(count(db, "SELECT count(*) FROM audit_record WHERE kind = 'STATEMENT'"))
            .isEqualTo(50);
        assertThat(count(db, "SELECT count(*) FROM audit_record")).isEqualTo(100);
        run(restarted, analyst, "shop", 5);
        awaitShipped(restarted);
      }
      // A third start ships nothing twice.
      try (JdbcAuditTrail again = JdbcAuditTrail.start(db, config(key, 1_000_000))) {
        awaitShipped(again);
        assertThat(count(db, "SELECT count(*) FROM audit_record")).isEqualTo(110);
        assertThat(count(db, "SELECT max(seq) FROM audit_record")).isEqualTo(110);
      }
      assertThat(new AuditVerifier(db.dataSource(), key).verify().problems()).isEmpty();
      try (Stream<Path> files = Files.list(dir.resolve("log"))) {
        assertThat(files.filter(p -> p.toString().endsWith(".log")).count()).isLessThanOrEqualTo(2);
      }
    }
  }

  @Test
  void aBacklogLargerThanOneInsertShipsInSeveralInOrderAndTheChainVerifies() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    String wide = "SELECT '" + "é".repeat(30_000) + "'";
    try (ControlDatabase db = newControlDatabase()) {
      try (JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(key, 1_000_000))) {
        run(trail, analyst, "shop", 2);
        awaitShipped(trail);
        pg.stop();
        // About 4.8 MB of bodies in UTF-8 (half as many characters), many times one insert's
        // bound, which counts bytes.
        for (int i = 0; i < 80; i++) {
          StatementAudit a = trail.statement(read(analyst, "shop", wide + " AS c" + i, List.of()));
          a.durable().join();
          a.complete(
              new StatementOutcome(1, Duration.ofMillis(1), List.of(), null, null, List.of()));
        }
        awaitLag(trail, 160);
      }
      pg.start();
      try (JdbcAuditTrail restarted = JdbcAuditTrail.start(db, config(key, 1_000_000))) {
        awaitShipped(restarted);
      }
      assertThat(count(db, "SELECT count(*) FROM audit_record")).isEqualTo(164);
      assertThat(count(db, "SELECT count(*) FROM audit_record WHERE kind = 'STATEMENT'"))
          .isEqualTo(82);
      assertThat(
              count(
                  db, "SELECT count(*) FROM audit_record WHERE doc ->> 'sql' LIKE 'SELECT ''éé%'"))
          .isEqualTo(80);
      // each insert is a transaction of its own: the backlog went in several
      assertThat(count(db, "SELECT count(DISTINCT xmin::text) FROM audit_entry WHERE seq > 4"))
          .isGreaterThanOrEqualTo(4);
      assertThat(new AuditVerifier(db.dataSource(), key).verify().problems()).isEmpty();
    }
  }

  @Test
  void aBatchThatCannotBeStoredWholeStoresNothingAndShippingResumesOnceTheHeadIsBack()
      throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    try (ControlDatabase db = newControlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(key, 1_000_000))) {
      run(trail, analyst, "shop", 10);
      awaitShipped(trail);
      assertThat(count(db, "SELECT count(*) FROM audit_record")).isEqualTo(20);
      String head = "SELECT seq, hash, mac FROM audit_chain_head WHERE instance_id = 'gw-local'";
      long seq;
      String hash;
      String mac;
      try (Connection c = db.dataSource().getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(head)) {
        assertThat(rs.next()).isTrue();
        seq = rs.getLong(1);
        hash = rs.getString(2);
        mac = rs.getString(3);
      }
      assertThat(seq).isEqualTo(20);
      // Another writer's head, behind what is stored: the next batch finds the head elsewhere,
      // and, read again from there, its first rows are stored already. Moving the head and
      // inserting
      // the rows are one statement, so neither attempt leaves a row or a moved head behind.
      execute(db, "UPDATE audit_chain_head SET seq = 15 WHERE instance_id = 'gw-local'");
      String rollbacks =
          "SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()";
      long before = count(db, rollbacks);
      run(trail, analyst, "shop", 5);
      // Both kinds of failed attempt, each rolled back, several times over.
      Eventually.await(
          "failed shipping attempts",
          Duration.ofSeconds(15),
          () -> count(db, rollbacks) >= before + 4);
      assertThat(count(db, "SELECT count(*) FROM audit_record")).isEqualTo(20);
      assertThat(count(db, "SELECT seq FROM audit_chain_head")).isEqualTo(15);
      assertThat(trail.lag().records()).isGreaterThanOrEqualTo(9);
      try (Connection c = db.dataSource().getConnection();
          var ps =
              c.prepareStatement(
                  "UPDATE audit_chain_head SET seq = ?, hash = ?, mac = ?"
                      + " WHERE instance_id = 'gw-local'")) {
        ps.setLong(1, seq);
        ps.setString(2, hash);
        ps.setString(3, mac);
        ps.executeUpdate();
      }
      awaitShipped(trail);
      assertThat(count(db, "SELECT count(*) FROM audit_record")).isEqualTo(30);
      assertThat(count(db, "SELECT count(DISTINCT seq) FROM audit_record")).isEqualTo(30);
      assertThat(new AuditVerifier(db.dataSource(), key).verify().problems()).isEmpty();
    }
  }

  @Test
  void lagBeyondItsBoundRefusesStatementsUntilShippingCatchesUp() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    try (ControlDatabase db = newControlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(key, 10))) {
      run(trail, analyst, "shop", 3);
      awaitShipped(trail);
      pg.stop();
      run(trail, analyst, "shop", 6); // served: at most 10 records behind when each was decided
      awaitLag(trail, 12);
      StatementAudit refused = trail.statement(read(analyst, "shop", "SELECT 99", List.of()));
      assertThatThrownBy(() -> refused.durable().join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(AuditUnavailableException.class)
          .cause()
          .hasMessageContaining("lags: 12 records are not shipped yet (bound 10)");
      // A database configured to fail open keeps running, loudly.
      trail.statement(read(analyst, "reports", "SELECT 2", List.of())).durable().join();
      assertThat(trail.healthy()).isFalse();
      pg.start();
      awaitShipped(trail);
      assertThat(trail.healthy()).isTrue();
      run(trail, analyst, "shop", 1);
      awaitShipped(trail);
      // The refused attempt is on record too.
      assertThat(count(db, "SELECT count(*) FROM audit_record WHERE kind = 'STATEMENT'"))
          .isEqualTo(12);
      assertThat(new AuditVerifier(db.dataSource(), key).verify().problems()).isEmpty();
    }
  }

  @Test
  void verifyNamesARecordChangedOrDeletedInTheLocalLogBeforeItShipped() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    Path log = dir.resolve("log");
    try (ControlDatabase db = newControlDatabase()) {
      try (JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(key, 1_000_000))) {
        run(trail, analyst, "shop", 5);
        awaitShipped(trail);
        pg.stop();
        run(trail, analyst, "shop", 5); // records 11..20 stay in the local log
        awaitLag(trail, 10);
      }
      pg.start();
      AuditVerifier verifier = new AuditVerifier(db.dataSource(), key);
      assertThat(verifier.verify(List.of(), "gw-local", log).problems()).isEmpty();
      assertThat(verifier.verify(List.of(), "gw-local", log).records()).isEqualTo(20);

      LogTamper.rewrite(
          log,
          r ->
              r.seq() == 15
                  ? new LogRecord(
                      r.seq(),
                      r.id(),
                      r.kind(),
                      r.atMicros(),
                      r.body().replace("SELECT", "DELETE"),
                      r.prevHash(),
                      r.hash())
                  : r);
      VerifyReport.Problem changed =
          verifier.verify(List.of(), "gw-local", log).problems().getFirst();
      assertThat(changed.seq()).isEqualTo(15);
      assertThat(changed.type()).isEqualTo(VerifyReport.Type.CHANGED);

      LogTamper.rewrite(log, r -> r.seq() == 13 ? null : r);
      VerifyReport.Problem deleted =
          verifier.verify(List.of(), "gw-local", log).problems().getFirst();
      assertThat(deleted.seq()).isEqualTo(13);
      assertThat(deleted.type()).isEqualTo(VerifyReport.Type.DELETED);
    }
  }

  @Test
  void aFullDiskRefusesStatementsUntilSpaceReturnsAndLosesNothing() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    // No tmpfs (mounting needs root, which CI lacks): the segments are real files whose writes
    // fail like a full disk (ENOSPC after a partial write) while `full` is set.
    java.util.concurrent.atomic.AtomicBoolean full =
        new java.util.concurrent.atomic.AtomicBoolean();
    try (ControlDatabase db = newControlDatabase();
        JdbcAuditTrail trail =
            JdbcAuditTrail.start(
                db,
                config(key, 1_000_000),
                p ->
                    new FailingChannel(
                        java.nio.channels.FileChannel.open(
                            p,
                            java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.WRITE),
                        full))) {
      run(trail, analyst, "shop", 3);
      full.set(true);
      for (int i = 0; i < 3; i++) {
        StatementAudit refused = trail.statement(read(analyst, "shop", "SELECT 7", List.of()));
        assertThatThrownBy(() -> refused.durable().join())
            .isInstanceOf(CompletionException.class)
            .cause()
            .isInstanceOf(AuditUnavailableException.class)
            .hasMessageContaining("the local audit log `")
            .hasMessageEndingWith("cannot be written: No space left on device");
      }
      assertThat(trail.healthy()).isFalse();
      full.set(false);
      run(trail, analyst, "shop", 2); // served again as soon as a write succeeds
      assertThat(trail.healthy()).isTrue();
      awaitShipped(trail);
      // 5 served with their outcomes, and the 3 refused attempts are on record too.
      assertThat(count(db, "SELECT count(*) FROM audit_record WHERE kind = 'STATEMENT'"))
          .isEqualTo(8);
      assertThat(count(db, "SELECT count(*) FROM audit_record WHERE kind = 'OUTCOME'"))
          .isEqualTo(5);
      assertThat(new AuditVerifier(db.dataSource(), key).verify().problems()).isEmpty();
    }
  }

  private static void awaitLag(JdbcAuditTrail trail, long records) throws InterruptedException {
    Eventually.holdsWithin(Duration.ofSeconds(10), () -> trail.lag().records() >= records);
    assertThat(trail.lag().records()).isEqualTo(records);
  }

  static long count(ControlDatabase db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void execute(ControlDatabase db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
