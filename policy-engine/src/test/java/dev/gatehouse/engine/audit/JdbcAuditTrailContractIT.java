package dev.gatehouse.engine.audit;

import dev.gatehouse.testkit.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real trail in {@code durability: control-database} held to the audit trail contract, on the
 * test PostgreSQL; unavailable while another transaction holds the audit table (a hung control
 * database), so records miss their durable timeout.
 */
class JdbcAuditTrailContractIT extends AuditTrailContract {

  @TempDir Path dir;

  ControlDatabase db;
  private JdbcAuditTrail trail;
  private Connection lock;

  /** The trail's configuration: a durable timeout short enough for the outage test. */
  AuditConfig config() {
    AuditConfig c = AuditFixtures.config("gw-contract", AuditFixtures.randomKey(), dir);
    return c.withTimings(c.batchWindow(), Duration.ofSeconds(3), Duration.ofMillis(100));
  }

  /** Starts the trail under test on {@code db}. */
  JdbcAuditTrail start(ControlDatabase db, AuditConfig config) {
    return JdbcAuditTrail.start(db, config);
  }

  @Override
  AuditTrail trail() {
    db = AuditFixtures.controlDatabase();
    trail = start(db, config());
    return trail;
  }

  @Override
  Optional<Stored> stored(UUID id) throws Exception {
    return new TrailReader(db.dataSource())
        .statement(id)
        .map(
            r ->
                new Stored(
                    r.sql(),
                    r.database(),
                    r.subject(),
                    r.decision(),
                    r.ruleIds(),
                    r.outcome() == null ? null : r.outcome().rows(),
                    r.outcome() == null ? null : r.outcome().sqlState()));
  }

  @Override
  long count(RecordKind kind) throws Exception {
    return AuditTrailIT.count(db, "kind = '" + kind + "'");
  }

  @Override
  void unavailable(boolean value) throws Exception {
    if (value) {
      TestPostgres pg = TestPostgres.get();
      ControlDatabase.Settings s = db.settings();
      lock = DriverManager.getConnection(s.jdbcUrl(), pg.adminUser(), pg.adminPassword());
      lock.setAutoCommit(false);
      try (Statement st = lock.createStatement()) {
        st.execute("LOCK TABLE " + s.schema() + ".audit_entry IN ACCESS EXCLUSIVE MODE");
      }
    } else if (lock != null) {
      lock.rollback();
      lock.close();
      lock = null;
    }
  }

  @AfterEach
  void close() throws Exception {
    unavailable(false);
    if (trail != null) {
      trail.close();
    }
    if (db != null) {
      db.close();
    }
  }
}
