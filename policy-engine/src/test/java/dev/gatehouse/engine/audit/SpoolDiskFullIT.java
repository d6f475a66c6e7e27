package dev.gatehouse.engine.audit;

import static dev.gatehouse.engine.audit.AuditFixtures.principal;
import static dev.gatehouse.engine.audit.AuditFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.testkit.DisposablePostgres;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code durability: control-database} with the control database down and the spool's disk full
 * (issue 18): records are held in memory, in order, and reach the trail once the disk or the
 * database is back; past the memory bound nothing runs unrecorded, fail-open databases included.
 * The full disk is real: this JVM's file-size limit is lowered with {@code prlimit}, so appends to
 * the spool fail with EFBIG as on a full disk, without root. Runs on a private server the test
 * stops and starts (with the limit lifted while it starts: PostgreSQL would inherit it).
 */
class SpoolDiskFullIT {

  private static DisposablePostgres pg;
  private static int databases;

  @TempDir Path spool;

  @BeforeAll
  static void startServer() {
    pg = DisposablePostgres.create();
  }

  @AfterAll
  static void removeServer() {
    pg.close();
  }

  @AfterEach
  void liftTheLimit() throws Exception {
    fileSizeLimit("unlimited");
  }

  private static ControlDatabase newControlDatabase() throws SQLException {
    pg.start();
    String name = "spoolfull_" + (++databases);
    try (Connection c = pg.connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return ControlDatabase.open(ControlDatabase.Settings.of(pg.jdbcUrl(name), "postgres", ""));
  }

  private AuditConfig config(AuditKey key) {
    return AuditFixtures.config("gw-spool-full", key, spool)
        .withTimings(Duration.ofMillis(2), Duration.ofSeconds(1), Duration.ofMillis(100))
        .withFailOpen(Set.of("reports"));
  }

  @Test
  void heldInMemoryInOrderUntilTheDiskOrTheDatabaseIsBack() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    List<UUID> succeeded = new ArrayList<>();
    List<UUID> refused = new ArrayList<>();
    try (ControlDatabase db = newControlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(key))) {
      for (int i = 0; i < 5; i++) {
        succeeded.add(run(trail, analyst, "SELECT 'before " + i + "'"));
      }
      drained(trail);
      pg.stop();
      fileSizeLimit("1");
      refuse(trail, analyst, "while both are down", 30, refused);
      // The limit lets a write take its first byte, which the spool cuts off right after
      // (AuditSpool.append); checked while the writer retries, one such byte may be there.
      assertThat(Files.size(spoolFile())).as("the spool took no record").isLessThanOrEqualTo(1);
      assertThat(trail.healthy()).isFalse();
      // Held in memory: the refused attempts, their outcomes and the authentication.
      Eventually.await(
          "the backlog counted", Duration.ofSeconds(10), () -> trail.lag().records() >= 61);

      // The disk is back first: what memory holds goes to the spool, before the new records.
      fileSizeLimit("unlimited");
      refuse(trail, analyst, "disk back", 1, refused);
      Eventually.await(
          "held records in the spool",
          Duration.ofSeconds(10),
          () -> Files.readAllLines(spoolFile()).size() >= 63);
      List<String> lines = Files.readAllLines(spoolFile());
      assertThat(lines.stream().map(l -> l.substring(0, 36)).toList())
          .as("in the order they were refused")
          .containsSubsequence(refused.stream().map(UUID::toString).toList());

      // Full again, then the database comes back while the disk stays full.
      fileSizeLimit("1");
      refuse(trail, analyst, "full again", 20, refused);
      fileSizeLimit("unlimited");
      pg.start(); // PostgreSQL must not inherit the limit
      fileSizeLimit("1");
      long back = System.nanoTime();
      succeeded.add(awaitDurable(trail, analyst));
      System.out.println(
          "spool disk full: resumed " + (System.nanoTime() - back) / 1_000_000 + " ms after");
      // The database takes records with the disk still full (the spool is bypassed, loudly).
      for (int i = 0; i < 5; i++) {
        succeeded.add(run(trail, analyst, "SELECT 'disk still full " + i + "'"));
      }
      assertThat(trail.healthy()).isTrue();
      drained(trail);
      fileSizeLimit("unlimited");
    }
    try (ControlDatabase db =
        ControlDatabase.open(
            ControlDatabase.Settings.of(pg.jdbcUrl("spoolfull_" + databases), "postgres", ""))) {
      assertThat(statementsWithoutError(db)).containsExactlyInAnyOrderElementsOf(succeeded);
      List<UUID> onRecord = refusedInChainOrder(db);
      assertThat(onRecord).as("every refused attempt, in order").isEqualTo(refused);
      assertThat(AuditTrailIT.count(db, "kind = 'AUTHENTICATION'")).isEqualTo(2);
      assertThat(new AuditVerifier(db.dataSource(), key).verify().problems()).isEmpty();
    }
  }

  @Test
  void pastTheMemoryBoundNothingRunsUnrecordedAndWhatWasHeldShips() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    try (ControlDatabase db = newControlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(key), Clock.systemUTC(), 40)) {
      run(trail, analyst, "SELECT 'before'");
      drained(trail);
      pg.stop();
      fileSizeLimit("1");
      trail.authentication(authentication("held 0"));
      Eventually.await("one held", Duration.ofSeconds(10), () -> trail.lag().records() == 1);
      // Then 38 more and two fail-open statements, submitted at once: the writer is still busy
      // with the first ones when the statements arrive. With one place left in memory the first
      // statement runs, its record held; the second is refused, as nothing could keep its record.
      // (The submitter once answered "kept" for both before the writer had tried either: both
      // ran, the second unrecorded.)
      for (int i = 1; i < 39; i++) {
        trail.authentication(authentication("held " + i));
      }
      StatementAudit fits = trail.statement(read(analyst, "reports", "SELECT 1", List.of()));
      StatementAudit overflows = trail.statement(read(analyst, "reports", "SELECT 2", List.of()));
      fits.durable().join();
      assertNotKept(overflows);
      // A fail-open database runs while its record is kept; with memory full it is refused too.
      assertNotKept(trail.statement(read(analyst, "reports", "SELECT 3", List.of())));
      assertThat(trail.healthy()).isFalse();

      fileSizeLimit("unlimited");
      pg.start();
      awaitDurable(trail, analyst);
      drained(trail);
      assertThat(AuditTrailIT.count(db, "kind = 'AUTHENTICATION'")).isEqualTo(39);
      assertThat(AuditTrailIT.count(db, "doc ->> 'database' = 'reports'"))
          .as("only the fail-open statement that ran is on record; the refused ones did not fit")
          .isEqualTo(1);
      assertThat(AuditTrailIT.count(db, "id = '" + fits.id() + "'")).isEqualTo(1);
      assertThat(new AuditVerifier(db.dataSource(), key).verify().problems()).isEmpty();
    }
  }

  private static void assertNotKept(StatementAudit a) {
    assertThatThrownBy(() -> a.durable().join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(AuditUnavailableException.class)
        .hasMessageContaining("the record cannot be kept");
  }

  private static void drained(JdbcAuditTrail trail) {
    Eventually.await(
        "the backlog drained", Duration.ofSeconds(20), () -> trail.lag().records() == 0);
  }

  private Path spoolFile() {
    return spool.resolve("audit-spool.jsonl");
  }

  private static UUID run(JdbcAuditTrail trail, Principal who, String sql) {
    StatementAudit a = trail.statement(read(who, "shop", sql, List.of()));
    a.durable().join();
    a.complete(new StatementOutcome(1, Duration.ofMillis(1), List.of(), null, null, List.of()));
    return a.id();
  }

  /** {@code n} statements refused at once, each with its outcome, then one failed login. */
  private static void refuse(
      JdbcAuditTrail trail, Principal who, String phase, int n, List<UUID> refused) {
    for (int i = 0; i < n; i++) {
      StatementAudit a =
          trail.statement(read(who, "shop", "SELECT '" + phase + i + "'", List.of()));
      assertThatThrownBy(() -> a.durable().join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(AuditUnavailableException.class);
      a.complete(
          new StatementOutcome(
              0, Duration.ZERO, List.of(), "XX000", "audit trail unavailable", List.of()));
      refused.add(a.id());
    }
    if (n > 1) {
      trail.authentication(authentication(phase));
    }
  }

  private static AuthEvent authentication(String reason) {
    return new AuthEvent(
        Instant.now(), Channel.WIRE, "shop", "psql", "127.0.0.1", null, null, reason);
  }

  private static UUID awaitDurable(JdbcAuditTrail trail, Principal who) {
    UUID[] id = new UUID[1];
    Eventually.await(
        "a durable statement record",
        Duration.ofSeconds(30),
        () -> {
          StatementAudit a = trail.statement(read(who, "shop", "SELECT 'back'", List.of()));
          try {
            a.durable().join();
          } catch (CompletionException e) {
            a.complete(
                new StatementOutcome(0, Duration.ZERO, List.of(), "XX000", "refused", List.of()));
            return false;
          }
          a.complete(new StatementOutcome(1, Duration.ZERO, List.of(), null, null, List.of()));
          id[0] = a.id();
          return true;
        });
    return id[0];
  }

  /** Statements whose outcome carries no error: those a client saw succeed. */
  private static List<UUID> statementsWithoutError(ControlDatabase db) throws SQLException {
    return ids(
        db,
        "SELECT s.id FROM audit_record s JOIN audit_record o ON o.kind = 'OUTCOME'"
            + " AND o.doc ->> 'statementId' = s.id::text"
            + " WHERE s.kind = 'STATEMENT' AND o.doc ->> 'sqlState' IS NULL");
  }

  private static List<UUID> refusedInChainOrder(ControlDatabase db) throws SQLException {
    return ids(
        db,
        "SELECT s.id FROM audit_record s JOIN audit_record o ON o.kind = 'OUTCOME'"
            + " AND o.doc ->> 'statementId' = s.id::text"
            + " WHERE s.kind = 'STATEMENT' AND o.doc ->> 'error' = 'audit trail unavailable'"
            + " ORDER BY s.seq");
  }

  private static List<UUID> ids(ControlDatabase db, String sql) throws SQLException {
    List<UUID> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(UUID.fromString(rs.getString(1)));
      }
    }
    return out;
  }

  /** Lowers (or lifts) this JVM's soft file-size limit: a write past it fails with EFBIG. */
  private static void fileSizeLimit(String soft) throws Exception {
    Process p =
        new ProcessBuilder(
                "prlimit",
                "--pid",
                Long.toString(ProcessHandle.current().pid()),
                "--fsize=" + soft + ":")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }
}
