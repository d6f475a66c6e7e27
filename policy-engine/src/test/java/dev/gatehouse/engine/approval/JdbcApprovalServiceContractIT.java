package dev.gatehouse.engine.approval;

import dev.gatehouse.engine.audit.AuditFixtures;
import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.audit.JdbcAuditTrail;
import dev.gatehouse.testkit.OffsetClock;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL-backed approval service held to the approval service contract. */
class JdbcApprovalServiceContractIT extends ApprovalServiceContract {

  private final List<AutoCloseable> open = new ArrayList<>();

  @Override
  ApprovalService service(ApproverPolicy approvers, OffsetClock clock) {
    try {
      ControlDatabase db = AuditFixtures.controlDatabase();
      open.add(db);
      AuditKey key = AuditFixtures.randomKey();
      JdbcAuditTrail trail =
          JdbcAuditTrail.start(
              db, AuditFixtures.config("gw-contract", key, Files.createTempDirectory("spool-c")));
      open.add(trail);
      Duration tick = Duration.ofMillis(200);
      JdbcApprovalService service =
          JdbcApprovalService.start(
              db,
              ApprovalConfig.defaults().withExpiry(TTL).withIntervals(tick, tick, tick),
              approvers,
              List.of(new LogApprovalNotifier()),
              trail,
              clock);
      open.add(service);
      return service;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }
}
