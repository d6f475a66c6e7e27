package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.audit.log.Fsync;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a record becomes durable, and the local audit log's settings (ADR 0004, decisions 10-15).
 *
 * @param durability {@code LOCAL_LOG}: in the gateway's local log, shipped to the control database
 *     after; {@code CONTROL_DATABASE}: committed in the control database before results flow
 * @param directory the local log's directory (local, persistent, one per instance)
 * @param fsync when appends are forced to disk
 * @param fsyncInterval the bound for {@link Fsync#INTERVAL}
 * @param maxLagRecords unshipped records beyond which new governed statements are refused
 * @param maxLagSeconds age of the oldest unshipped record beyond which they are refused
 * @param retention how long shipped records are kept (whole days dropped); null keeps them forever
 */
public record LogSettings(
    Durability durability,
    Path directory,
    Fsync fsync,
    Duration fsyncInterval,
    long maxLagRecords,
    Duration maxLagSeconds,
    Duration retention) {

  /** Where a statement's record must be before its results are released. */
  public enum Durability {
    LOCAL_LOG,
    CONTROL_DATABASE
  }

  public LogSettings {
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(fsync, "fsync");
    if (durability == Durability.LOCAL_LOG) {
      Objects.requireNonNull(directory, "audit `log.directory` is required");
    }
    if (fsyncInterval == null || fsyncInterval.isNegative() || fsyncInterval.isZero()) {
      throw new IllegalArgumentException("audit `log.fsyncIntervalMs` must be positive");
    }
    if (maxLagRecords < 1) {
      throw new IllegalArgumentException(
          "audit `ship.maxLagRecords` must be positive, got " + maxLagRecords);
    }
    if (maxLagSeconds == null || maxLagSeconds.isNegative() || maxLagSeconds.isZero()) {
      throw new IllegalArgumentException("audit `ship.maxLagSeconds` must be positive");
    }
    if (retention != null && retention.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException("audit `retention` must be at least one day");
    }
  }

  /** Today's guarantee: committed in the control database before results flow. */
  public static LogSettings controlDatabase() {
    return new LogSettings(
        Durability.CONTROL_DATABASE,
        null,
        Fsync.INTERVAL,
        Duration.ofMillis(100),
        1_000_000,
        Duration.ofSeconds(60),
        null);
  }

  /** The local log in {@code directory}: fsync every 100 ms, refuse beyond 1M records or 60 s. */
  public static LogSettings localLog(Path directory) {
    return new LogSettings(
        Durability.LOCAL_LOG,
        directory,
        Fsync.INTERVAL,
        Duration.ofMillis(100),
        1_000_000,
        Duration.ofSeconds(60),
        null);
  }
}
