package dev.gatehouse.engine.audit;

import static dev.gatehouse.engine.audit.AuditFixtures.principal;
import static dev.gatehouse.engine.audit.AuditFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention drops whole daily partitions; the chain floor keeps {@code verify} meaningful. */
class RetentionIT {

  @TempDir Path spool;

  @Test
  void oldPartitionsAreDroppedAndTheChainStillVerifiesAndStillCatchesDeletions() throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    Principal analyst = principal(ReferencePrincipal.ANALYST);
    Instant now = Instant.now();
    try (ControlDatabase db = AuditFixtures.controlDatabase()) {
      for (int daysAgo : List.of(5, 4, 0)) {
        Clock clock = Clock.fixed(now.minus(Duration.ofDays(daysAgo)), ZoneOffset.UTC);
        try (JdbcAuditTrail trail =
            JdbcAuditTrail.start(db, AuditFixtures.config("gw-r", key, spool), clock)) {
          for (int i = 0; i < 5; i++) {
            trail.statement(read(analyst, "shop", "SELECT " + i, List.of())).durable().join();
          }
        }
      }
      assertThat(LocalLogIT.count(db, "SELECT count(*) FROM audit_record")).isEqualTo(15);
      Retention retention = new Retention(db, key, "gw-r", Duration.ofDays(2));
      assertThat(retention.apply()).isEqualTo(2);
      assertThat(LocalLogIT.count(db, "SELECT count(*) FROM audit_record")).isEqualTo(5);
      assertThat(LocalLogIT.count(db, "SELECT min(seq) FROM audit_record")).isEqualTo(11);
      AuditVerifier verifier = new AuditVerifier(db.dataSource(), key);
      assertThat(verifier.verify().problems()).isEmpty();

      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("DELETE FROM audit_entry WHERE instance_id = 'gw-r' AND seq = 11");
      }
      VerifyReport.Problem p = verifier.verify().problems().getFirst();
      assertThat(p.seq()).isEqualTo(11);
      assertThat(p.type()).isEqualTo(VerifyReport.Type.DELETED);
    }
  }
}
