package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.audit.log.FailingChannel;
import dev.gatehouse.engine.audit.log.Fsync;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real trail in {@code durability: local-log} held to the audit trail contract: records are
 * durable in the local log and read back from the control database they are shipped to; unavailable
 * while the log's disk is full.
 */
class LocalLogAuditTrailContractIT extends JdbcAuditTrailContractIT {

  private final AtomicBoolean full = new AtomicBoolean();

  @Override
  AuditConfig config() {
    LogSettings log =
        new LogSettings(
            LogSettings.Durability.LOCAL_LOG,
            dir.resolve("log"),
            Fsync.INTERVAL,
            Duration.ofMillis(20),
            1_000_000,
            Duration.ofSeconds(60),
            null);
    return super.config().withLog(log);
  }

  @Override
  JdbcAuditTrail start(ControlDatabase db, AuditConfig config) {
    // Real segment files whose writes fail like a full disk (ENOSPC) while `full` is set.
    return JdbcAuditTrail.start(
        db,
        config,
        p ->
            new FailingChannel(
                FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE), full));
  }

  @Override
  void unavailable(boolean value) {
    full.set(value);
  }
}
