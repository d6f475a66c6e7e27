package dev.gatehouse.engine.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Configuration of one gateway instance's audit writer, validated and defaulted here.
 *
 * @param instanceId names this instance's hash chain; unique among the gateway instances
 * @param key the chain key (from configuration or a file, never from the database)
 * @param paramMode how bind parameters are kept
 * @param batchWindow how long a record nobody waits for (an outcome, an authentication, a
 *     connection or approval step) may stay uncommitted, already spooled, to share a later commit;
 *     zero commits it at once. A statement's decision record is never delayed
 * @param maxBatch at most this many records per transaction
 * @param durableTimeout how long a statement may wait for its record to be committed
 * @param retryInterval how often the writer retries the control database after a failure
 * @param failOpenDatabases databases whose statements run even when the audit trail is down
 * @param spoolDirectory where records accepted but not yet committed are kept across restarts
 * @param spoolFsync force every spooled batch to disk (not only those written while the control
 *     database is down)
 * @param capture which results are captured
 * @param synchronousCommit whether a batch commit waits for the control database to flush its
 *     write-ahead log (PostgreSQL's {@code synchronous_commit}); off, a record counts as durable
 *     once the server has it in memory, and a crash of that server can lose its last moments
 * @param log where a record becomes durable, and the local audit log's settings
 * @param bounds how much statement text and how many parameter characters one record keeps; null
 *     for {@link RecordBounds#DEFAULTS}
 */
public record AuditConfig(
    String instanceId,
    AuditKey key,
    ParamMode paramMode,
    Duration batchWindow,
    int maxBatch,
    Duration durableTimeout,
    Duration retryInterval,
    Set<String> failOpenDatabases,
    Path spoolDirectory,
    boolean spoolFsync,
    CaptureConfig capture,
    boolean synchronousCommit,
    LogSettings log,
    RecordBounds bounds) {

  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

  public AuditConfig {
    Objects.requireNonNull(instanceId, "instanceId");
    if (!INSTANCE_ID.matcher(instanceId).matches()) {
      throw new IllegalArgumentException(
          "audit `instance-id` `"
              + instanceId
              + "` must be 1-100 letters, digits, `.`, `_`, `:` or `-`");
    }
    Objects.requireNonNull(key, "audit `key` (or `key-file`) is required");
    Objects.requireNonNull(paramMode, "paramMode");
    requirePositive("batch-window", batchWindow, true);
    if (maxBatch < 1 || maxBatch > 10_000) {
      throw new IllegalArgumentException(
          "audit `max-batch` must be between 1 and 10000, got " + maxBatch);
    }
    requirePositive("durable-timeout", durableTimeout, false);
    requirePositive("retry-interval", retryInterval, false);
    failOpenDatabases = Set.copyOf(failOpenDatabases);
    Objects.requireNonNull(spoolDirectory, "audit `spool-directory` is required");
    Objects.requireNonNull(capture, "capture");
    log = log == null ? LogSettings.controlDatabase() : log;
    bounds = bounds == null ? RecordBounds.DEFAULTS : bounds;
  }

  /**
   * Defaults for embedding and tests: {@code durability: control-database} (the gateway's config
   * reader defaults to the local log), parameters hashed, batches of up to 500, records nobody
   * waits for deferred up to 10 ms, 2 s durable timeout, fail closed.
   */
  public static AuditConfig defaults(String instanceId, AuditKey key, Path spoolDirectory) {
    return new AuditConfig(
        instanceId,
        key,
        ParamMode.HMAC,
        Duration.ofMillis(10),
        500,
        Duration.ofSeconds(2),
        Duration.ofMillis(250),
        Set.of(),
        spoolDirectory,
        false,
        CaptureConfig.OFF,
        true,
        LogSettings.controlDatabase(),
        RecordBounds.DEFAULTS);
  }

  public AuditConfig withParamMode(ParamMode mode) {
    return new AuditConfig(
        instanceId,
        key,
        mode,
        batchWindow,
        maxBatch,
        durableTimeout,
        retryInterval,
        failOpenDatabases,
        spoolDirectory,
        spoolFsync,
        capture,
        synchronousCommit,
        log,
        bounds);
  }

  public AuditConfig withCapture(CaptureConfig newCapture) {
    return new AuditConfig(
        instanceId,
        key,
        paramMode,
        batchWindow,
        maxBatch,
        durableTimeout,
        retryInterval,
        failOpenDatabases,
        spoolDirectory,
        spoolFsync,
        newCapture,
        synchronousCommit,
        log,
        bounds);
  }

  public AuditConfig withFailOpen(Set<String> databases) {
    return new AuditConfig(
        instanceId,
        key,
        paramMode,
        batchWindow,
        maxBatch,
        durableTimeout,
        retryInterval,
        databases,
        spoolDirectory,
        spoolFsync,
        capture,
        synchronousCommit,
        log,
        bounds);
  }

  public AuditConfig withTimings(Duration window, Duration durable, Duration retry) {
    return new AuditConfig(
        instanceId,
        key,
        paramMode,
        window,
        maxBatch,
        durable,
        retry,
        failOpenDatabases,
        spoolDirectory,
        spoolFsync,
        capture,
        synchronousCommit,
        log,
        bounds);
  }

  public AuditConfig withSynchronousCommit(boolean on) {
    return new AuditConfig(
        instanceId,
        key,
        paramMode,
        batchWindow,
        maxBatch,
        durableTimeout,
        retryInterval,
        failOpenDatabases,
        spoolDirectory,
        spoolFsync,
        capture,
        on,
        log,
        bounds);
  }

  /** The same configuration with another durability and local log. */
  public AuditConfig withLog(LogSettings settings) {
    return new AuditConfig(
        instanceId,
        key,
        paramMode,
        batchWindow,
        maxBatch,
        durableTimeout,
        retryInterval,
        failOpenDatabases,
        spoolDirectory,
        spoolFsync,
        capture,
        synchronousCommit,
        settings,
        bounds);
  }

  /** The same configuration with other bounds on what one record keeps. */
  public AuditConfig withBounds(RecordBounds newBounds) {
    return new AuditConfig(
        instanceId,
        key,
        paramMode,
        batchWindow,
        maxBatch,
        durableTimeout,
        retryInterval,
        failOpenDatabases,
        spoolDirectory,
        spoolFsync,
        capture,
        synchronousCommit,
        log,
        newBounds);
  }

  private static void requirePositive(String field, Duration value, boolean zeroAllowed) {
    Objects.requireNonNull(value, field);
    if (value.isNegative() || (!zeroAllowed && value.isZero())) {
      throw new IllegalArgumentException(
          "audit `" + field + "` must be " + (zeroAllowed ? "zero or more" : "positive"));
    }
  }
}
