package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.audit.log.LocalLog;
import dev.gatehouse.engine.audit.log.LogOptions;
import dev.gatehouse.engine.audit.log.LogRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code durability: local-log}: a record is durable once appended to the local log under its fsync
 * policy; a shipper copies it into the control database. A caller is refused when the log cannot be
 * written or shipping lags beyond its bound (ADR 0004, decision 14).
 */
final class LocalLogSink implements RecordSink {

  private final LocalLog localLog;
  private final LogShipper shipper;
  private final LogSettings settings;
  private final AuditOutage outage;

  private LocalLogSink(
      LocalLog localLog, LogShipper shipper, LogSettings settings, AuditOutage outage) {
    this.localLog = localLog;
    this.shipper = shipper;
    this.settings = settings;
    this.outage = outage;
  }

  static LocalLogSink open(
      ControlDatabase db, AuditConfig config, LogOptions.Opener opener, AuditOutage outage) {
    LogSettings s = config.log();
    AuditKey key = config.key();
    String instance = config.instanceId();
    LocalLog.Hasher hasher =
        new LocalLog.Hasher() {
          @Override
          public String hash(long seq, String prev, UUID id, String kind, long at, String body) {
            return ChainHasher.recordHash(key, instance, seq, prev, id.toString(), kind, at, body);
          }

          @Override
          public String hash(
              long seq, String prev, UUID id, String kind, long at, String body, byte[] utf8) {
            return ChainHasher.recordHash(key, instance, seq, prev, id.toString(), kind, at, utf8);
          }
        };
    try {
      LocalLog.Head initial = new LocalLog.Head(0, ChainHasher.GENESIS);
      if (LocalLog.isEmpty(s.directory())) {
        initial = controlHead(db, instance);
      }
      LogOptions options = LogOptions.of(s.fsync(), s.fsyncInterval());
      LocalLog localLog =
          LocalLog.open(
              s.directory(),
              instance,
              hasher,
              opener == null ? options : options.withOpener(opener),
              initial);
      LogShipper shipper =
          new LogShipper(db, key, instance, localLog, config.retryInterval(), s.retention());
      return new LocalLogSink(localLog, shipper, s, outage);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the audit log `" + s.directory() + "`: " + e.getMessage(), e);
    }
  }

  /**
   * Where a chain stands in the control database, so a new log continues it (an instance that used
   * {@code control-database} before, or whose log directory is new).
   */
  private static LocalLog.Head controlHead(ControlDatabase db, String instance) {
    try {
      db.ensureMigrated();
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement ps =
              c.prepareStatement("SELECT seq, hash FROM audit_chain_head WHERE instance_id = ?")) {
        ps.setString(1, instance);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next()
              ? new LocalLog.Head(rs.getLong(1), rs.getString(2))
              : new LocalLog.Head(0, ChainHasher.GENESIS);
        }
      }
    } catch (SQLException | RuntimeException e) {
      throw new IllegalStateException(
          "the audit log directory is empty and the control database cannot be read to continue"
              + " chain `"
              + instance
              + "`; start again once it is reachable ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  @Override
  public CompletableFuture<Void> submit(AuditRecord record, boolean awaited) {
    // The lag before this record: a statement is refused for what is behind it, not for itself.
    String lagging = awaited ? lagOver() : null;
    if (awaited) {
      track(AuditOutage.Cause.SHIPPING_LAG, lagging, "shipping to the control database lags: ");
    }
    CompletableFuture<LogRecord> appended =
        localLog.append(
            record.id(),
            record.kind().name(),
            ChainHasher.micros(record.at()),
            record.body(),
            awaited);
    return appended.handle(
        (r, e) -> {
          if (e != null) {
            Throwable cause = e instanceof CompletionException ? e.getCause() : e;
            track(
                AuditOutage.Cause.LOCAL_LOG,
                String.valueOf(cause.getMessage()),
                "the local audit log `" + localLog.directory() + "` cannot be written: ");
            throw new CompletionException(
                new AuditUnavailableException(
                    "audit trail unavailable, the local audit log `"
                        + localLog.directory()
                        + "` cannot be written: "
                        + cause.getMessage(),
                    cause));
          }
          if (lagging != null) {
            throw new CompletionException(
                new AuditUnavailableException(
                    "audit trail unavailable, shipping to the control database lags: " + lagging,
                    null));
          }
          track(AuditOutage.Cause.LOCAL_LOG, null, null);
          outage.durableAgain();
          return null;
        });
  }

  /** Begins or ends {@code cause} as {@code why} is set or null; logs only on a change. */
  private void track(AuditOutage.Cause cause, String why, String prefix) {
    if (why != null) {
      outage.begin(cause, prefix + why);
    } else if (outage.down()) {
      outage.end(cause, null);
    }
  }

  private String lagOver() {
    return shipper.lag().over(settings.maxLagRecords(), settings.maxLagSeconds().toMillis() / 1e3);
  }

  @Override
  public boolean healthy() {
    String lagging = lagOver();
    track(AuditOutage.Cause.SHIPPING_LAG, lagging, "shipping to the control database lags: ");
    Throwable failure = localLog.failure();
    if (failure == null) {
      track(AuditOutage.Cause.LOCAL_LOG, null, null);
    }
    return failure == null && lagging == null;
  }

  @Override
  public long committed() {
    return shipper.shipped();
  }

  @Override
  public AuditLag lag() {
    return shipper.lag();
  }

  /** Writes and forces what is queued, then ships what it can within 10 s. */
  @Override
  public void close() {
    localLog.close();
    shipper.close();
  }
}
